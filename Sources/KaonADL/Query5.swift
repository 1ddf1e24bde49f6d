import KaonNano
import KaonPhysics

/// ADL query 5: MET of the events with an opposite-charge muon pair whose invariant mass is
/// in (60, 120) GeV (a Z candidate). The event is filled once, however many pairs pass.
///
/// ```swift
/// if let met = Query5.value(event) { bins.fill(met) }
/// ```
public enum Query5 {
    /// `MET_pt` if any opposite-charge muon pair (i < j) has 60 < m < 120 GeV, else nil.
    @inlinable
    public static func value(_ event: Event) -> Double? {
        for (a, b) in event.muons.pairs() where a.charge != b.charge {
            let mass = (a.p4 + b.p4).mass
            if mass > 60 && mass < 120 { return Double(event.met.pt) }
        }
        return nil
    }
}
