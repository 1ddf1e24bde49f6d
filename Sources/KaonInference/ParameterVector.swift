import _Differentiation

/// The model's parameter vector as the likelihood sees it while being differentiated.
///
/// Why not `[Double]`: the derivative Swift registers for `Array.subscript` returns a dense
/// tangent the size of the whole array for every element read, so a likelihood that reads
/// parameters thousands of times spends its time adding mostly-zero arrays. Every term of a
/// HistFactory likelihood touches one or two parameters, so here the tangent is *sparse*
/// (index/value pairs, summed when made dense). The compiler still differentiates all of the
/// likelihood; only this read has a hand-registered (and trivially linear) pullback.
///
/// ```swift
/// let (value, tangent) = valueWithGradient(at: ParameterVector([1, 2])) { p in p[0] * p[1] }
/// tangent.dense(count: 2)   // [2, 1]
/// ```
public struct ParameterVector: Differentiable {
    /// The values.
    @noDerivative public var values: [Double]

    /// Wraps values.
    public init(_ values: [Double]) { self.values = values }

    /// A sparse gradient: contributions (index, value), possibly repeated, added on densifying.
    public struct TangentVector: AdditiveArithmetic, Differentiable {
        public typealias TangentVector = Self
        var indices: [Int] = []
        var values: [Double] = []

        public static var zero: Self { Self() }

        public static func + (a: Self, b: Self) -> Self {
            var r = a
            r += b
            return r
        }

        public static func += (a: inout Self, b: Self) {
            a.indices += b.indices
            a.values += b.values
        }

        public static func - (a: Self, b: Self) -> Self {
            var r = a
            r.indices += b.indices
            r.values += b.values.map { -$0 }
            return r
        }

        public mutating func move(by offset: Self) { self += offset }

        /// Equal when the dense forms are equal (needed by `AdditiveArithmetic`).
        public static func == (a: Self, b: Self) -> Bool {
            let n = max(a.indices.max() ?? -1, b.indices.max() ?? -1) + 1
            return a.dense(count: n) == b.dense(count: n)
        }

        /// The gradient as a dense array of `count` entries.
        public func dense(count: Int) -> [Double] {
            var out = [Double](repeating: 0, count: count)
            for (i, v) in zip(indices, values) { out[i] += v }
            return out
        }
    }

    public mutating func move(by offset: TangentVector) {
        for (i, v) in zip(offset.indices, offset.values) { values[i] += v }
    }

    /// The parameter at `index`; differentiable, with a one-entry sparse tangent.
    @differentiable(reverse)
    public subscript(index: Int) -> Double { values[index] }

    @derivative(of: subscript)
    public func vjpSubscript(index: Int) -> (value: Double, pullback: (Double) -> TangentVector) {
        (values[index], { TangentVector(indices: [index], values: [$0]) })
    }
}
