/// A value to bin on an axis of any kind, for scalar and N-dimensional fills.
///
/// Literals convert directly, so a fill reads naturally:
///
/// ```swift
/// try h.fill(42.5, "ttbar", true)
/// ```
public enum AxisValue: Sendable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    case double(Double)
    case int(Int)
    case string(String)
    case bool(Bool)

    public init(floatLiteral value: Double) { self = .double(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value as a real number, when it has one.
    public var real: Double? {
        switch self {
        case .double(let x): return x
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .string: return nil
        }
    }
}

/// One axis of any kind: a closed set of concrete axis types.
///
/// Histograms keep their axes as `[AnyAxis]` so that they can mix kinds. It is an enum,
/// not an existential, so the fill loops switch once per column and then run a loop
/// specialised on the concrete axis type.
///
/// ```swift
/// let axes: [AnyAxis] = [.regular(RegularAxis(bins: 10, lower: 0, upper: 1)), .boolean(BooleanAxis())]
/// axes[0].extent   // 12
/// ```
public enum AnyAxis: Sendable, Equatable {
    case regular(RegularAxis)
    case variable(VariableAxis)
    case integer(IntegerAxis)
    case intCategory(IntCategoryAxis)
    case strCategory(StrCategoryAxis)
    case boolean(BooleanAxis)

    public var size: Int {
        switch self {
        case .regular(let a): a.size
        case .variable(let a): a.size
        case .integer(let a): a.size
        case .intCategory(let a): a.size
        case .strCategory(let a): a.size
        case .boolean(let a): a.size
        }
    }

    public var traits: AxisTraits {
        switch self {
        case .regular(let a): a.traits
        case .variable(let a): a.traits
        case .integer(let a): a.traits
        case .intCategory(let a): a.traits
        case .strCategory(let a): a.traits
        case .boolean(let a): a.traits
        }
    }

    public var metadata: AxisMetadata {
        get {
            switch self {
            case .regular(let a): a.metadata
            case .variable(let a): a.metadata
            case .integer(let a): a.metadata
            case .intCategory(let a): a.metadata
            case .strCategory(let a): a.metadata
            case .boolean(let a): a.metadata
            }
        }
        set {
            switch self {
            case .regular(var a): a.metadata = newValue; self = .regular(a)
            case .variable(var a): a.metadata = newValue; self = .variable(a)
            case .integer(var a): a.metadata = newValue; self = .integer(a)
            case .intCategory(var a): a.metadata = newValue; self = .intCategory(a)
            case .strCategory(var a): a.metadata = newValue; self = .strCategory(a)
            case .boolean(var a): a.metadata = newValue; self = .boolean(a)
            }
        }
    }

    public var edges: [Double] {
        switch self {
        case .regular(let a): a.edges
        case .variable(let a): a.edges
        case .integer(let a): a.edges
        case .intCategory(let a): a.edges
        case .strCategory(let a): a.edges
        case .boolean(let a): a.edges
        }
    }

    /// Bins including flow.
    public var extent: Int { size + (traits.underflow ? 1 : 0) + (traits.overflow ? 1 : 0) }
    /// 1 when there is an underflow bin (offset of index -1 in storage).
    public var flowShift: Int { traits.underflow ? 1 : 0 }
    /// Whether bins are intervals on the real line (regular, variable, integer).
    public var isContinuous: Bool {
        switch self {
        case .regular, .variable, .integer: true
        default: false
        }
    }
    /// Bin widths (1 for categorical axes).
    public var widths: [Double] {
        let e = edges
        return (0..<size).map { e[$0 + 1] - e[$0] }
    }
    /// Bin centres.
    public var centers: [Double] {
        let e = edges
        return (0..<size).map { (e[$0] + e[$0 + 1]) / 2 }
    }

    /// Index of `value` (boost-histogram convention), or `nil` if the value has the wrong kind.
    public func index(_ value: AxisValue) -> Int? {
        switch self {
        case .regular(let a): return value.real.map(a.index)
        case .variable(let a): return value.real.map(a.index)
        case .integer(let a):
            if case .int(let i) = value { return a.index(integer: i) }
            return value.real.map(a.index)
        case .intCategory(let a):
            switch value {
            case .int(let i): return a.index(i)
            case .bool(let b): return a.index(b ? 1 : 0)
            case .double(let x): return x.isFinite && x == x.rounded(.towardZero) ? a.index(Int(x)) : a.size
            case .string: return nil
            }
        case .strCategory(let a):
            if case .string(let s) = value { return a.index(s) }
            return nil
        case .boolean(let a):
            switch value {
            case .bool(let b): return a.index(b)
            case .int(let i): return a.index(i != 0)
            case .double(let x): return a.index(x != 0)
            case .string: return nil
            }
        }
    }

    /// Like ``index(_:)`` but grows a growing axis; `nil` if the value has the wrong kind.
    public mutating func update(_ value: AxisValue) -> (index: Int, addedBelow: Int, addedAbove: Int)? {
        guard traits.growth else { return index(value).map { ($0, 0, 0) } }
        switch self {
        case .regular(var a):
            guard let x = value.real else { return nil }
            let r = a.update(x); self = .regular(a); return r
        case .variable(var a):
            guard let x = value.real else { return nil }
            let r = a.update(x); self = .variable(a); return r
        case .integer(var a):
            guard let x = value.real else { return nil }
            let r = a.update(x); self = .integer(a); return r
        case .intCategory(var a):
            let i: Int
            switch value {
            case .int(let v): i = v
            case .bool(let b): i = b ? 1 : 0
            case .double(let x):
                guard x.isFinite && x == x.rounded(.towardZero) else { return nil }
                i = Int(x)
            case .string: return nil
            }
            let r = a.update(i); self = .intCategory(a); return r
        case .strCategory(var a):
            guard case .string(let s) = value else { return nil }
            let r = a.update(s); self = .strCategory(a); return r
        case .boolean:
            return index(value).map { ($0, 0, 0) }
        }
    }

    /// Same binning, ignoring metadata (what `+` requires of two histograms).
    public func sameBinning(_ other: AnyAxis) -> Bool {
        var a = self, b = other
        a.metadata = .init(); b.metadata = .init()
        return a == b
    }

    /// The UHI/boost-histogram kind name of this axis.
    public var kindName: String {
        switch self {
        case .regular: "regular"
        case .variable: "variable"
        case .integer: "integer"
        case .intCategory: "category_int"
        case .strCategory: "category_str"
        case .boolean: "boolean"
        }
    }

    /// A human-readable label of bin `i` (interval or category).
    public func binLabel(_ i: Int) -> String {
        binLabels(i..<(i + 1))[0]
    }

    /// The labels of bins `indices` (-1 and `size` are the flow bins); the edges are
    /// computed once for all of them, so labelling every bin takes linear time.
    public func binLabels(_ indices: Range<Int>) -> [String] {
        switch self {
        case .intCategory(let a): return indices.map { $0 < a.size ? String(a.categories[$0]) : "other" }
        case .strCategory(let a): return indices.map { $0 < a.size ? a.categories[$0] : "other" }
        case .boolean: return indices.map { $0 == 0 ? "false" : "true" }
        default:
            let e = edges
            return indices.map { i in
                if i < 0 { return "(-inf, \(formatNumber(e[0])))" }
                if i >= size { return "[\(formatNumber(e[size])), +inf)" }
                return "[\(formatNumber(e[i])), \(formatNumber(e[i + 1])))"
            }
        }
    }
}

/// A compact decimal rendering of an edge for labels: at most 6 significant digits (so
/// 2.4000000000000004 reads 2.4), no trailing zeros, no ".0".
func formatNumber(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    let magnitude = abs(x)
    guard magnitude >= 1e-4 && magnitude < 1e15 else { return String(x) }
    let decimals = Swift.max(0, 5 - Int(magnitude.log10Floor))
    var text = x.formatted(decimals: decimals)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
}

// Each concrete axis knows its case in `AnyAxis`, so histograms can be built from them directly.
extension RegularAxis { public var erased: AnyAxis { .regular(self) } }
extension VariableAxis { public var erased: AnyAxis { .variable(self) } }
extension IntegerAxis { public var erased: AnyAxis { .integer(self) } }
// CategoryAxis (IntCategoryAxis, StrCategoryAxis): `erased` through CategoryValue.erase.
extension BooleanAxis { public var erased: AnyAxis { .boolean(self) } }
