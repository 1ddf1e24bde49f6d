import Foundation

// kaon-doc-snippets OUTPUT-DIRECTORY ROOT DOCUMENT...
//
// Writes, for every ```swift block of the documents (Markdown, paths under ROOT), one Swift
// file with the block as a function (SnippetSource), and GeneratedSnippetTests.swift with one
// test per whole-program block that runs it in a child process (SnippetDirectory, in the test
// target, prepares the files the block names). Run by the DocumentationSnippets build-tool
// plugin for the KaonDocumentationTests target; see Plugins/DocumentationSnippets/README.md.

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: kaon-doc-snippets OUTPUT-DIRECTORY ROOT DOCUMENT...\n".utf8))
    exit(64)
}
let output = URL(fileURLWithPath: arguments.first!)
let root = arguments.dropFirst().first!
let documents = arguments.dropFirst(2)

do {
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    var programs: [SnippetSource] = []
    var names: [String: String] = [:]
    var documentsByFileName: [String: String] = [:]
    for path in documents {
        let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
        // `#sourceLocation` gives every block its document's `#fileID`, `Module/<file name>`:
        // two documents of one name would collide (a warning per block and per file).
        let fileName = String(relative.split(separator: "/").last ?? Substring(relative))
        if let other = documentsByFileName.updateValue(relative, forKey: fileName) {
            throw SnippetSource.DirectiveError(description: "\(relative): another document has the file name \(fileName) (\(other)); name articles uniquely, e.g. GettingStartedWith<Module>.md")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SnippetSource.DirectiveError(description: "\(path): cannot read: \(error.localizedDescription)")
        }
        if let line = DocumentSnippet.misplacedDirectives(text).first {
            throw SnippetSource.DirectiveError(description: "\(relative):\(line): a snippet directive must be the last line before a ```swift fence")
        }
        for snippet in DocumentSnippet.scan(text, document: relative) {
            let source = try SnippetSource(snippet)
            let location = "\(relative):\(snippet.firstLine)"
            if let other = names[source.name] {
                throw SnippetSource.DirectiveError(description: "\(location): snippet name `\(source.name)` is already used at \(other)")
            }
            names[source.name] = location
            try source.source(documentPath: path).write(to: output.appendingPathComponent(snippet.fileName), atomically: true, encoding: .utf8)
            if source.role == .program { programs.append(source) }
        }
    }
    try GeneratedTests.source(programs).write(to: output.appendingPathComponent(DocumentSnippet.generatedTestsFileName), atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
