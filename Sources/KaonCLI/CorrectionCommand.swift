import ArgumentParser
import Foundation
import KaonCorrections
import KaonIO

/// `kaon correction FILE.json [NAME [INPUT=VALUE…]]`: list or evaluate correctionlib corrections.
struct CorrectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correction",
        abstract: "List or evaluate the corrections of a correctionlib (schema v2) JSON file.",
        usage: "kaon correction <file> [<name> [<input>=<value> ...] [--columns <columns.json>]]",
        discussion: """
        With only FILE (JSON, or gzip'd JSON such as corrections.json.gz), lists every \
        correction and compound correction with its inputs (name, type, description) and \
        its output.

        With NAME and one INPUT=VALUE per input of that correction (any order), prints the \
        correction's value. Values are read as the input's declared type: a real (NaN and \
        inf accepted), an int, or a string.

        With --columns, evaluates the correction over columns: the file is a JSON object \
        with one array per input name (numbers for real and int inputs, strings for string \
        inputs, all of the same length), and a JSON array of the values, one per row, is \
        printed. Reals are printed with the fewest digits that read back exactly.

        An input out of the bin edges of a node with flow "error", or a category key with \
        no default, stops with an error naming the correction and the input (exit status \
        1); a missing, unknown or mistyped INPUT=VALUE is a usage error (status 64).

        Examples:
          kaon correction corrections.json
          kaon correction corrections.json event_systematics \\
              syst_name=btag_var direction=up pt=50
          kaon correction corrections.json event_systematics --columns columns.json
        """
    )

    @Argument(help: "The correctionlib JSON file (or .json.gz).")
    var file: String

    @Argument(help: "The correction to evaluate; omitted, all corrections are listed.")
    var name: String?

    @Argument(help: ArgumentHelp("One value per input of the correction.", valueName: "input=value"))
    var assignments: [String] = []

    @Option(name: .long, help: ArgumentHelp("Evaluate over the columns of this JSON object (input name → array).", valueName: "columns.json"))
    var columns: String?

    mutating func validate() throws {
        if name == nil, columns != nil { throw ValidationError("--columns needs the name of a correction") }
        if columns != nil, !assignments.isEmpty { throw ValidationError("give either INPUT=VALUE arguments or --columns, not both") }
        for assignment in assignments where !assignment.contains("=") {
            throw ValidationError("'\(assignment)' is not INPUT=VALUE")
        }
    }

    func run() throws {
        let set = try CorrectionSet(path: file)
        guard let name else {
            print(Self.listing(set), terminator: "")
            return
        }
        guard let correction = set[name] else {
            throw KaonError(.notFound, "no correction named '\(name)'; the file has: \(set.corrections.map(\.name).joined(separator: ", "))",
                            file: file)
        }
        if let columns {
            let values = try withContext(file: file) { try correction.evaluate(columns: try Self.readColumns(columns, for: correction)) }
            print(JSONValue.array(values.map(JSONValue.number)).text)
            return
        }
        let values = try Self.parseAssignments(assignments, for: correction)
        print(try withContext(file: file) { try correction.evaluate(values) })
    }

    /// The values of INPUT=VALUE arguments, in the order of the correction's inputs.
    static func parseAssignments(_ assignments: [String], for correction: Correction) throws -> [CorrectionValue] {
        var given: [String: String] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let input = String(parts[0])
            guard correction.inputs.contains(where: { $0.name == input }) else {
                throw ValidationError("correction '\(correction.name)' has no input '\(input)'; its inputs are \(inputList(correction))")
            }
            guard given[input] == nil else { throw ValidationError("input '\(input)' is given twice") }
            given[input] = String(parts[1])
        }
        return try correction.inputs.map { input in
            guard let text = given[input.name] else {
                throw ValidationError("correction '\(correction.name)' needs a value for input '\(input.name)'; its inputs are \(inputList(correction))")
            }
            switch input.type {
            case .string: return .string(text)
            case .int:
                guard let value = Int64(text) else { throw ValidationError("input '\(input.name)' is an int, got '\(text)'") }
                return .int(value)
            case .real:
                guard let value = Double(text) else { throw ValidationError("input '\(input.name)' is a real, got '\(text)'") }
                return .real(value)
            }
        }
    }

    static func inputList(_ correction: Correction) -> String {
        correction.inputs.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ")
    }

    /// The columns of a JSON object file, in the order of the correction's inputs.
    static func readColumns(_ path: String, for correction: Correction) throws -> [CorrectionColumn] {
        guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.system, "cannot read the file", file: path) }
        let json = try withContext(file: path) { try JSONValue.parse(String(decoding: data, as: UTF8.self)) }
        return try correction.inputs.map { input in
            guard let items = json[input.name]?.array else {
                throw KaonError(.usage, "no array for input '\(input.name)' of correction '\(correction.name)'", file: path)
            }
            func bad(_ row: Int) -> KaonError {
                KaonError(.usage, "row \(row) of input '\(input.name)' is \(items[row].text), not a \(input.type.rawValue)", file: path)
            }
            switch input.type {
            case .real: return .real(try items.indices.map { guard let x = items[$0].number else { throw bad($0) }; return x })
            case .int: return .int(try items.indices.map { guard let n = items[$0].integer else { throw bad($0) }; return n })
            case .string: return .string(try items.indices.map { guard let s = items[$0].string else { throw bad($0) }; return s })
            }
        }
    }

    /// The human-readable list of a set's corrections.
    static func listing(_ set: CorrectionSet) -> String {
        var out = ""
        for correction in set.corrections {
            out += correction.isCompound ? "\(correction.name) (compound)" : "\(correction.name) (version \(correction.version))"
            out += correction.description.isEmpty ? "\n" : ": \(correction.description)\n"
            for input in correction.inputs {
                out += "  input  \(input.name) (\(input.type.rawValue))" + (input.description.isEmpty ? "" : ": \(input.description)") + "\n"
            }
            let output = correction.output
            out += "  output \(output.name) (\(output.type.rawValue))" + (output.description.isEmpty ? "" : ": \(output.description)") + "\n"
        }
        return out
    }
}
