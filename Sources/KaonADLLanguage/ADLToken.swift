/// One token of an ADL file.
///
/// Keywords are not token kinds: CutLang's keywords are case-insensitive and most of them
/// are only keywords in one position (`select` starts a command, `pt` names an attribute),
/// so the lexer emits identifiers and the parser compares their spelling where it expects
/// a keyword. Newlines are tokens: an ADL command ends at the end of its line (outside
/// parentheses), which is what tells `histo h, "t", 10, 0, 1, MET` on one line from a
/// histogram list used on the next.
public struct ADLToken: Sendable, Equatable {
    /// What kind of token.
    public enum Kind: Sendable, Equatable {
        case identifier
        case number
        case string
        /// Punctuation and operators, spelled as in the source (`==`, `[]`, `~=`, `(`, …).
        case symbol
        case newline
        case end
    }

    /// The kind.
    public let kind: Kind
    /// The spelling (a string's contents without its quotes; a number's digits).
    public let text: String
    /// Where it starts.
    public let location: ADLLocation
    /// The scalar offset just past it.
    public let end: Int

    /// True for identifier `word`, ignoring case (how CutLang matches keywords).
    public func isWord(_ word: String) -> Bool {
        kind == .identifier && text.lowercased() == word
    }

    /// True for symbol `symbol`.
    public func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}
