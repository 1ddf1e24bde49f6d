/// An ADL file's text with what diagnostics need to point into it: its name and its lines.
///
/// ```swift
/// let source = ADLSource(name: "ex01.adl", text: "region r\n  select ALL\n")
/// source.line(2)   // "  select ALL"
/// ```
public struct ADLSource: Sendable {
    /// The file name diagnostics show (as given: a path or a label).
    public let name: String
    /// The text, as Unicode scalars: columns count scalars, and the lexer indexes them in O(1).
    public let scalars: [Unicode.Scalar]

    /// A source named `name` holding `text`.
    public init(name: String, text: String) {
        self.name = name
        scalars = Array(text.unicodeScalars)
    }

    /// Line `number` (1-based) without its newline; empty beyond the end.
    public func line(_ number: Int) -> String {
        var current = 1
        var start = 0
        var position = 0
        while position < scalars.count {
            if scalars[position] == "\n" {
                if current == number { break }
                current += 1
                start = position + 1
            }
            position += 1
        }
        guard current == number, start <= position else { return "" }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<position].filter { $0 != "\r" })
        return String(text)
    }

    /// The text between two scalar offsets, clamped to the source.
    public func text(from start: Int, to end: Int) -> String {
        let lower = max(0, min(start, scalars.count)), upper = max(lower, min(end, scalars.count))
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[lower..<upper])
        return String(text)
    }
}

/// A position in an ADL file: 1-based line and column (in Unicode scalars) and the scalar offset.
public struct ADLLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line.
    public let line: Int
    /// 1-based column.
    public let column: Int
    /// Offset of the position in the source's scalars.
    public let offset: Int

    /// A location.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}
