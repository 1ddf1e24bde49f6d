/// A sum of weights and a sum of squared weights: boost-histogram's `accumulators.WeightedSum`.
///
/// ```swift
/// var s = WeightedSum()
/// WeightStorage.fill(&s, weight: 2, sample: 0)   // value 2, variance 4
/// ```
public struct WeightedSum: Sendable, Equatable, Hashable {
    /// Sum of weights.
    public var value: Double
    /// Sum of squared weights (the variance estimate of `value`).
    public var variance: Double

    public init(value: Double = 0, variance: Double = 0) {
        self.value = value
        self.variance = variance
    }
}

/// Weighted counts with their variance: boost-histogram's `storage.Weight`.
///
/// `counts()` returns the sum of weights, like boost-histogram for this storage.
public enum WeightStorage: Storage {
    public typealias Bin = WeightedSum
    public static var zero: WeightedSum { WeightedSum() }
    public static var uhiType: String { "weighted" }
    public static var needsSample: Bool { false }
    public static var acceptsWeight: Bool { true }
    @inlinable @inline(__always) public static func fill(_ bin: inout WeightedSum, sample: Double) {
        bin.value += 1
        bin.variance += 1
    }
    @inlinable @inline(__always) public static func fill(_ bin: inout WeightedSum, weight: Double, sample: Double) {
        bin.value += weight
        bin.variance += weight * weight
    }
    @inlinable public static func add(_ bin: inout WeightedSum, _ other: WeightedSum) {
        bin.value += other.value
        bin.variance += other.variance
    }
    @inlinable public static func scale(_ bin: inout WeightedSum, by factor: Double) {
        bin.value *= factor
        bin.variance *= factor * factor
    }
    @inlinable public static func value(_ bin: WeightedSum) -> Double { bin.value }
    @inlinable public static func variance(_ bin: WeightedSum) -> Double { bin.variance }
    @inlinable public static func count(_ bin: WeightedSum) -> Double { bin.value }
}
