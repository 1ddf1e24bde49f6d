import CKaonPhysics
import KaonNano
import KaonPhysics

/// ADL query 8: in events with at least three light leptons and a same-flavour
/// opposite-charge (SFOS) pair, the transverse mass of MET and the highest-pt lepton not in
/// the SFOS pair whose mass is closest to 91.2 GeV.
///
/// ```swift
/// let leptons = LeptonBuffer()   // reused for every event
/// try events.forEachEvent { event in
///     if let mt = Query8.value(event, leptons: leptons) { bins.fill(mt) }
/// }
/// ```
public enum Query8 {
    /// The Z mass the pair is matched to.
    public static let targetMass = 91.2

    /// A light lepton reduced to what the query needs.
    ///
    /// ```swift
    /// let lepton = Query8.Lepton(event.muons[0], isMuon: true)
    /// ```
    public struct Lepton: Sendable {
        /// Four-momentum (a negative mass is space-like, as in ROOT).
        public var p4: PtEtaPhiMVector
        /// The same in Cartesian form, converted once (pair sums only add).
        public var cartesian: PxPyPzEVector
        /// Electric charge.
        public var charge: Int32
        /// Muon or electron: the flavour for "same flavour".
        public var isMuon: Bool

        /// Copies what the query needs from a muon or an electron.
        @inlinable
        public init<L: ChargedLepton>(_ lepton: L, isMuon: Bool) {
            p4 = lepton.p4
            cartesian = p4.cartesian
            charge = lepton.charge
            self.isMuon = isMuon
        }
    }

    /// The transverse mass, or nil when the event has fewer than three leptons or no SFOS pair.
    ///
    /// The pair is ``zCandidate(in:leptons:)``'s; the result is that of the plain definition
    /// over libm conversions, bit for bit.
    @inlinable
    public static func value(_ event: Event, leptons buffer: LeptonBuffer) -> Double? {
        let muons = event.muons, electrons = event.electrons
        let nm = muons.count, n = nm + electrons.count
        guard n >= 3, let pair = zCandidate(in: event, leptons: buffer) else { return nil }
        // The highest-pt lepton not in the pair (the first on ties).
        var other = -1, otherPt = 0.0
        for k in 0..<n where k != pair.0 && k != pair.1 {
            let pt = Double(k < nm ? muons[k].pt : electrons[k &- nm].pt)
            if other < 0 || pt > otherPt { (other, otherPt) = (k, pt) }
        }
        let phi = Double(other < nm ? muons[other].phi : electrons[other &- nm].phi)
        let met = event.met
        return transverseMass(pt1: otherPt, phi1: phi, pt2: Double(met.pt), phi2: Double(met.phi))
    }

    /// The SFOS pair (i < j) whose mass is closest to 91.2 GeV, the first on ties, as positions
    /// in the event's muons then electrons (``zCandidate(_:)`` over the event's leptons); nil
    /// without an SFOS pair.
    ///
    /// The pair is screened from the chunk's leptons converted once without libm
    /// (`kaon_sfos_candidates`, which also settles an event with one SFOS pair or none from the
    /// charges alone); libm converts only the leptons of the few candidates that remain when
    /// several do (exact ties, or masses within about 10⁻⁸ GeV of each other), and the
    /// leptons of an event the screening cannot handle.
    ///
    /// ```swift
    /// if let (i, j) = Query8.zCandidate(in: event, leptons: buffer) { … }   // i < muons.count: a muon pair
    /// ```
    @inlinable
    public static func zCandidate(in event: Event, leptons buffer: LeptonBuffer) -> (Int, Int)? {
        let muons = event.muons, electrons = event.electrons
        let n = muons.count + electrons.count
        guard n >= 2 else { return nil }
        // Muons first, then electrons (root-project's order; it only matters for exact ties).
        var found = -1
        if let fastMuons = buffer.fast(muons, isMuon: true), let fastElectrons = buffer.fast(electrons, isMuon: false) {
            found = kaon_sfos_candidates(fastMuons.px, fastMuons.py, fastMuons.pz, fastMuons.e, fastMuons.charge, fastMuons.count,
                                         fastElectrons.px, fastElectrons.py, fastElectrons.pz, fastElectrons.e,
                                         fastElectrons.charge, fastElectrons.count, targetMass, buffer.candidates,
                                         buffer.candidateLow, LeptonBuffer.candidateCapacity)
        }
        switch found {
        case 0: return nil
        case 1: return LeptonBuffer.unpack(buffer.candidates[0])
        case 2...: return decideExactly(muons, electrons, candidates: buffer.candidates, count: found)
        default:
            let storage = buffer.reserve(n)
            var l = 0
            for muon in muons { (storage + l).initialize(to: Lepton(muon, isMuon: true)); l &+= 1 }
            for electron in electrons { (storage + l).initialize(to: Lepton(electron, isMuon: false)); l &+= 1 }
            return zCandidate(UnsafeBufferPointer(start: storage, count: n))
        }
    }

    /// Among several screened candidate pairs (positions in the list of muons then electrons,
    /// in lexicographic order), the first with the smallest exact distance, as
    /// ``zCandidate(_:)`` chooses.
    @inlinable
    static func decideExactly(_ muons: ObjectCollection<Muon>, _ electrons: ObjectCollection<Electron>,
                              candidates: UnsafePointer<UInt32>, count: Int) -> (Int, Int) {
        let nm = muons.count
        func p4(_ k: Int) -> PxPyPzEVector { (k < nm ? muons[k].p4 : electrons[k &- nm].p4).cartesian }
        var best = LeptonBuffer.unpack(candidates[0])
        var bestDistance = Swift.abs((p4(best.0) + p4(best.1)).mass - targetMass)
        for c in 1..<count {
            let (i, j) = LeptonBuffer.unpack(candidates[c])
            let distance = Swift.abs((p4(i) + p4(j)).mass - targetMass)
            if distance < bestDistance { (best, bestDistance) = ((i, j), distance) }
        }
        return best
    }

    /// The SFOS pair (i < j) whose mass is closest to 91.2 GeV, the first on ties.
    ///
    /// ```swift
    /// if let (i, j) = Query8.zCandidate(leptons) { let z = leptons[i].cartesian + leptons[j].cartesian }
    /// ```
    @inlinable
    public static func zCandidate(_ leptons: UnsafeBufferPointer<Lepton>) -> (Int, Int)? {
        var best = (-1, -1)
        var bestDistance = Double.infinity
        let n = leptons.count
        for i in 0..<n {
            let a = leptons[i]
            for j in (i + 1)..<n {
                let b = leptons[j]
                guard a.isMuon == b.isMuon && a.charge != b.charge else { continue }
                let distance = Swift.abs((a.cartesian + b.cartesian).mass - targetMass)
                if best.0 < 0 || distance < bestDistance {
                    best = (i, j)
                    bestDistance = distance
                }
            }
        }
        return best.0 < 0 ? nil : best
    }
}
