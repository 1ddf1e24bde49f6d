/// A problem in an ADL file, at a place in it: what the lexer, parser, name resolution or
/// lowering refused, with the file, line and column.
///
/// Its description is the compiler-style message `file:line:column: error: message`, then
/// the source line and a caret under the column:
///
/// ```text
/// ex.adl:3:12: error: unknown object 'Muonz'
///   select size(Muonz) >= 2
///               ^
/// ```
public struct ADLError: Error, Sendable, CustomStringConvertible {
    /// The file name as given to the parser.
    public let file: String
    /// Where.
    public let location: ADLLocation
    /// What is wrong, in one sentence.
    public let message: String
    /// The source line the location is on (for the caret display).
    public let sourceLine: String

    /// An error at `location` of `source`.
    public init(_ message: String, at location: ADLLocation, in source: ADLSource) {
        file = source.name
        self.location = location
        self.message = message
        sourceLine = source.line(location.line)
    }

    /// `file:line:column: error: message`, the line and a caret.
    public var description: String {
        // Tabs stay tabs under the caret so that it lines up however the terminal expands them.
        let lead = sourceLine.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "\(file):\(location.line):\(location.column): error: \(message)\n  \(sourceLine)\n  \(lead)^"
    }
}
