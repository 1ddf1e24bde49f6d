import ArgumentParser
import Foundation
import KaonADLLanguage
import KaonAnalysis
import KaonEngine
import KaonExamples
import KaonIO

/// `kaon run`: an analysis compiled into Kaon over the samples of a samples file, or an
/// analysis written in ADL (CutLang's dialect) over files or a samples file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an example analysis or an ADL file over files or the samples of a samples file, in one pass.",
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

        Every output records what produced it (inputs with UUID, size and entries read,
        Kaon's commit, the configuration's SHA-256, command line; `kaon provenance FILE`).
        --reproduce FILE reruns FILE's recorded command, refusing if an input or the
        configuration changed, and exits 1 naming any histogram that differs.
        --metrics FILE writes per-block and total times, bytes and entries (JSON, or
        OpenMetrics text for FILE.prom).

        An ADL file (ANALYSIS.adl: CutLang's dialect of the Analysis Description
        Language) runs the same way: its objects, regions, cuts, weights, bins and
        histograms become one analysis graph over NanoAOD (Muo/Muon, Ele/Electron,
        Tau, Pho/Photon, Jet, FatJet, GEN/GenPart, GenJet, MET, METLV). Give the
        data with --files (one sample, "data") or --samples; --check parses and
        type-checks the file without data. Histogram NAME of region REGION is
        REGION/NAME in the outputs (a directory per region in results.root); each
        cut is a cut-flow row; `save NAME csv …` writes OUTPUT/REGION_NAME.csv and
        `print …` prints its values after the run. An error in the file names its
        line and column.

        With --scheduler tcp://HOST:PORT the work items of an example analysis or of an
        ADL file run as tasks on a Dask cluster (through Python's kaon.dask; an ADL
        file's text travels with the tasks); the outputs are the same, with identical
        histograms.

        Examples:
          kaon run kaon-demo/data/samples.yml --analysis dimuon -o out --threads 2
          kaon run zmumu.adl --files nano.root -o out --threads 2
          kaon run zmumu.adl --samples samples.yml -o out
          kaon run zmumu.adl --files 'store/*.root' --scheduler tcp://head:8786
          kaon run zmumu.adl --check
          kaon run samples.yml --analysis dimuon -o out --scheduler tcp://head:8786
          kaon run --reproduce out/results.root
        """
    )

    @Argument(help: ArgumentHelp("The samples file (YAML), or an ADL file (.adl).", valueName: "file"))
    var samplesArgument: String?

    /// The samples or ADL file (validated present unless --reproduce).
    var samples: String { samplesArgument ?? "" }

    @Option(name: .long, help: "The example analysis to run on a samples file (see above).")
    var analysis: String?

    @Option(name: .long, parsing: .upToNextOption, help: "ADL: the NanoAOD files to run on (globs and URLs accepted), as one sample 'data'.")
    var files: [String] = []

    @Option(name: .customLong("samples"), help: "ADL: a samples file to run on instead of --files.")
    var samplesFile: String?

    @Option(name: .long, help: "ADL: the tree of the files given with --files.")
    var tree: String = "Events"

    @Flag(name: .long, help: "ADL: parse and type-check the file, read no data.")
    var check = false

    @Option(name: .shortAndLong, help: "Folder for results.root, results.json and cutflow.md.")
    var output: String = "."

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: "When a file cannot be read: fail (stop the run) or skip (finish and list it).")
    var onFailure: String = "fail"

    @OptionGroup var ioStats: IOStatsOption

    @OptionGroup var metrics: MetricsOption

    @Option(name: .long, help: ArgumentHelp("Rerun what produced FILE (an output of kaon run) and check its histograms come out identical.", valueName: "file"))
    var reproduce: String?

    @OptionGroup var dask: SchedulerOption

    // What Python's kaon.dask passes to run one work item of a built-in analysis in this
    // executable, as it does with the executable of a `kaon new` package (SAMPLES is then unused).
    @Option(name: .customLong("kaon-work-item-request"), help: .hidden)
    var workItemRequest: String?

    func validate() throws {
        if reproduce != nil {
            guard samplesArgument == nil, analysis == nil, files.isEmpty, samplesFile == nil, !check, workItemRequest == nil else {
                throw ValidationError("--reproduce FILE reruns FILE's recorded command: give no samples file, ADL file or analysis options with it")
            }
            return
        }
        guard samplesArgument != nil || workItemRequest != nil else { throw ValidationError("missing the samples file or ADL file (or --reproduce FILE)") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
        guard FailurePolicy(rawValue: onFailure) != nil else { throw ValidationError("--on-failure must be fail or skip") }
        if isADL {
            guard analysis == nil else { throw ValidationError("--analysis names an example analysis; an ADL file is the analysis itself") }
            guard files.isEmpty || samplesFile == nil else { throw ValidationError("give the data with --files or --samples, not both") }
            guard check || !files.isEmpty || samplesFile != nil else {
                throw ValidationError("an ADL file needs data: --files F… or --samples SAMPLES (or --check to check it without data)")
            }
        } else {
            guard analysis != nil else { throw ValidationError("missing --analysis NAME for samples file \(samples) (or give an .adl file)") }
            guard files.isEmpty, samplesFile == nil, !check else {
                throw ValidationError("--files, --samples and --check go with an ADL file (ANALYSIS.adl), not with a samples file")
            }
        }
    }

    /// True when the argument is an ADL file.
    var isADL: Bool { samples.lowercased().hasSuffix(".adl") }

    func run() throws {
        if let reproduce {
            try Self.reproduce(reproduce)
            return
        }
        if let workItemRequest {
            _ = try ExampleAnalyses.make(analysis ?? "").serveWorkItemRequest([WorkItemRequest.argument, workItemRequest])
            return
        }
        if let scheduler = dask.scheduler, let analysis {
            let outcome = try DaskDelegation.run("run", [samples, "--analysis", analysis, "--on-failure", onFailure], scheduler: scheduler)
            var results = try AnalysisResults(serialized: outcome.results, name: "results of the Dask run")
            results.provenance = try provenance(of: results, samples: SampleSet(path: samples), threads: results.summary.threads)
            try report(results, extra: outcome.report)
            return
        }
        // Announced before the events are read: Ctrl-C during the run reports them as not written.
        if !check { PendingOutputs.expect(AnalysisResults.outputPaths(in: output)) }
        let ioStart = IOStatsOption.start()
        if isADL, check {
            let program = try ADLProgram(path: samples)
            print("\(samples): OK — \(program.regions.count) region(s) (\(program.regions.joined(separator: ", "))), \(program.histograms.count) histogram(s)")
            return
        }
        if isADL, let scheduler = dask.scheduler {
            let program = try ADLProgram(path: samples)  // its errors come before any cluster work
            let inputs = samplesFile.map { [$0] } ?? files
            let outcome = try DaskDelegation.run("run", inputs + ["--analysis", samples, "--tree", tree, "--on-failure", onFailure],
                                                 scheduler: scheduler)
            var results = try AnalysisResults(serialized: outcome.results, name: "results of the Dask run")
            results.provenance = try provenance(of: results, samples: sampleSet(), threads: results.summary.threads)
            try report(results, saving: program, extra: outcome.report)
            return
        }
        let (results, program) = try analyse()
        try report(results, saving: program) { ioStats.report(since: ioStart) }
    }

    /// The samples this run reads: the samples file's, or for an ADL file given --files one
    /// sample "data".
    func sampleSet() throws -> SampleSet {
        if isADL, samplesFile == nil {
            return SampleSet(luminosity: 1, samples: [Sample(name: "data", files: files, tree: tree, isMC: false)])
        }
        return try SampleSet(path: isADL ? samplesFile! : samples)
    }

    /// Runs the analysis here (not on Dask) and returns its results, provenance recorded, and
    /// the ADL program when the analysis is one.
    func analyse() throws -> (AnalysisResults, ADLProgram?) {
        let options = RunOptions(threads: threadsToUse(threads), onFailure: FailurePolicy(rawValue: onFailure)!)
        let program = isADL ? try ADLProgram(path: samples) : nil
        let set = try sampleSet()
        var results = try program.map { try $0.analysis.run(samples: set, options: options) }
            ?? ExampleAnalyses.make(analysis ?? "").run(samples: set, options: options)
        results.provenance = try provenance(of: results, samples: set, threads: options.threads)
        return (results, program)
    }

    /// Writes the outputs (and what an ADL program `save`s) and prints the cut flow, the
    /// summary (then `extra` and what `afterSummary` prints) and the files written.
    private func report(_ results: AnalysisResults, saving program: ADLProgram? = nil, extra: String? = nil,
                        afterSummary: () -> Void = {}) throws {
        var written = try results.writeOutputs(to: output)
        if let program { written += try program.writeSaved(results, to: output) }
        if let path = try metrics.write(RunMetrics(command: "run", summary: results.summary)) { written.append(path) }
        print(results.cutFlowTable())
        print(results.summary)
        if let extra { print(extra) }
        afterSummary()
        print("written: " + written.joined(separator: ", "))
    }
}
