/// A lexical token of the expression language, with its position for error messages.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        case identifier(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    /// Character offset in the expression text, for pointing at errors.
    var position: Int
    var text: String
}

/// Splits an expression into tokens.
enum Lexer {
    static let symbols = ["**", "&&", "||", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<", ">", "!", "(", ")", ",", "[", "]"]

    static func tokenize(_ text: String) throws -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < characters.count && characters[i + 1].isNumber) {
                let start = i
                while i < characters.count, characters[i].isNumber || characters[i] == "." { i += 1 }
                if i < characters.count, characters[i] == "e" || characters[i] == "E" {
                    var j = i + 1
                    if j < characters.count, characters[j] == "+" || characters[j] == "-" { j += 1 }
                    if j < characters.count, characters[j].isNumber {
                        i = j
                        while i < characters.count, characters[i].isNumber { i += 1 }
                    }
                }
                let literal = String(characters[start..<i])
                guard let value = Double(literal) else {
                    throw ExpressionError(message: "malformed number '\(literal)'", expression: text, position: start)
                }
                tokens.append(Token(kind: .number(value), position: start, text: literal))
                continue
            }
            if c.isLetter || c == "_" {
                let start = i
                while i < characters.count, characters[i].isLetter || characters[i].isNumber || characters[i] == "_" || characters[i] == "." { i += 1 }
                let name = String(characters[start..<i])
                tokens.append(Token(kind: .identifier(name), position: start, text: name))
                continue
            }
            if let symbol = symbols.first(where: { symbol in
                let end = i + symbol.count
                return end <= characters.count && String(characters[i..<end]) == symbol
            }) {
                tokens.append(Token(kind: .symbol(symbol), position: i, text: symbol))
                i += symbol.count
                continue
            }
            throw ExpressionError(message: "unexpected character '\(c)'", expression: text, position: i)
        }
        tokens.append(Token(kind: .end, position: characters.count, text: ""))
        return tokens
    }
}

/// A syntax or type error in an expression, pointing at the offending token.
public struct ExpressionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var expression: String
    /// Character offset of the offending token.
    public var position: Int

    public var description: String {
        "\(message)\n  \(expression)\n  \(String(repeating: " ", count: max(0, position)))^"
    }
}
