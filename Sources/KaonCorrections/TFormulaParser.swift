import KaonIO

/// Parses the subset of ROOT's TFormula syntax that correctionlib accepts into ``FormulaNode``s.
///
/// The grammar follows correctionlib 2.9's: binary operators `|| && == != > < >= <= - + / * ^`
/// in rising precedence, all left-associative except `^`; a unary minus binds to the single
/// atom after it (so `-x^2` is `(-x)^2`, as correctionlib computes it); a numeric literal may
/// carry its own leading minus; variables `x y z t` (or `x[i]`) are the formula's
/// `variables` in order; `[i]` is parameter i; the functions are correctionlib's.
struct TFormulaParser {
    let text: [UInt8]
    let expression: String
    var position = 0
    /// The correction inputs standing for x, y, z, t / x[i].
    let variables: [Int]
    /// Bound parameters become literals (a `formula`); unbound ones stay `[i]` (a generic formula).
    let boundParameters: [Double]?
    var nodes: [FormulaNode]
    /// The highest parameter index used, for checking a `formularef`'s parameter count.
    var highestParameter = -1

    init(_ expression: String, variables: [Int], boundParameters: [Double]?, nodes: [FormulaNode]) {
        self.expression = expression
        self.text = Array(expression.utf8)
        self.variables = variables
        self.boundParameters = boundParameters
        self.nodes = nodes
    }

    func failure(_ what: String) -> KaonError {
        KaonError(.malformed, "formula \"\(expression)\": \(what) at character \(position)")
    }

    /// Parses the whole expression and returns its root node's index.
    mutating func parse() throws(KaonError) -> Int {
        let root = try expression(minimumPrecedence: 1)
        skipSpace()
        guard position == text.count else { throw failure("unexpected '\(String(decoding: text[position...], as: UTF8.self))'") }
        return root
    }

    mutating func add(_ node: FormulaNode) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    mutating func skipSpace() {
        while position < text.count, text[position] == 0x20 || text[position] == 0x09 { position += 1 }
    }

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < text.count ? text[position + offset] : nil
    }

    static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    static func isLetter(_ c: UInt8?) -> Bool { c.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } ?? false }

    /// Precedence climbing over the infix operators.
    mutating func expression(minimumPrecedence: Int) throws(KaonError) -> Int {
        var left = try atom()
        while true {
            skipSpace()
            guard let op = infixOperator(), op.precedence >= minimumPrecedence else { return left }
            position += op.rawValue.utf8.count
            let right = try expression(minimumPrecedence: op == .power ? op.precedence : op.precedence + 1)
            left = add(.binary(op, left, right))
        }
    }

    /// The operator at the current position, longest match first (`>=` before `>`).
    func infixOperator() -> FormulaNode.BinaryFunction? {
        guard let c = peek() else { return nil }
        if let d = peek(1) {
            let pair = String(decoding: [c, d], as: UTF8.self)
            if let op = FormulaNode.BinaryFunction(rawValue: pair), op.rawValue.utf8.count == 2 { return op }
        }
        let single = String(decoding: [c], as: UTF8.self)
        guard let op = FormulaNode.BinaryFunction(rawValue: single) else { return nil }
        return op
    }

    mutating func atom() throws(KaonError) -> Int {
        skipSpace()
        if let literal = literal() { return add(.literal(literal)) }
        var negate = false
        if peek() == UInt8(ascii: "-") {
            negate = true
            position += 1
            skipSpace()
        }
        let operand = try unsignedAtom()
        return negate ? add(.unary(.negative, operand)) : operand
    }

    /// A number: `-? digits (. digits?)? (e -? digits)?`, or nil (position unchanged).
    mutating func literal() -> Double? {
        var end = position
        if end < text.count, text[end] == UInt8(ascii: "-") { end += 1 }
        guard end < text.count, Self.isDigit(text[end]) else { return nil }
        while end < text.count, Self.isDigit(text[end]) { end += 1 }
        if end < text.count, text[end] == UInt8(ascii: ".") {
            end += 1
            while end < text.count, Self.isDigit(text[end]) { end += 1 }
        }
        if end < text.count, text[end] == UInt8(ascii: "e") {
            var exponent = end + 1
            if exponent < text.count, text[exponent] == UInt8(ascii: "-") { exponent += 1 }
            if exponent < text.count, Self.isDigit(text[exponent]) {
                while exponent < text.count, Self.isDigit(text[exponent]) { exponent += 1 }
                end = exponent
            }
        }
        guard let value = Double(String(decoding: text[position..<end], as: UTF8.self)) else { return nil }
        position = end
        return value
    }

    mutating func unsignedAtom() throws(KaonError) -> Int {
        guard let c = peek() else { throw failure("expression ends where an operand should be") }
        if c == UInt8(ascii: "(") {
            position += 1
            let inner = try expression(minimumPrecedence: 1)
            try expect(")")
            return inner
        }
        if c == UInt8(ascii: "[") {
            let index = try bracketedIndex()
            highestParameter = max(highestParameter, index)
            if let boundParameters {
                guard index < boundParameters.count else {
                    throw failure("parameter [\(index)] but only \(boundParameters.count) parameters are given")
                }
                return add(.literal(boundParameters[index]))
            }
            return add(.parameter(index))
        }
        guard Self.isLetter(c) else { throw failure("expected a number, variable, parameter, function or '('") }
        let start = position
        while Self.isLetter(peek()) || Self.isDigit(peek()) { position += 1 }
        let name = String(decoding: text[start..<position], as: UTF8.self)
        let afterName = position
        skipSpace()
        if peek() == UInt8(ascii: "(") {
            position += 1
            if let function = FormulaNode.UnaryFunction(rawValue: name), function != .negative {
                let argument = try expression(minimumPrecedence: 1)
                try expect(")")
                return add(.unary(function, argument))
            }
            if let function = FormulaNode.BinaryFunction(rawValue: name), function.precedence == 7, function != .power {
                let first = try expression(minimumPrecedence: 1)
                try expect(",")
                let second = try expression(minimumPrecedence: 1)
                try expect(")")
                return add(.binary(function, first, second))
            }
            throw failure("unknown function '\(name)'")
        }
        position = afterName  // `x[i]` is one token: no space before its bracket
        let variable: Int
        switch name {
        case "x":
            if peek() == UInt8(ascii: "[") { variable = try bracketedIndex() } else { variable = 0 }
        case "y": variable = 1
        case "z": variable = 2
        case "t": variable = 3
        default: throw failure("unknown name '\(name)' (variables are x, y, z, t and x[i])")
        }
        guard variable < variables.count else {
            throw failure("variable \(name) needs \(variable + 1) variables but the formula declares \(variables.count)")
        }
        return add(.variable(variables[variable]))
    }

    /// `[digits]`, returning the number.
    mutating func bracketedIndex() throws(KaonError) -> Int {
        position += 1
        let start = position
        while Self.isDigit(peek()) { position += 1 }
        guard position > start, let index = Int(String(decoding: text[start..<position], as: UTF8.self)) else {
            throw failure("expected an index")
        }
        try expect("]")
        return index
    }

    mutating func expect(_ token: Character) throws(KaonError) {
        skipSpace()
        guard let c = peek(), Character(UnicodeScalar(c)) == token else { throw failure("expected '\(token)'") }
        position += 1
    }
}
