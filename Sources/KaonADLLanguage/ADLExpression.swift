/// An expression of an ADL file, as written: a syntax tree with the location and source
/// span of every node. Names are not resolved here (compiling an ``ADLProgram`` does that),
/// so `MET`, `goodJets` and `HT` are all ``ADLExpressionKind/name(_:)``.
///
/// ```swift
/// // m(Muo[0] Muo[1]) [] 70 110
/// // .range(.call("m", [.sum([.index(.name("Muo"), 0), .index(.name("Muo"), 1)])]), 70, 110, inclusive: true)
/// ```
public indirect enum ADLExpressionKind: Sendable {
    /// A number literal.
    case number(Double)
    /// A string literal (histogram titles, bin labels).
    case string(String)
    /// An identifier: an object, a definition, `MET`, a table…
    case name(String)
    /// `ALL`: every event (a cut that always passes).
    case all
    /// `base[index]` or `base_index` (`Muo[0]`, `goodJets_1`, `goodjet[-1]`).
    case index(base: ADLExpression, index: ADLExpression)
    /// `base[lower:upper]`, either bound optional (`JET[:2]`, `ELE[0:]`); both bounds inclusive.
    case slice(base: ADLExpression, lower: ADLExpression?, upper: ADLExpression?)
    /// `{object}attribute` (`{Ele}Pt`, `{goodMuos_0 + goodbJets_0}m`).
    case attribute(object: ADLExpression, name: String)
    /// `name(arguments…)`: attributes (`pT(Jet)`), functions (`dR`, `abs`), reducers (`sum`).
    case call(name: String, arguments: [ADLExpression])
    /// `object constituents` (or `daughters`): the objects a composite or jet is made of.
    case constituents(ADLExpression)
    /// Objects written side by side (`Muo[0] Muo[1]`): their four-momentum sum.
    case juxtaposition([ADLExpression])
    /// `-x`, `not x`.
    case unary(ADLUnaryOperator, ADLExpression)
    /// `a op b`.
    case binary(ADLBinaryOperator, ADLExpression, ADLExpression)
    /// `value [] lower upper` (inclusive: lower ≤ value ≤ upper) or `value ][ lower upper`
    /// (outside: value ≤ lower or value ≥ upper), as CutLang defines them.
    case range(value: ADLExpression, lower: ADLExpression, upper: ADLExpression, inside: Bool)
    /// `value ~= target` (choose the negative-index assignment bringing `value` closest to
    /// `target`) or `value ~! target` (furthest from it).
    case optimize(value: ADLExpression, target: ADLExpression, closest: Bool)
    /// `condition ? then : else`.
    case ternary(ADLExpression, ADLExpression, ADLExpression)
}

/// A unary operator.
public enum ADLUnaryOperator: String, Sendable {
    case negate = "-"
    case not = "not"
}

/// A binary operator (comparisons included; ranges and optimisations have their own kinds).
public enum ADLBinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and = "and", or = "or"

    /// True for the six comparisons.
    public var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
        default: false
        }
    }
}

/// An expression node: its kind, where it starts and the source span it covers.
public struct ADLExpression: Sendable {
    /// What it is.
    public let kind: ADLExpressionKind
    /// Where it starts.
    public let location: ADLLocation
    /// Scalar offset just past its last token (with `location.offset`, the text it was written as).
    public let end: Int

    /// A node.
    public init(_ kind: ADLExpressionKind, at location: ADLLocation, end: Int) {
        self.kind = kind
        self.location = location
        self.end = end
    }
}
