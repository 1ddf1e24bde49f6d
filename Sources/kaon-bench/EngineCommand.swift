import ArgumentParser
import KaonAnalysis

/// `kaon-bench engine`: the analysis engine's overhead on a file, for benchmarks/engine/run.py —
/// an empty graph (a count only) or one histogram of MET_pt, run as a data sample.
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure the analysis engine's event rate on a file: an empty graph or one MET histogram.")

    @Argument(help: "A ROOT file with an Events tree (NanoAOD-style, with MET_pt).") var file: String
    @Option(help: "Graph: empty (count only) or met (one 100-bin histogram of MET_pt).") var graph: String = "empty"
    @Option(help: "Worker threads.") var threads: Int = 1
    @Option(help: "Process the file this many times in one run (a chain of copies).") var chain: Int = 1
    @Option(help: "Entries per work item.") var blockSize: Int = 100_000

    func validate() throws {
        guard ["empty", "met"].contains(graph), chain > 0, threads > 0 else {
            throw ValidationError("use --graph empty|met and positive --chain and --threads")
        }
    }

    func run() throws {
        let analysis = Analysis("bench-\(graph)")
        // What to print as the run's check value, read through the booked result's handle.
        let check: (AnalysisResults) throws -> String
        if graph == "met" {
            let met = try analysis.all.histogram("met", RegularAxis(100, 0, 200)) { Double($0.met.pt) }
            check = { results in "\"met_sum\": \(try results[met, sample: "data"].bins.reduce(0) { $0 + $1.value })" }
        } else {
            let count = try analysis.all.count("n")
            check = { results in "\"count\": \(try results[count, sample: "data"])" }
        }
        let samples = SampleSet(luminosity: 1, samples: [Sample(name: "data", files: [file], isMC: false)])
        let items = try analysis.workItems(samples: samples, blockSize: blockSize)
        let chained = Array(repeating: items, count: chain).flatMap { $0 }
        let results = try analysis.run(workItems: chained, samples: samples, options: RunOptions(threads: threads, progress: false))
        let s = results.summary
        print("{\"graph\": \"\(graph)\", \"entries\": \(s.entries), \"seconds\": \(s.seconds), \"threads\": \(threads), \(try check(results))}")
    }
}
