#if canImport(Glibc)
import Glibc
#endif
import KaonColumns
import KaonIO
import KaonROOT
import KaonTree

/// Evaluates an `Expression` over the columns of a block of events, with the vectorised
/// kernels of `KaonColumns`.
public struct Evaluator {
    /// Loads a branch as numbers: flat branches per event, jagged and fixed-size arrays as
    /// lists. Provided by the caller (the engine's `EventBlock`).
    public let load: (String) throws -> Column
    public let count: Int
    let text: String

    public init(expressionText: String = "", count: Int, load: @escaping (String) throws -> Column) {
        self.load = load
        self.count = count
        text = expressionText
    }

    func error(_ message: String, _ position: Int) -> ExpressionError {
        ExpressionError(message: message, expression: text, position: position)
    }

    public func evaluate(_ expression: Expression) throws -> ExpressionValue {
        switch expression {
        case .number(let value):
            return .constant(value)
        case .branch(let name, let position):
            do {
                return try Self.value(of: load(name), count: count)
            } catch let failure as KaonError {
                throw error(failure.message, position)
            }
        case .unary(let op, let operand, let position):
            let value = try evaluate(operand)
            switch op {
            case "-": return try map(value, position) { -$0 }
            default: return try map(value, position) { $0 == 0 ? 1 : 0 }
            }
        case .binary(let op, let left, let right, let position):
            let a = try evaluate(left)
            let b = try evaluate(right)
            return try combine(a, b, position, Self.binary(op))
        case .index(let base, let k, let position):
            guard case .lists(let lists) = try evaluate(base) else {
                throw error("only lists (objects per event) can be indexed", position)
            }
            var values = [Double](repeating: .nan, count: lists.count)
            var valid = [Bool](repeating: false, count: lists.count)
            for event in 0..<lists.count {
                let range = lists.range(of: event)
                if k < range.count {
                    values[event] = lists.values[range.lowerBound + k]
                    valid[event] = true
                }
            }
            return .events(values, valid: valid)
        case .call(let name, let arguments, let position):
            return try call(name, arguments, position)
        }
    }

    static func binary(_ op: String) -> (Double, Double) -> Double {
        switch op {
        case "+": return { $0 + $1 }
        case "-": return { $0 - $1 }
        case "*": return { $0 * $1 }
        case "/": return { $0 / $1 }
        case "%": return { fmod($0, $1) }
        case "**": return { pow($0, $1) }
        case "<": return { $0 < $1 ? 1 : 0 }
        case "<=": return { $0 <= $1 ? 1 : 0 }
        case ">": return { $0 > $1 ? 1 : 0 }
        case ">=": return { $0 >= $1 ? 1 : 0 }
        case "==": return { $0 == $1 ? 1 : 0 }
        case "!=": return { $0 != $1 ? 1 : 0 }
        case "&&": return { ($0 != 0 && $1 != 0) ? 1 : 0 }
        default: return { ($0 != 0 || $1 != 0) ? 1 : 0 }  // "||"
        }
    }

    func map(_ value: ExpressionValue, _ position: Int, _ f: (Double) -> Double) throws -> ExpressionValue {
        switch value {
        case .constant(let c): return .constant(f(c))
        case .events(let values, let valid): return .events(values.map(f), valid: valid)
        case .lists(let lists): return .lists(lists.map(f))
        }
    }

    /// Combines two values, broadcasting constants and per-event values over lists.
    func combine(_ a: ExpressionValue, _ b: ExpressionValue, _ position: Int,
                 _ f: (Double, Double) -> Double) throws -> ExpressionValue {
        switch (a, b) {
        case (.constant(let x), .constant(let y)):
            return .constant(f(x, y))
        case (.lists(let x), .lists(let y)):
            guard x.offsets == y.offsets else {
                throw error("the two sides are lists of different lengths in some events", position)
            }
            return .lists(x.zipMap(y, f))
        case (.lists(let x), _):
            let (values, valid) = b.perEvent(count: count)!
            try requireValid(valid, position)
            return .lists(x.broadcastMap(values, f))
        case (_, .lists(let y)):
            let (values, valid) = a.perEvent(count: count)!
            try requireValid(valid, position)
            return .lists(y.broadcastMap(values) { f($1, $0) })
        default:
            let (x, xValid) = a.perEvent(count: count)!
            let (y, yValid) = b.perEvent(count: count)!
            let valid: [Bool]? = switch (xValid, yValid) {
            case (nil, nil): nil
            case (let v?, nil), (nil, let v?): v
            case (let v?, let w?): zip(v, w).map { $0 && $1 }
            }
            return .events(zip(x, y).map(f), valid: valid)
        }
    }

    func requireValid(_ valid: [Bool]?, _ position: Int) throws {
        if let valid, valid.contains(false) {
            throw error("an indexed value is missing (none) in some events and cannot be combined with a list", position)
        }
    }

    func call(_ name: String, _ arguments: [Expression], _ position: Int) throws -> ExpressionValue {
        let values = try arguments.map(evaluate)
        if values.count == 1, FunctionTable.reductions.contains(name) {
            if case .lists(let lists) = values[0] { return reduce(name, lists) }
            if !FunctionTable.elementwise1.contains(name) {
                throw error("\(name)(…) reduces a list per event, but its argument is not a list", position)
            }
        }
        if values.count == 1 {
            let f: (Double) -> Double = switch name {
            case "abs": { Swift.abs($0) }
            case "sqrt": { $0.squareRoot() }
            case "exp": { Glibc.exp($0) }
            case "log": { Glibc.log($0) }
            case "log10": { Glibc.log10($0) }
            case "sin": { Glibc.sin($0) }
            case "cos": { Glibc.cos($0) }
            case "tan": { Glibc.tan($0) }
            case "asin": { Glibc.asin($0) }
            case "acos": { Glibc.acos($0) }
            case "atan": { Glibc.atan($0) }
            case "sinh": { Glibc.sinh($0) }
            case "cosh": { Glibc.cosh($0) }
            case "tanh": { Glibc.tanh($0) }
            case "floor": { $0.rounded(.down) }
            default: { $0.rounded(.up) }  // "ceil"
            }
            return try map(values[0], position, f)
        }
        let f: (Double, Double) -> Double = switch name {
        case "atan2": { Glibc.atan2($0, $1) }
        case "hypot": { Glibc.hypot($0, $1) }
        case "pow": { Glibc.pow($0, $1) }
        case "min": { Swift.min($0, $1) }
        default: { Swift.max($0, $1) }  // "max"
        }
        return try combine(values[0], values[1], position, f)
    }

    /// Per-event reductions with awkward's conventions: the sum of an empty list is 0, its
    /// count 0, any false, all true; min, max and mean of an empty list are none.
    func reduce(_ name: String, _ lists: JaggedArray<Double>) -> ExpressionValue {
        switch name {
        case "sum": return .events(lists.reduce(0.0, +), valid: nil)
        case "count": return .events(lists.counts.map(Double.init), valid: nil)
        case "any": return .events(lists.reduce(0.0) { ($0 != 0 || $1 != 0) ? 1 : 0 }, valid: nil)
        case "all": return .events(lists.reduce(1.0) { ($0 != 0 && $1 != 0) ? 1 : 0 }, valid: nil)
        case "mean":
            let sums = lists.reduce(0.0, +)
            let counts = lists.counts
            return .events(zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : .nan }, valid: counts.map { $0 > 0 })
        default:
            let best = name == "min" ? lists.min() : lists.max()
            return .events(best.map { $0 ?? .nan }, valid: best.map { $0 != nil })
        }
    }

    /// A column as numbers: scalars per event, counted/jagged/fixed arrays as lists.
    static func value(of column: Column, count: Int) throws -> ExpressionValue {
        guard case .primitive(let type, _) = column.values else {
            throw KaonError(.unsupported, "is not numeric and cannot be used in an expression")
        }
        let numbers = try doubles(column, type)
        if column.offsets.count > 1 {
            throw KaonError(.unsupported, "is a list of lists; expressions take at most one level of lists")
        }
        let group = column.innerShape.reduce(1, *)
        if let offsets = column.offsets.first {
            guard group == 1 else { throw KaonError(.unsupported, "has lists of fixed-size arrays, not supported in expressions") }
            return .lists(JaggedArray(offsets: offsets, values: numbers))
        }
        if group > 1 {
            return .lists(JaggedArray(offsets: (0...column.entryCount).map { $0 * group }, values: numbers))
        }
        return .events(numbers, valid: nil)
    }

    static func doubles(_ column: Column, _ type: PrimitiveType) throws -> [Double] {
        switch type {
        case .bool: try column.values(as: Bool.self).map { $0 ? 1 : 0 }
        case .int8: try column.values(as: Int8.self).map(Double.init)
        case .uint8: try column.values(as: UInt8.self).map(Double.init)
        case .int16: try column.values(as: Int16.self).map(Double.init)
        case .uint16: try column.values(as: UInt16.self).map(Double.init)
        case .int32: try column.values(as: Int32.self).map(Double.init)
        case .uint32: try column.values(as: UInt32.self).map(Double.init)
        case .int64: try column.values(as: Int64.self).map(Double.init)
        // A closure, not `map(Double.init)`: for [UInt64] that picked an initialiser that kept
        // the bit pattern (14 became 6.9e-323), so every uint64 branch compared as ~0.
        case .uint64: try column.values(as: UInt64.self).map { Double($0) }
        case .float32: try column.values(as: Float.self).map(Double.init)
        case .float64: try column.values(as: Double.self)
        }
    }
}
