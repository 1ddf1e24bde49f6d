import Foundation
import PackagePlugin

/// Turns the ```swift blocks of README.md and of every DocC article
/// (`Sources/*/*.docc/**/*.md`) into Swift files of the target it is applied to (see README.md
/// beside this file).
@main
struct DocumentationSnippetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let documents = [root.appendingPathComponent("README.md")] + (try doccArticles(in: root.appendingPathComponent("Sources")))
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("Snippets")
        var outputs = [output.appendingPathComponent(DocumentSnippet.generatedTestsFileName)]
        for document in documents {
            let text = try String(contentsOf: document, encoding: .utf8)
            let relative = String(document.path.dropFirst(root.path.count + 1))
            outputs += DocumentSnippet.scan(text, document: relative).map { output.appendingPathComponent($0.fileName) }
        }
        return [
            .buildCommand(
                displayName: "Generating the Swift snippets of \(documents.count) documents",
                executable: try context.tool(named: "kaon-doc-snippets").url,
                arguments: [output.path, root.path] + documents.map(\.path),
                inputFiles: documents,
                outputFiles: outputs
            ),
        ]
    }

    /// Every Markdown file of every catalog `Sources/<Module>/<Catalog>.docc` (subfolders
    /// included), sorted.
    func doccArticles(in sources: URL) throws -> [URL] {
        let files = FileManager.default
        var articles: [URL] = []
        for module in try files.contentsOfDirectory(atPath: sources.path).sorted() {
            let moduleURL = sources.appendingPathComponent(module)
            guard let entries = try? files.contentsOfDirectory(atPath: moduleURL.path) else { continue }
            for catalog in entries.sorted() where catalog.hasSuffix(".docc") {
                let catalogURL = moduleURL.appendingPathComponent(catalog)
                let inside = files.enumerator(atPath: catalogURL.path)?.compactMap { $0 as? String } ?? []
                for article in inside.sorted() where article.hasSuffix(".md") {
                    articles.append(catalogURL.appendingPathComponent(article))
                }
            }
        }
        return articles
    }
}
