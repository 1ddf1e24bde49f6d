import ArgumentParser
import Foundation
import KaonAnalysis
import KaonIO
import KaonROOT

/// `kaon provenance FILE`: prints what produced an output.
struct ProvenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provenance",
        abstract: "Print what produced an output: inputs, Kaon build, analysis, configuration digest, command line.",
        discussion: """
        FILE is any output that records it: results.root (its provenance directory),
        results.json or cutflow.json (their "provenance" member).
        Examples:
          kaon provenance out/results.root
          kaon provenance out/cutflow.json --json
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

    /// The provenance `path` records (a ROOT file's directory, a JSON file's member); an error
    /// naming the file when it has none.
    static func read(_ path: String) throws -> Provenance {
        let record: Provenance?
        if path.lowercased().hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read the file", file: path) }
            let document = try withContext(file: path) { try JSONValue.parse(String(decoding: data, as: UTF8.self)) }
            record = try document[Provenance.outputName].map { try Provenance(json: $0, source: path) }
        } else {
            record = try ROOTFile(path: path).provenance()
        }
        guard let record else { throw KaonError(.notFound, "no provenance recorded (not an output of kaon run, or written before Kaon recorded it)", file: path) }
        return record
    }
}
