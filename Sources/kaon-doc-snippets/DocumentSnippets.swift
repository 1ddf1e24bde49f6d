// The one definition of what a documentation snippet is. The build-tool plugin
// (Plugins/DocumentationSnippets) compiles this same file, through a symbolic link, to name
// the files `kaon-doc-snippets` will generate: SwiftPM needs a build command's outputs before
// the command runs, so both sides must agree on which blocks a document has.

/// A ```swift block of a Markdown document, and how the document asks for it to be checked.
///
/// The HTML comment on the nearest non-blank line before the fence (invisible on GitHub and
/// in DocC) says what the block is; without one it is a whole program:
///
///     <!-- snippet: compile-only -->                      compiled, never run
///     <!-- snippet: body-of (event: Event) -> Double? --> a fragment: the body of a function
///                                                         of that signature (compiled only)
///     <!-- snippet: name keepingObjects -->               the generated function's name, for
///                                                         tests that call it themselves
///     <!-- snippet: returns result.value.h as Histogram<WeightStorage> -->
///                                                         the function returns that value
///
/// Clauses combine with `;` (`<!-- snippet: name x; body-of (events: Events) -> [Float];
/// returns pts as [Float] -->`). Blocks of other languages are not snippets.
struct DocumentSnippet {
    enum Role: Equatable {
        /// Top-level code: compiled as a function body and run by a generated test.
        case program
        /// Compiled as a function body, not run (it needs something the tests cannot give).
        case compileOnly
        /// The body of a function with this signature (`(event: Event) -> Double?`).
        case body(signature: String)
    }

    /// The document's path as given to ``DocumentSnippet/scan(_:document:)``.
    var document: String
    /// 1-based position among the document's ```swift blocks.
    var ordinal: Int
    /// 1-based line of the block's first code line in the document.
    var firstLine: Int
    /// The code, with the fence's indentation removed.
    var lines: [String]
    /// The directive text after `snippet:`, nil when there is none.
    var directive: String?
    /// Line of the directive, for error messages.
    var directiveLine: Int?

    /// `README`, `KaonNano_ObjectLifetimes`: the document's file name without `.md`, prefixed
    /// with its module for a DocC article (`Sources/<Module>/<Module>.docc/<Article>.md`).
    static func documentIdentifier(_ document: String) -> String {
        let parts = document.split(separator: "/").map(String.init)
        var name = parts.last ?? document
        if name.hasSuffix(".md") { name.removeLast(3) }
        if let catalog = parts.dropLast().last, catalog.hasSuffix(".docc") {
            let module = String(catalog.dropLast(5))
            if module != name { name = module + "_" + name }
        }
        return String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The generated file of tests that run the program blocks (one for all documents).
    static let generatedTestsFileName = "GeneratedSnippetTests.swift"

    /// The generated source file of this block.
    var fileName: String { "\(Self.documentIdentifier(document))_\(ordinal).swift" }

    /// The blocks of one document, in order.
    static func scan(_ text: String, document: String) -> [DocumentSnippet] {
        var snippets: [DocumentSnippet] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        var lastNonBlank: (text: String, line: Int)?
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if trimmed.hasPrefix("```") {
                let language = trimmed.dropFirst(3).trimmingSpaces()
                // Find the closing fence whatever the language, so code inside other blocks
                // is never mistaken for a fence or a directive.
                var end = index + 1
                while end < lines.count, lines[end].drop(while: { $0 == " " }).trimmingSpaces() != "```" { end += 1 }
                if language == "swift" {
                    let body = lines[(index + 1)..<min(end, lines.count)].map { $0.dropIndent(indent) }
                    let directive = lastNonBlank.flatMap { parseDirectiveComment($0.text) }
                    snippets.append(DocumentSnippet(
                        document: document, ordinal: snippets.count + 1, firstLine: index + 2, lines: body,
                        directive: directive, directiveLine: directive == nil ? nil : lastNonBlank?.line))
                }
                lastNonBlank = nil
                index = end + 1
                continue
            }
            if !trimmed.isEmpty { lastNonBlank = (String(trimmed), index + 1) }
            index += 1
        }
        return snippets
    }

    /// 1-based lines of `<!-- snippet: … -->` comments that are not followed (after blank
    /// lines) by a ```swift fence, and so would silently apply to nothing.
    static func misplacedDirectives(_ text: String) -> [Int] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var misplaced: [Int] = []
        var pending: Int?
        var inFence = false
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingSpaces()
            if trimmed.hasPrefix("```") {
                if !inFence, let directive = pending, trimmed.dropFirst(3).trimmingSpaces() != "swift" { misplaced.append(directive) }
                pending = nil
                inFence.toggle()
                continue
            }
            guard !inFence, !trimmed.isEmpty else { continue }
            if let directive = pending { misplaced.append(directive) }
            pending = parseDirectiveComment(trimmed) == nil ? nil : index + 1
        }
        if let directive = pending { misplaced.append(directive) }
        return misplaced
    }

    /// `snippet: …` inside `<!-- … -->`, trimmed; nil for any other line.
    static func parseDirectiveComment(_ line: String) -> String? {
        let text = line.trimmingSpaces()
        guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
        let inner = text.dropFirst(4).dropLast(3).trimmingSpaces()
        guard inner.hasPrefix("snippet:") else { return nil }
        return inner.dropFirst("snippet:".count).trimmingSpaces()
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }

    /// Removes up to `count` leading spaces (a fence indented in a list item indents its code).
    func dropIndent(_ count: Int) -> String {
        var removed = 0
        return String(drop { c in
            guard removed < count, c == " " else { return false }
            removed += 1
            return true
        })
    }
}
