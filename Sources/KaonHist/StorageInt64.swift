/// Integer counts: boost-histogram's `storage.Int64`. Weights are truncated to integers.
///
/// ```swift
/// var h = Histogram<Int64Storage>(IntegerAxis(lower: 0, upper: 5))
/// try h.fill(column: [1, 1, 3])
/// h.bins   // [0, 0, 2, 0, 1, 0, 0] (with underflow and overflow)
/// ```
public enum Int64Storage: Storage {
    public typealias Bin = Int64
    public static var zero: Int64 { 0 }
    public static var uhiType: String { "int" }
    public static var needsSample: Bool { false }
    public static var variancesFromValues: Bool { true }
    public static var acceptsWeight: Bool { true }
    @inlinable @inline(__always) public static func fill(_ bin: inout Int64, sample: Double) { bin &+= 1 }
    /// Adds the weight truncated toward zero (boost-histogram's integer conversion).
    @inlinable public static func fill(_ bin: inout Int64, weight: Double, sample: Double) { bin &+= Int64(weight) }
    @inlinable public static func add(_ bin: inout Int64, _ other: Int64) { bin &+= other }
    /// Scales and truncates toward zero. boost-histogram instead turns the histogram into a
    /// `Double` one; use `Histogram.converted(to: DoubleStorage.self)` first for that.
    @inlinable public static func scale(_ bin: inout Int64, by factor: Double) { bin = Int64(Double(bin) * factor) }
    @inlinable public static func value(_ bin: Int64) -> Double { Double(bin) }
    @inlinable public static func variance(_ bin: Int64) -> Double { Double(bin) }
    @inlinable public static func count(_ bin: Int64) -> Double { Double(bin) }
}
