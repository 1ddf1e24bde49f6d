/// A parsed expression over a tree's branches, as `kaon draw` takes them.
///
/// The language: numbers, branch names, `+ - * / % **`, comparisons `< <= > >= == !=`,
/// `&& || !`, parentheses, indexing a list by position (`Jet_pt[0]`, none when too short),
/// element-wise functions `abs sqrt exp log sin cos tan atan2 hypot pow min max`
/// (two arguments) and per-event reductions over lists `sum count min max mean any all`
/// (one argument). Operations between a list and a per-event value broadcast the value
/// over the list; operations between two lists need lists of equal lengths.
public indirect enum Expression: Equatable, Sendable {
    case number(Double)
    case branch(String, position: Int)
    case unary(String, Expression, position: Int)
    case binary(String, Expression, Expression, position: Int)
    case call(String, [Expression], position: Int)
    case index(Expression, Int, position: Int)

    /// Parses `text`; errors point at the offending token.
    public init(parsing text: String) throws {
        var parser = Parser(tokens: try Lexer.tokenize(text), text: text)
        self = try parser.parseExpression()
        try parser.expectEnd()
    }

    /// The branch names the expression reads, in first-use order.
    public var branches: [String] {
        var names: [String] = []
        func visit(_ e: Expression) {
            switch e {
            case .number: break
            case .branch(let name, _): if !names.contains(name) { names.append(name) }
            case .unary(_, let a, _), .index(let a, _, _): visit(a)
            case .binary(_, let a, let b, _): visit(a); visit(b)
            case .call(_, let args, _): args.forEach(visit)
            }
        }
        visit(self)
        return names
    }
}

/// A precedence-climbing parser.
struct Parser {
    let tokens: [Token]
    let text: String
    var index = 0

    init(tokens: [Token], text: String) {
        self.tokens = tokens
        self.text = text
    }

    var current: Token { tokens[index] }

    func error(_ message: String, at token: Token? = nil) -> ExpressionError {
        ExpressionError(message: message, expression: text, position: (token ?? current).position)
    }

    mutating func expectEnd() throws {
        guard current.kind == .end else { throw error("unexpected '\(current.text)' after the end of the expression") }
    }

    static let binaryPrecedence: [String: Int] = [
        "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
        "+": 5, "-": 5, "*": 6, "/": 6, "%": 6, "**": 8,
    ]

    mutating func parseExpression(minimum: Int = 1) throws -> Expression {
        var left = try parseUnary()
        while case .symbol(let op) = current.kind, let precedence = Self.binaryPrecedence[op], precedence >= minimum {
            let token = current
            index += 1
            // `**` is right-associative; everything else left-associative.
            let right = try parseExpression(minimum: op == "**" ? precedence : precedence + 1)
            left = .binary(op, left, right, position: token.position)
        }
        return left
    }

    mutating func parseUnary() throws -> Expression {
        if case .symbol(let op) = current.kind, op == "-" || op == "!" || op == "+" {
            let token = current
            index += 1
            let operand = try parseExpression(minimum: op == "!" ? 7 : 7)
            return op == "+" ? operand : .unary(op, operand, position: token.position)
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws -> Expression {
        var expression = try parsePrimary()
        while current.kind == .symbol("[") {
            let open = current
            index += 1
            guard case .number(let value) = current.kind, value >= 0, value == value.rounded(), value < 1e9 else {
                throw error("an index must be a non-negative whole number")
            }
            index += 1
            guard current.kind == .symbol("]") else { throw error("expected ']' to close the index opened here", at: open) }
            index += 1
            expression = .index(expression, Int(value), position: open.position)
        }
        return expression
    }

    mutating func parsePrimary() throws -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            index += 1
            return .number(value)
        case .identifier(let name):
            index += 1
            if name == "true" { return .number(1) }
            if name == "false" { return .number(0) }
            guard current.kind == .symbol("(") else { return .branch(name, position: token.position) }
            index += 1
            var arguments: [Expression] = []
            if current.kind != .symbol(")") {
                arguments.append(try parseExpression())
                while current.kind == .symbol(",") {
                    index += 1
                    arguments.append(try parseExpression())
                }
            }
            guard current.kind == .symbol(")") else { throw error("expected ')' to close the call of \(name)") }
            index += 1
            try FunctionTable.check(name, arity: arguments.count, at: token, parser: self)
            return .call(name, arguments, position: token.position)
        case .symbol("("):
            index += 1
            let inner = try parseExpression()
            guard current.kind == .symbol(")") else { throw error("expected ')' to close the '(' here", at: token) }
            index += 1
            return inner
        case .end:
            throw error("the expression ends too early")
        default:
            throw error("unexpected '\(token.text)'")
        }
    }
}

/// The functions an expression may call, and how many arguments each takes.
enum FunctionTable {
    static let elementwise1: Set = ["abs", "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "floor", "ceil"]
    static let elementwise2: Set = ["atan2", "hypot", "pow", "min", "max"]
    static let reductions: Set = ["sum", "count", "min", "max", "mean", "any", "all"]

    static func check(_ name: String, arity: Int, at token: Token, parser: Parser) throws {
        let ok = (arity == 1 && (elementwise1.contains(name) || reductions.contains(name)))
            || (arity == 2 && elementwise2.contains(name))
        guard ok else {
            let known = (elementwise1.union(elementwise2).union(reductions)).sorted().joined(separator: " ")
            if elementwise1.contains(name) || elementwise2.contains(name) || reductions.contains(name) {
                throw parser.error("\(name) does not take \(arity) argument\(arity == 1 ? "" : "s")", at: token)
            }
            throw parser.error("unknown function '\(name)' (known: \(known))", at: token)
        }
    }
}
