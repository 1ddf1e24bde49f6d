import ArgumentParser
import Foundation
import KaonEngine
import KaonIO

/// `kaon metrics`: tools over the metrics files runs write (`--metrics FILE`).
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Work with the metrics files of runs (--metrics FILE on run, adl, draw, copy).",
        subcommands: [Compare.self]
    )

    /// `kaon metrics compare A.json B.json`.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare the totals of two runs' metrics (JSON): a table of B/A ratios.",
            discussion: """
            Rows marked ! differ: times and read costs by more than --tolerance, counts of what
            was read (entries, work items, bytes decompressed) at all.
            Example:
              kaon metrics compare before.json after.json --tolerance 0.2
            """
        )

        @Argument(help: "The first run's metrics (JSON).") var first: String
        @Argument(help: "The second run's metrics (JSON).") var second: String
        @Option(name: .long, help: "Relative difference in times and read costs still counted as equal.")
        var tolerance: Double = 0.1

        func validate() throws {
            guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a non-negative number, got \(tolerance)") }
        }

        func run() throws {
            let a = try Self.read(first), b = try Self.read(second)
            print(RunMetrics.comparisonTable(a.compared(with: b, tolerance: tolerance), first: first, second: second))
        }

        static func read(_ path: String) throws -> RunMetrics {
            guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read the metrics file", file: path) }
            return try RunMetrics(json: JSONValue.parse(String(decoding: data, as: UTF8.self)), source: path)
        }
    }
}
