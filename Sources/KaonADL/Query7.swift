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
        let muons = event.muons, electrons = event.electrons
        var sum = 0.0
        for jet in event.jets where jet.pt > 30 {
            // A jet is kept when it is at ΔR ≥ 0.4 from every light lepton above 10 GeV.
            if muons.contains(where: { $0.pt > 10 && jet.deltaR($0) < 0.4 }) { continue }
            if electrons.contains(where: { $0.pt > 10 && jet.deltaR($0) < 0.4 }) { continue }
            sum += Double(jet.pt)
        }
        return sum
    }
}
