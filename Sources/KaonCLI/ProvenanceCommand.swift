import ArgumentParser
import Foundation
import KaonAnalysis
import KaonIO
import KaonPlot
import KaonROOT

/// `kaon provenance FILE`: prints what produced an output.
struct ProvenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provenance",
        abstract: "Print what produced an output: inputs, Kaon build, analysis, configuration digest, command line.",
        discussion: """
        FILE is any output that records it: results.root (its provenance directory),
        results.json or cutflow.json (their "provenance" member), and the SVG and PNG
        figures `kaon plot` makes from a results.root (their metadata).

        Examples:
          kaon provenance out/results.root
          kaon provenance out/cutflow.json --json
          kaon provenance out/plots/mll.png
        """
    )

    @Argument(help: ArgumentHelp("An output of kaon run (results.root, results.json, cutflow.json).", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "Print the record as JSON.")
    var json = false

    func run() throws {
        let record = try Self.read(file)
        print(json ? record.json.text : record.description)
    }

    /// The provenance `path` records (a ROOT file's directory, a JSON file's member, a
    /// figure's metadata); an error naming the file when it has none.
    static func read(_ path: String) throws -> Provenance {
        guard let record = try recorded(in: path) else {
            throw KaonError(.notFound, "no provenance recorded (not an output of kaon run, or written before Kaon recorded it)", file: path)
        }
        return record
    }

    /// The provenance `path` records, or nil when it records none.
    static func recorded(in path: String) throws -> Provenance? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read the file", file: path) }
            let document = try withContext(file: path) { try JSONValue.parse(String(decoding: data, as: UTF8.self)) }
            return try document[Provenance.outputName].map { try Provenance(json: $0, source: path) }
        }
        if lower.hasSuffix(".svg") || lower.hasSuffix(".png") {
            guard let text = try FigureMetadata.read(path: path)[Provenance.outputName] else { return nil }
            return try Provenance(json: withContext(file: path) { try JSONValue.parse(text) }, source: path)
        }
        return try ROOTFile(path: path).provenance()
    }
}
