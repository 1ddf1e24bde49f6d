import KaonNano
import KaonPhysics

/// ADL query 8: in events with at least three light leptons and a same-flavour
/// opposite-charge (SFOS) pair, the transverse mass of MET and the highest-pt lepton not in
/// the SFOS pair whose mass is closest to 91.2 GeV.
///
/// ```swift
/// if let mt = Query8.value(event) { bins.fill(mt) }
/// ```
public enum Query8 {
    /// The Z mass the pair is matched to.
    public static let targetMass = 91.2

    /// A light lepton reduced to what the query needs.
    ///
    /// ```swift
    /// let leptons = event.muons.map { Query8.Lepton($0, isMuon: true) }
    /// ```
    public struct Lepton: Sendable {
        /// Four-momentum (a negative mass is space-like, as in ROOT).
        public var p4: PtEtaPhiMVector
        /// Electric charge.
        public var charge: Int32
        /// Muon or electron: the flavour for "same flavour".
        public var isMuon: Bool

        /// Copies what the query needs from a muon or an electron.
        @inlinable
        public init<L: ChargedLepton>(_ lepton: L, isMuon: Bool) {
            p4 = lepton.p4
            charge = lepton.charge
            self.isMuon = isMuon
        }
    }

    /// The transverse mass, or nil when the event has fewer than three leptons or no SFOS pair.
    @inlinable
    public static func value(_ event: Event) -> Double? {
        let muons = event.muons, electrons = event.electrons
        guard muons.count + electrons.count >= 3 else { return nil }
        // Muons first, then electrons (root-project's order; it only matters for exact ties).
        let leptons = muons.map { Lepton($0, isMuon: true) } + electrons.map { Lepton($0, isMuon: false) }
        guard let (i, j) = zCandidate(leptons) else { return nil }
        var other: Int?
        for k in leptons.indices where k != i && k != j {
            if other == nil || leptons[k].p4.pt > leptons[other!].p4.pt { other = k }
        }
        let lepton = leptons[other!].p4
        let met = event.met
        return transverseMass(pt1: lepton.pt, phi1: lepton.phi, pt2: Double(met.pt), phi2: Double(met.phi))
    }

    /// The SFOS pair (i < j) whose mass is closest to 91.2 GeV, the first on ties.
    ///
    /// ```swift
    /// if let (i, j) = Query8.zCandidate(leptons) { let z = leptons[i].p4 + leptons[j].p4 }
    /// ```
    @inlinable
    public static func zCandidate(_ leptons: [Lepton]) -> (Int, Int)? {
        var best: (Int, Int)?
        var bestDistance = Double.infinity
        for i in leptons.indices {
            for j in (i + 1)..<leptons.count
            where leptons[i].isMuon == leptons[j].isMuon && leptons[i].charge != leptons[j].charge {
                let distance = abs((leptons[i].p4 + leptons[j].p4).mass - targetMass)
                if best == nil || distance < bestDistance {
                    best = (i, j)
                    bestDistance = distance
                }
            }
        }
        return best
    }
}
