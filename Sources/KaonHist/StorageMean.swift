/// A running mean of samples with Welford's update: boost-histogram's `accumulators.Mean`.
///
/// `count` is the number of samples (the sum of weights for weighted fills), `value` the
/// mean and `sumOfDeltasSquared` the sum of squared deviations from it. The sample
/// variance is `sumOfDeltasSquared / (count - 1)` exactly as boost-histogram computes it
/// (so `NaN` for one entry and `-0` for none).
///
/// ```swift
/// var m = Mean()
/// MeanStorage.fill(&m, sample: 1); MeanStorage.fill(&m, sample: 3)
/// m.value      // 2
/// m.variance   // 2
/// ```
public struct Mean: Sendable, Equatable, Hashable {
    public var count: Double
    public var value: Double
    public var sumOfDeltasSquared: Double

    public init(count: Double = 0, value: Double = 0, sumOfDeltasSquared: Double = 0) {
        self.count = count
        self.value = value
        self.sumOfDeltasSquared = sumOfDeltasSquared
    }

    /// Sample variance, boost-histogram's definition.
    @inlinable public var variance: Double { sumOfDeltasSquared / (count - 1) }
}

/// Profile storage: per cell the mean and variance of a sample (`storage.Mean`).
///
/// `values()` is the mean, `variances()` the variance of the mean (`variance / count`,
/// NaN where `count <= 1`) and `counts()` the number of entries, like boost-histogram.
public enum MeanStorage: Storage {
    public typealias Bin = Mean
    public static var zero: Mean { Mean() }
    public static var uhiType: String { "mean" }
    public static var needsSample: Bool { true }
    public static var acceptsWeight: Bool { true }
    @inlinable @inline(__always) public static func fill(_ bin: inout Mean, sample x: Double) {
        bin.count += 1
        let delta = x - bin.value
        bin.value += delta / bin.count
        bin.sumOfDeltasSquared += delta * (x - bin.value)
    }
    @inlinable @inline(__always) public static func fill(_ bin: inout Mean, weight w: Double, sample x: Double) {
        bin.count += w
        let delta = x - bin.value
        bin.value += w * delta / bin.count
        bin.sumOfDeltasSquared += w * delta * (x - bin.value)
    }
    /// Merges two means (Chan et al.'s pairwise update), as boost-histogram's accumulator does.
    @inlinable public static func add(_ bin: inout Mean, _ rhs: Mean) {
        if rhs.count == 0 { return }
        let mu1 = bin.value, mu2 = rhs.value
        let n1 = bin.count, n2 = rhs.count
        bin.count += rhs.count
        bin.value = (n1 * mu1 + n2 * mu2) / bin.count
        bin.sumOfDeltasSquared += rhs.sumOfDeltasSquared
        bin.sumOfDeltasSquared += n1 * (bin.value - mu1) * (bin.value - mu1) + n2 * (bin.value - mu2) * (bin.value - mu2)
    }
    @inlinable public static func scale(_ bin: inout Mean, by s: Double) {
        bin.value *= s
        // (x*s)*s, not x*(s*s): the order boost-histogram uses, for identical rounding.
        bin.sumOfDeltasSquared = bin.sumOfDeltasSquared * s * s
    }
    @inlinable public static func value(_ bin: Mean) -> Double { bin.value }
    @inlinable public static func variance(_ bin: Mean) -> Double { bin.count > 1 ? bin.variance / bin.count : .nan }
    @inlinable public static func count(_ bin: Mean) -> Double { bin.count }
}
