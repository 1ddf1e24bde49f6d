import KaonNano

/// ADL query 2: the pt of every jet.
///
/// ```swift
/// Query2.forEachValue(event) { bins.fill($0) }
/// ```
public enum Query2 {
    /// Calls `body` with the pt of each jet, in order.
    @inlinable
    public static func forEachValue(_ event: Event, _ body: (Double) -> Void) {
        for jet in event.jets { body(Double(jet.pt)) }
    }
}
