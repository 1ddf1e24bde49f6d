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
        RunningMean.update(mean: &bin.value, sumOfDeltasSquared: &bin.sumOfDeltasSquared, weight: w, sumOfWeights: bin.count, sample: x)
    }
    /// Merges two means (Chan et al.'s pairwise update), as boost-histogram's accumulator does.
    @inlinable public static func add(_ bin: inout Mean, _ rhs: Mean) {
        if rhs.count == 0 { return }
        let n1 = bin.count
        bin.count += rhs.count
        RunningMean.merge(mean: &bin.value, sumOfDeltasSquared: &bin.sumOfDeltasSquared, weight: n1,
                          other: rhs.value, otherSumOfDeltasSquared: rhs.sumOfDeltasSquared, otherWeight: rhs.count, total: bin.count)
    }
    @inlinable public static func scale(_ bin: inout Mean, by s: Double) {
        RunningMean.scale(mean: &bin.value, sumOfDeltasSquared: &bin.sumOfDeltasSquared, by: s)
    }
    @inlinable public static func value(_ bin: Mean) -> Double { bin.value }
    @inlinable public static func variance(_ bin: Mean) -> Double { bin.count > 1 ? bin.variance / bin.count : .nan }
    @inlinable public static func count(_ bin: Mean) -> Double { bin.count }
}

/// The update rules ``MeanStorage`` and ``WeightedMeanStorage`` share, written once with
/// boost-histogram's order of floating-point operations (so results stay bit-identical).
@usableFromInline
enum RunningMean {
    /// Welford/West: adds `sample` with weight `w`; `sumOfWeights` already includes `w`.
    @inlinable @inline(__always)
    static func update(mean: inout Double, sumOfDeltasSquared: inout Double, weight w: Double, sumOfWeights: Double, sample x: Double) {
        let delta = x - mean
        mean += w * delta / sumOfWeights
        sumOfDeltasSquared += w * delta * (x - mean)
    }

    /// Chan et al.'s pairwise merge of (`mean`, weight `n1`) with (`other`, weight `n2`);
    /// `total` is `n1 + n2` as the caller stored it.
    @inlinable @inline(__always)
    static func merge(mean: inout Double, sumOfDeltasSquared: inout Double, weight n1: Double,
                      other mu2: Double, otherSumOfDeltasSquared: Double, otherWeight n2: Double, total: Double) {
        let mu1 = mean
        mean = (n1 * mu1 + n2 * mu2) / total
        sumOfDeltasSquared += otherSumOfDeltasSquared
        sumOfDeltasSquared += n1 * (mean - mu1) * (mean - mu1) + n2 * (mean - mu2) * (mean - mu2)
    }

    /// `h *= s` on a mean: the mean scales by `s`, the squared deviations by `s²`.
    @inlinable @inline(__always)
    static func scale(mean: inout Double, sumOfDeltasSquared: inout Double, by s: Double) {
        mean *= s
        // (x*s)*s, not x*(s*s): the order boost-histogram uses, for identical rounding.
        sumOfDeltasSquared = sumOfDeltasSquared * s * s
    }
}
