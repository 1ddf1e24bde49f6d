import KaonNano

/// ADL query 1: the missing transverse momentum of every event.
///
/// ```swift
/// try events.forEachEvent { event in bins.fill(Query1.value(event)) }
/// ```
public enum Query1 {
    /// `MET_pt`.
    @inlinable
    public static func value(_ event: Event) -> Double { Double(event.met.pt) }
}
