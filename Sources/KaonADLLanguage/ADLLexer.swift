/// Splits an ADL file into tokens: identifiers, numbers, strings, symbols and newlines;
/// `#` comments and blanks are dropped. Never traps: an unexpected character or an
/// unterminated string is an ``ADLError`` at its place.
///
/// ```swift
/// let tokens = try ADLLexer.tokens(of: ADLSource(name: "a.adl", text: "select m(Muo[0] Muo[1]) [] 70 110"))
/// ```
public enum ADLLexer {
    /// Two-character symbols, tried before single characters. `[]` and `][` are CutLang's
    /// inclusive and exclusive ranges; `~=` / `~!` its closest-to / furthest-from
    /// optimisations; `+-` a symmetric uncertainty in `counts`.
    static let twoCharacterSymbols: Set<String> = ["==", "!=", "<=", ">=", "[]", "][", "~=", "~!", "&&", "||", "+-", "-+"]
    /// Single-character symbols.
    static let oneCharacterSymbols: Set<Unicode.Scalar> = ["(", ")", "[", "]", "{", "}", ",", ":", "?", "+", "-", "*", "/", "^", "=", "<", ">", "!"]

    /// The tokens of `source`, ending with one `.end` token.
    public static func tokens(of source: ADLSource) throws(ADLError) -> [ADLToken] {
        let s = source.scalars
        var tokens: [ADLToken] = []
        var position = 0, line = 1, lineStart = 0
        func location(_ offset: Int) -> ADLLocation { ADLLocation(line: line, column: offset - lineStart + 1, offset: offset) }
        func text(_ range: Range<Int>) -> String { source.text(from: range.lowerBound, to: range.upperBound) }

        while position < s.count {
            let c = s[position]
            if c == "\n" {
                tokens.append(ADLToken(kind: .newline, text: "\n", location: location(position), end: position + 1))
                position += 1
                line += 1
                lineStart = position
                continue
            }
            if c == " " || c == "\t" || c == "\r" || c == "\u{0C}" || c == "\u{0B}" || c == "\u{A0}" {
                position += 1
                continue
            }
            if c == "#" {
                while position < s.count, s[position] != "\n" { position += 1 }
                continue
            }
            let start = position
            if isLetter(c) || c == "_" {
                while position < s.count, isLetter(s[position]) || isDigit(s[position]) || s[position] == "_" {
                    position += 1
                }
                tokens.append(ADLToken(kind: .identifier, text: text(start..<position), location: location(start), end: position))
                continue
            }
            if isDigit(c) || (c == "." && position + 1 < s.count && isDigit(s[position + 1])) {
                while position < s.count, isDigit(s[position]) { position += 1 }
                if position < s.count, s[position] == "." {
                    position += 1
                    while position < s.count, isDigit(s[position]) { position += 1 }
                }
                if position < s.count, s[position] == "e" || s[position] == "E" {
                    var look = position + 1
                    if look < s.count, s[look] == "+" || s[look] == "-" { look += 1 }
                    if look < s.count, isDigit(s[look]) {
                        position = look
                        while position < s.count, isDigit(s[position]) { position += 1 }
                    }
                }
                // A number glued to letters (`2j`) is a typo, not two tokens.
                if position < s.count, isLetter(s[position]) || s[position] == "_" {
                    throw ADLError("a number cannot be followed by '\(Character(s[position]))'", at: location(position), in: source)
                }
                tokens.append(ADLToken(kind: .number, text: text(start..<position), location: location(start), end: position))
                continue
            }
            if c == "\"" {
                position += 1
                while position < s.count, s[position] != "\"", s[position] != "\n" { position += 1 }
                guard position < s.count, s[position] == "\"" else {
                    throw ADLError("unterminated string (a string ends with \" on its own line)", at: location(start), in: source)
                }
                tokens.append(ADLToken(kind: .string, text: text(start + 1..<position), location: location(start), end: position + 1))
                position += 1
                continue
            }
            if position + 1 < s.count {
                let pair = text(position..<position + 2)
                if twoCharacterSymbols.contains(pair) {
                    tokens.append(ADLToken(kind: .symbol, text: pair, location: location(start), end: position + 2))
                    position += 2
                    continue
                }
            }
            if oneCharacterSymbols.contains(c) {
                tokens.append(ADLToken(kind: .symbol, text: String(Character(c)), location: location(start), end: position + 1))
                position += 1
                continue
            }
            throw ADLError("unexpected character '\(Character(c))'", at: location(start), in: source)
        }
        tokens.append(ADLToken(kind: .newline, text: "\n", location: location(position), end: position))
        tokens.append(ADLToken(kind: .end, text: "", location: location(position), end: position))
        return tokens
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
}
