import KaonNano
import KaonPhysics

/// ADL query 7: per event, the scalar sum of the pt of jets with pt > 30 GeV that are not
/// within ΔR < 0.4 of any electron or muon with pt > 10 GeV.
///
/// ```swift
/// let sum = Query7.value(event)
/// if sum != 0 || binning.fillsZeroJetSum { bins.fill(sum) }
/// ```
public enum Query7 {
    /// The scalar pt sum of the isolated jets (0 when there is none).
    @inlinable
    public static func value(_ event: Event) -> Double {
        let jets = event.jets
        // Most events have no jet above 30 GeV: then the leptons are not even looked at.
        guard jets.contains(where: { $0.pt > 30 }) else { return 0 }
        let muons = event.muons, electrons = event.electrons
        // The (η, φ) of the light leptons above 10 GeV, gathered once per event on the stack
        // instead of once per jet.
        return withUnsafeTemporaryAllocation(of: (eta: Double, phi: Double).self, capacity: muons.count + electrons.count) { leptons in
            var n = 0
            for muon in muons where muon.pt > 10 { leptons.initializeElement(at: n, to: (Double(muon.eta), Double(muon.phi))); n &+= 1 }
            for electron in electrons where electron.pt > 10 { leptons.initializeElement(at: n, to: (Double(electron.eta), Double(electron.phi))); n &+= 1 }
            var sum = 0.0
            jets: for jet in jets where jet.pt > 30 {
                let eta = Double(jet.eta), phi = Double(jet.phi)
                // A jet is kept when it is at ΔR ≥ 0.4 from every such lepton.
                for l in 0..<n where deltaR(eta1: eta, phi1: phi, eta2: leptons[l].eta, phi2: leptons[l].phi) < 0.4 {
                    continue jets
                }
                sum += Double(jet.pt)
            }
            return sum
        }
    }
}
