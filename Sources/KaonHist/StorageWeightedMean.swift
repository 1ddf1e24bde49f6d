/// A weighted running mean (West's algorithm): boost-histogram's `accumulators.WeightedMean`.
///
/// ```swift
/// var m = WeightedMean()
/// WeightedMeanStorage.fill(&m, weight: 2, sample: 1)
/// m.sumOfWeights   // 2
/// ```
public struct WeightedMean: Sendable, Equatable, Hashable {
    public var sumOfWeights: Double
    public var sumOfWeightsSquared: Double
    public var value: Double
    public var sumOfWeightedDeltasSquared: Double

    public init(sumOfWeights: Double = 0, sumOfWeightsSquared: Double = 0, value: Double = 0,
                sumOfWeightedDeltasSquared: Double = 0) {
        self.sumOfWeights = sumOfWeights
        self.sumOfWeightsSquared = sumOfWeightsSquared
        self.value = value
        self.sumOfWeightedDeltasSquared = sumOfWeightedDeltasSquared
    }

    /// Weighted sample variance; NaN when the effective count is at most one (boost's rule).
    @inlinable public var variance: Double {
        let denominator = sumOfWeights - sumOfWeightsSquared / sumOfWeights
        return denominator <= 0 ? .nan : sumOfWeightedDeltasSquared / denominator
    }
}

/// Weighted profile storage (`storage.WeightedMean`).
///
/// `counts()` is the effective count `sumOfWeights² / sumOfWeightsSquared`; `variances()`
/// is `variance / sumOfWeights` where `sumOfWeights² > sumOfWeightsSquared`, else NaN.
public enum WeightedMeanStorage: Storage {
    public typealias Bin = WeightedMean
    public static var zero: WeightedMean { WeightedMean() }
    public static var uhiType: String { "weighted_mean" }
    public static var needsSample: Bool { true }
    public static var acceptsWeight: Bool { true }
    @inlinable @inline(__always) public static func fill(_ bin: inout WeightedMean, sample x: Double) {
        fill(&bin, weight: 1, sample: x)
    }
    @inlinable @inline(__always) public static func fill(_ bin: inout WeightedMean, weight w: Double, sample x: Double) {
        bin.sumOfWeights += w
        bin.sumOfWeightsSquared += w * w
        RunningMean.update(mean: &bin.value, sumOfDeltasSquared: &bin.sumOfWeightedDeltasSquared, weight: w,
                           sumOfWeights: bin.sumOfWeights, sample: x)
    }
    @inlinable public static func add(_ bin: inout WeightedMean, _ rhs: WeightedMean) {
        if rhs.sumOfWeights == 0 { return }
        let n1 = bin.sumOfWeights
        bin.sumOfWeights += rhs.sumOfWeights
        bin.sumOfWeightsSquared += rhs.sumOfWeightsSquared
        RunningMean.merge(mean: &bin.value, sumOfDeltasSquared: &bin.sumOfWeightedDeltasSquared, weight: n1,
                          other: rhs.value, otherSumOfDeltasSquared: rhs.sumOfWeightedDeltasSquared,
                          otherWeight: rhs.sumOfWeights, total: bin.sumOfWeights)
    }
    @inlinable public static func scale(_ bin: inout WeightedMean, by s: Double) {
        RunningMean.scale(mean: &bin.value, sumOfDeltasSquared: &bin.sumOfWeightedDeltasSquared, by: s)
    }
    @inlinable public static func value(_ bin: WeightedMean) -> Double { bin.value }
    @inlinable public static func variance(_ bin: WeightedMean) -> Double {
        bin.sumOfWeights * bin.sumOfWeights > bin.sumOfWeightsSquared ? bin.variance / bin.sumOfWeights : .nan
    }
    @inlinable public static func count(_ bin: WeightedMean) -> Double {
        bin.sumOfWeightsSquared != 0 ? bin.sumOfWeights * bin.sumOfWeights / bin.sumOfWeightsSquared : 0
    }
}
