import ArgumentParser
import Foundation
import KaonAnalysis
import KaonExamples
import KaonIO

/// `kaon run`: an analysis compiled into Kaon over the samples of a samples file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an example analysis over the samples of a samples file, in one pass.",
        discussion: """
        Analyses:
        \(ExampleAnalyses.all.map { "  \($0.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

        The samples file is YAML (see `kaon demo`'s OUTPUT/data/samples.yml):
          luminosity: 10           # 1/pb
          tree: Events
          samples:
            DY: {files: ["dy_*.root"], type: mc, group: Drell-Yan,
                 cross-section: 5000, sum-of-weights-from: {tree: Runs, branch: genEventSumw}}
            SingleMuon: {files: ["data_*.root"], type: data}
        MC is normalised to luminosity × cross-section / sum of generated weights.

        Writes OUTPUT/results.root (a directory per sample; NAME nominal,
        NAME__VARIATION systematics), OUTPUT/results.json (UHI) and
        OUTPUT/cutflow.md and cutflow.json, and prints the cut flow. Your own analysis: `kaon new NAME`.

        With --scheduler tcp://HOST:PORT the work items run as tasks on a Dask cluster
        (through Python's kaon.dask); the outputs are the same, with identical histograms.

        Examples:
          kaon run kaon-demo/data/samples.yml --analysis dimuon -o out --threads 2
          kaon run samples.yml --analysis dimuon -o out --scheduler tcp://head:8786
        """
    )

    @Argument(help: "The samples file (YAML).")
    var samples: String

    @Option(name: .long, help: "The analysis to run (see above).")
    var analysis: String

    @Option(name: .shortAndLong, help: "Folder for results.root, results.json and cutflow.md.")
    var output: String = "."

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: "When a file cannot be read: fail (stop the run) or skip (finish and list it).")
    var onFailure: String = "fail"

    @OptionGroup var ioStats: IOStatsOption

    @OptionGroup var dask: SchedulerOption

    // What Python's kaon.dask passes to run one work item of a built-in analysis in this
    // executable, as it does with the executable of a `kaon new` package (SAMPLES is then unused).
    @Option(name: .customLong("kaon-work-item-request"), help: .hidden)
    var workItemRequest: String?

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
        guard FailurePolicy(rawValue: onFailure) != nil else { throw ValidationError("--on-failure must be fail or skip") }
    }

    func run() throws {
        if let workItemRequest {
            _ = try ExampleAnalyses.make(analysis).serveWorkItemRequest([WorkItemRequest.argument, workItemRequest])
            return
        }
        if let scheduler = dask.scheduler {
            let outcome = try DaskDelegation.run("run", [samples, "--analysis", analysis, "--on-failure", onFailure], scheduler: scheduler)
            try report(AnalysisResults(serialized: outcome.results, name: "results of the Dask run"), extra: outcome.report)
            return
        }
        let ioStart = IOStatsOption.start()
        let set = try SampleSet(path: samples)
        let graph = try ExampleAnalyses.make(analysis)
        let results = try graph.run(samples: set, options: RunOptions(threads: threadsToUse(threads), onFailure: FailurePolicy(rawValue: onFailure)!))
        try report(results) { ioStats.report(since: ioStart) }
    }

    /// Writes the outputs and prints the cut flow, the summary (then `extra` and what
    /// `afterSummary` prints) and the files written.
    private func report(_ results: AnalysisResults, extra: String? = nil, afterSummary: () -> Void = {}) throws {
        let written = try results.writeOutputs(to: output)
        print(results.cutFlowTable())
        print(results.summary)
        if let extra { print(extra) }
        afterSummary()
        print("written: " + written.joined(separator: ", "))
    }
}
