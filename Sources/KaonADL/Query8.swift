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
    @inlinable
    public static func value(_ event: Event, leptons buffer: LeptonBuffer) -> Double? {
        let muons = event.muons, electrons = event.electrons
        let n = muons.count + electrons.count
        guard n >= 3 else { return nil }
        // Muons first, then electrons (root-project's order; it only matters for exact ties).
        let storage = buffer.reserve(n)
        var l = 0
        for muon in muons { (storage + l).initialize(to: Lepton(muon, isMuon: true)); l &+= 1 }
        for electron in electrons { (storage + l).initialize(to: Lepton(electron, isMuon: false)); l &+= 1 }
        let leptons = UnsafeBufferPointer(start: storage, count: n)
        guard let (i, j) = zCandidate(leptons) else { return nil }
        var other = -1
        for k in 0..<n where k != i && k != j {
            if other < 0 || leptons[k].p4.pt > leptons[other].p4.pt { other = k }
        }
        let lepton = leptons[other].p4
        let met = event.met
        return transverseMass(pt1: lepton.pt, phi1: lepton.phi, pt2: Double(met.pt), phi2: Double(met.phi))
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
