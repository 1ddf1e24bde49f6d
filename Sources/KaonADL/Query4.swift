import KaonNano

/// ADL query 4: MET of the events with at least two jets with pt > 40 GeV.
///
/// ```swift
/// if let met = Query4.value(event) { bins.fill(met) }
/// ```
public enum Query4 {
    /// `MET_pt` if the event has two or more jets with pt > 40 GeV, else nil.
    @inlinable
    public static func value(_ event: Event) -> Double? {
        var hardJets = 0
        for jet in event.jets where jet.pt > 40 {
            hardJets += 1
            // Two are enough: no need to look at the rest.
            if hardJets == 2 { return Double(event.met.pt) }
        }
        return nil
    }
}
