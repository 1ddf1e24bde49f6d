#if canImport(Glibc)
import CKaonSystem
#endif
import ArgumentParser

/// `kaon-bench`: Kaon's side of the comparisons in benchmarks/ (hist, columns, engine,
/// inference), kept out of the `kaon` tool and its libraries as swift-nio keeps its
/// performance tester apart; the runners in benchmarks/*/run.py call it.
struct KaonBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaon-bench",
        abstract: "Time Kaon's kernels in-process for the benchmark runners in benchmarks/.",
        discussion: """
        Each subcommand prints what its runner (benchmarks/NAME/run.py) reads: with --json \
        (always for engine and inference), one JSON object on standard output.
        """,
        subcommands: [HistCommand.self, ColumnsCommand.self, EngineCommand.self, InferenceCommand.self]
    )
}

#if canImport(Glibc)
// The same allocator tuning as `kaon`, so both read baskets at the same speed.
kaon_tune_malloc()
#endif

KaonBenchCommand.main()
