import KaonNano

/// ADL query 3: the pt of the central jets, |η| < 1.
///
/// ```swift
/// Query3.forEachValue(event) { bins.fill($0) }
/// ```
public enum Query3 {
    /// Calls `body` with the pt of each jet with |η| < 1 (strict, as in the reference).
    @inlinable
    public static func forEachValue(_ event: Event, _ body: (Double) -> Void) {
        for jet in event.jets where abs(jet.eta) < 1 { body(Double(jet.pt)) }
    }
}
