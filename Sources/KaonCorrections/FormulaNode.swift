import Foundation

/// One node of a compiled TFormula expression; children are indices into the same array.
enum FormulaNode: Sendable {
    case literal(Double)
    /// A correction input (its index among the correction's inputs), always real-valued.
    case variable(Int)
    /// `[i]` of a generic formula, taken from the referring `formularef`'s parameters.
    case parameter(Int)
    case unary(UnaryFunction, Int)
    case binary(BinaryFunction, Int, Int)

    /// The one-argument operations: unary minus and the functions correctionlib's grammar names.
    enum UnaryFunction: String, Sendable, CaseIterable {
        case negative = "-"
        case log, log10, exp, erf, sqrt, abs, cos, sin, tan, acos, asin, atan, cosh, sinh, tanh, acosh, asinh, atanh

        func apply(_ x: Double) -> Double {
            switch self {
            case .negative: -x
            case .log: Foundation.log(x)
            case .log10: Foundation.log10(x)
            case .exp: Foundation.exp(x)
            case .erf: Foundation.erf(x)
            case .sqrt: x.squareRoot()
            case .abs: Swift.abs(x)
            case .cos: Foundation.cos(x)
            case .sin: Foundation.sin(x)
            case .tan: Foundation.tan(x)
            case .acos: Foundation.acos(x)
            case .asin: Foundation.asin(x)
            case .atan: Foundation.atan(x)
            case .cosh: Foundation.cosh(x)
            case .sinh: Foundation.sinh(x)
            case .tanh: Foundation.tanh(x)
            case .acosh: Foundation.acosh(x)
            case .asinh: Foundation.asinh(x)
            case .atanh: Foundation.atanh(x)
            }
        }
    }

    /// The two-argument operators and functions. Comparisons and logic give 1 or 0.
    enum BinaryFunction: String, Sendable {
        case or = "||", and = "&&", equal = "==", notEqual = "!=", greater = ">", less = "<"
        case greaterEqual = ">=", lessEqual = "<=", minus = "-", plus = "+", divide = "/", times = "*", power = "^"
        case atan2, pow, max, min

        func apply(_ a: Double, _ b: Double) -> Double {
            switch self {
            case .or: (a != 0 || b != 0) ? 1 : 0
            case .and: (a != 0 && b != 0) ? 1 : 0
            case .equal: a == b ? 1 : 0
            case .notEqual: a != b ? 1 : 0
            case .greater: a > b ? 1 : 0
            case .less: a < b ? 1 : 0
            case .greaterEqual: a >= b ? 1 : 0
            case .lessEqual: a <= b ? 1 : 0
            case .minus: a - b
            case .plus: a + b
            case .divide: a / b
            case .times: a * b
            case .power, .pow: Foundation.pow(a, b)
            case .atan2: Foundation.atan2(a, b)
            // std::max/std::min: the first argument unless the second compares strictly
            // beyond it, which decides what a NaN gives.
            case .max: a < b ? b : a
            case .min: b < a ? b : a
            }
        }

        /// Binding strength of an infix operator (higher binds tighter), as in correctionlib's grammar.
        var precedence: Int {
            switch self {
            case .or: 1
            case .and: 2
            case .equal, .notEqual: 3
            case .greater, .less, .greaterEqual, .lessEqual: 4
            case .minus, .plus: 5
            case .divide, .times: 6
            case .power, .atan2, .pow, .max, .min: 7
            }
        }
    }
}
