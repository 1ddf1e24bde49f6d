import KaonNano
import KaonPhysics

/// ADL query 6: in events with at least three jets, the trijet (i < j < k) whose summed
/// four-momentum has the mass closest to 172.5 GeV (the first such combination on ties);
/// its pt (6a) and the largest b-tag of its three jets (6b).
///
/// ```swift
/// if let trijet = Query6.value(event) {
///     ptBins.fill(trijet.pt)
///     btagBins.fill(trijet.maxBtag)
/// }
/// ```
public enum Query6 {
    /// The chosen trijet's pt and largest b-tag, nil with fewer than three jets.
    @inlinable
    public static func value(_ event: Event) -> (pt: Double, maxBtag: Double)? {
        // The object view's trijet search converts each jet to Cartesian once instead of
        // once per combination; it is the same loop over `event.jets.triples()`.
        guard let best = ADLQuery6View.bestTrijet(event.jets) else { return nil }
        return (best.pt, Double(best.maxBtag))
    }
}
