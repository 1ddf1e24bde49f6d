/// How a histogram cell accumulates fills: the bin type and its update rules.
///
/// Each storage reproduces one of boost-histogram's storages exactly (same fields, same
/// update formulas, same order of floating-point operations), so that Kaon and
/// boost-histogram agree bit-for-bit on the same input.
///
/// ```swift
/// var h = Histogram<WeightStorage>(RegularAxis(bins: 10, lower: 0, upper: 1))
/// try h.fill(0.5, weight: 2)
/// h.values()   // [0, 0, 0, 0, 0, 2, 0, 0, 0, 0]
/// ```
public protocol Storage: Sendable {
    /// What one cell holds.
    associatedtype Bin: Sendable, Equatable
    /// An empty cell.
    static var zero: Bin { get }
    /// The UHI storage type name (`int`, `double`, `weighted`, `mean`, `weighted_mean`).
    static var uhiType: String { get }
    /// Whether a fill needs a sample (profiles).
    static var needsSample: Bool { get }
    /// Whether the storage accepts weights.
    static var acceptsWeight: Bool { get }
    /// One unweighted fill (profiles: `sample` is the value to average).
    static func fill(_ bin: inout Bin, sample: Double)
    /// One weighted fill.
    static func fill(_ bin: inout Bin, weight: Double, sample: Double)
    /// Merges `other` into `bin` (histogram addition).
    static func add(_ bin: inout Bin, _ other: Bin)
    /// Multiplies by a constant, as boost-histogram's `h *= s`.
    static func scale(_ bin: inout Bin, by factor: Double)
    /// The value (`values()`), as boost-histogram/hist define it.
    static func value(_ bin: Bin) -> Double
    /// The variance (`variances()`), as boost-histogram defines it for this storage.
    static func variance(_ bin: Bin) -> Double
    /// The (effective) number of entries (`counts()`).
    static func count(_ bin: Bin) -> Double
    /// Whether variances are inferred from the values (plain counters): they are then
    /// only meaningful while the histogram was filled without weights and never scaled.
    static var variancesFromValues: Bool { get }
}

extension Storage {
    public static var variancesFromValues: Bool { false }
}
