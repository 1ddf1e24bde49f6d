/// A correction's node tree compiled once into flat arrays, so that evaluating an event is a
/// walk over indices: no allocation, no protocol dispatch, no JSON.
///
/// Every node refers to its children by index into ``nodes`` (or into the side tables for
/// bin edges, axes, category maps and formula nodes); ``CorrectionEvaluator`` interprets it.
struct CorrectionProgram: Sendable {
    /// What a bin lookup does with a value outside the edges (correctionlib's `flow`).
    enum Flow: Sendable {
        case clamp, error, wrap
        /// The node at `fallback` gives the value.
        case value
    }

    /// One binned axis: uniform (`n`, `low`, `high`) or explicit edges in ``edges``.
    struct Axis: Sendable {
        var input: Int
        var uniform: Bool
        var bins: Int
        var low: Double
        var high: Double
        /// Where the axis' `bins + 1` edges start in ``edges`` (non-uniform axes).
        var firstEdge: Int
        /// Step in the flattened content of a multibinning for one bin along this axis.
        var stride: Int
    }

    /// The hashprng distributions.
    enum Distribution: Sendable { case stdflat, stdnormal, normal }

    enum Node: Sendable {
        case constant(Double)
        /// Content nodes are `children[content ..< content + bins]`; `fallback` is -1 unless flow is `.value`.
        case binning(axis: Int, flow: Flow, content: Int, fallback: Int)
        /// Axes `firstAxis ..< firstAxis + axisCount`, content `children[content...]` in row-major order.
        case multibinning(firstAxis: Int, axisCount: Int, flow: Flow, content: Int, fallback: Int)
        /// `categories[table]` maps a key (string inputs: its code) to a node; `fallback` is -1 without default.
        case category(input: Int, table: Int, fallback: Int)
        /// A formula rooted at `formulaNodes[root]`; its parameters are `parameters[firstParameter...]`.
        case formula(root: Int, firstParameter: Int)
        /// Evaluates `rule`, substitutes it for `input`, evaluates `content`.
        case transform(input: Int, rule: Int, content: Int)
        /// Hashes the inputs `hashInputs[firstInput ..< firstInput + inputCount]` into a seed.
        case hashprng(firstInput: Int, inputCount: Int, distribution: Distribution)
    }

    var nodes: [Node] = []
    var children: [Int] = []
    var edges: [Double] = []
    var axes: [Axis] = []
    var categories: [CategoryTable] = []
    var formulaNodes: [FormulaNode] = []
    var parameters: [Double] = []
    var hashInputs: [Int] = []
    var root = 0
}
