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

    /// A sparse gradient: a tree of one-entry contributions, added up on densifying.
    ///
    /// Sums are O(1) nodes rather than concatenated arrays: the reverse pass adds thousands
    /// of one-entry tangents, and copying a growing list at every addition was quadratic.
    public struct TangentVector: AdditiveArithmetic, Differentiable {
        /// A tangent vector's own tangent space is itself.
        public typealias TangentVector = Self

        indirect enum Node {
            case zero
            case entry(Int, Double)
            case sum(Node, Node)
            case negated(Node)
        }

        var node: Node = .zero

        /// No contributions.
        public static var zero: Self { Self() }

        /// The sum (a new node over both, nothing copied).
        public static func + (a: Self, b: Self) -> Self {
            if case .zero = a.node { return b }
            if case .zero = b.node { return a }
            return Self(node: .sum(a.node, b.node))
        }

        /// The difference.
        public static func - (a: Self, b: Self) -> Self {
            if case .zero = b.node { return a }
            return a + Self(node: .negated(b.node))
        }

        /// Moves by `offset` (the tangent space of a tangent vector is itself).
        public mutating func move(by offset: Self) { self = self + offset }

        /// Equal when the dense forms are equal (needed by `AdditiveArithmetic`).
        public static func == (a: Self, b: Self) -> Bool {
            let n = max(a.maxIndex, b.maxIndex) + 1
            return a.dense(count: n) == b.dense(count: n)
        }

        /// Visits every entry with its sign, iteratively (the trees can be thousands deep).
        func forEachEntry(_ body: (Int, Double) -> Void) {
            var stack: [(Node, Double)] = [(node, 1)]
            while let (n, sign) = stack.popLast() {
                switch n {
                case .zero: break
                case .entry(let i, let v): body(i, sign * v)
                case .sum(let l, let r): stack.append((l, sign)); stack.append((r, sign))
                case .negated(let inner): stack.append((inner, -sign))
                }
            }
        }

        var maxIndex: Int {
            var m = -1
            forEachEntry { i, _ in m = max(m, i) }
            return m
        }

        /// The gradient as a dense array of `count` entries.
        public func dense(count: Int) -> [Double] {
            var out = [Double](repeating: 0, count: count)
            forEachEntry { i, v in out[i] += v }
            return out
        }
    }

    /// Adds a (sparse) step to the values.
    public mutating func move(by offset: TangentVector) {
        offset.forEachEntry { i, v in values[i] += v }
    }

    /// The parameter at `index`; differentiable, with a one-entry sparse tangent.
    @differentiable(reverse)
    public subscript(index: Int) -> Double { values[index] }

    /// The reverse-mode derivative of ``subscript(_:)``: the value and a pullback giving a
    /// one-entry tangent (public only because the subscript is).
    @derivative(of: subscript)
    public func vjpSubscript(index: Int) -> (value: Double, pullback: (Double) -> TangentVector) {
        (values[index], { TangentVector(node: .entry(index, $0)) })
    }
}
