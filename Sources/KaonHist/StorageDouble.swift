/// Counts (or sums of weights) as `Double`: boost-histogram's `storage.Double`.
///
/// Variances are the values themselves (Poisson), as boost-histogram returns for a
/// histogram filled without weights.
///
/// ```swift
/// var h = Histogram<DoubleStorage>(RegularAxis(bins: 2, lower: 0, upper: 2))
/// try h.fill(column: [0.5, 1.5, 1.7])
/// h.values()   // [1, 2]
/// ```
public enum DoubleStorage: Storage {
    public typealias Bin = Double
    public static var zero: Double { 0 }
    public static var uhiType: String { "double" }
    public static var needsSample: Bool { false }
    public static var variancesFromValues: Bool { true }
    public static var acceptsWeight: Bool { true }
    @inlinable @inline(__always) public static func fill(_ bin: inout Double, sample: Double) { bin += 1 }
    @inlinable @inline(__always) public static func fill(_ bin: inout Double, weight: Double, sample: Double) { bin += weight }
    @inlinable public static func add(_ bin: inout Double, _ other: Double) { bin += other }
    @inlinable public static func scale(_ bin: inout Double, by factor: Double) { bin *= factor }
    @inlinable public static func value(_ bin: Double) -> Double { bin }
    @inlinable public static func variance(_ bin: Double) -> Double { bin }
    @inlinable public static func count(_ bin: Double) -> Double { bin }
}
