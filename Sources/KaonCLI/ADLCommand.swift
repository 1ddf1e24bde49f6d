import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonADL
import KaonAnalysis
import KaonEngine
import KaonIO

/// `kaon adl`: the IRIS-HEP ADL benchmark queries, run together in one pass.
struct ADLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adl",
        abstract: "Run the eight IRIS-HEP ADL benchmark queries over NanoAOD-like files in one pass.",
        discussion: """
        The queries (Graur et al., PVLDB 15(2), 2022; root-project/opendata-benchmarks)
        over the tree Events of CMS Open Data Run2012B SingleMu (NanoAOD-like):
        \(ADLQuery.allCases.map { "  \($0.rawValue)  \($0.summary)" }.joined(separator: "\n"))
        Cuts are strict; four-vectors are (pt, eta, phi, mass) as ROOT's
        PtEtaPhiMVector (a negative mass is space-like); pairs and triples are taken
        in lexicographic order and the first one wins ties; Q8 lists muons first.

        All selected queries run in a single event loop: every branch is
        decompressed once however many queries use it. Files are split into
        blocks of whole clusters; each block fills its own histograms and the
        blocks are merged in order, so the result is identical for any --threads.

        Binnings (100 regular bins each, with under- and overflow):
          root-project (default)  Q1, Q4, Q5 [0, 200); Q2, Q3 [15, 60);
                                  Q6 pt [15, 40); Q6 btag [0, 1); Q7 [15, 200);
                                  Q8 [0, 200). Q7 skips events whose sum is 0.
          paper                   Q1, Q4, Q5 [0, 2000); Q8 [15, 250); the rest
                                  as above. Q7 fills sums of 0 (underflow), as
                                  the histograms published with the paper do.

        Output: one line per histogram (entries, in range, under- and overflow),
        then the event rate. With --json, standard output is instead the histograms
        as UHI JSON in one dictionary with keys q1 q2 q3 q4 q5 q6pt q6btag q7 q8
        (those of the selected queries), flow bins included (hist reads it with
        uhi.io.json), and the event-rate line goes to standard error.

        Examples:
          kaon adl Run2012B_SingleMu.root
          kaon adl 'data/*.root' --query q5,q8 --threads 2 --json > adl.json
          kaon adl Run2012B_SingleMu_1000.root --binning paper --json > paper.json
          kaon adl 'data/*.root' --scheduler tcp://head:8786 --json > adl.json

        With --scheduler the work items run as tasks on a Dask cluster (through
        Python's kaon.dask) and the last lines report the Dask run instead.
        """
    )

    @Argument(help: "ROOT files with an Events tree (quoted globs are expanded, in sorted order).")
    var files: [String]

    @Option(name: .long, help: "Queries to run: all, or a comma-separated list of q1 … q8.")
    var query: String = "all"

    @Option(name: .long, help: "Worker threads.")
    var threads: Int = 1

    @Option(name: .long, help: "Binning: root-project or paper.")
    var binning: String = ADLBinning.rootProject.rawValue

    @Flag(name: .long, help: "Print the histograms as a UHI JSON dictionary instead of the text report.")
    var json = false

    @Option(name: .long, help: "Entries per work item (blocks are whole clusters).")
    var blockSize: Int = 100_000

    @Option(name: .long, help: "The tree to read.")
    var tree: String = "Events"

    @Option(name: .long, help: "Plan reads (one vectored read per block, the next block read ahead): automatic (remote files), always or never.")
    var readPlanning: ReadPlanning = .automatic

    @OptionGroup var ioStats: IOStatsOption

    @OptionGroup var metrics: MetricsOption

    @OptionGroup var dask: SchedulerOption

    func validate() throws {
        guard ADLQuery.parse(query) != nil else { throw ValidationError("--query must be all or a list of q1 … q8, got '\(query)'") }
        guard ADLBinning(rawValue: binning) != nil else { throw ValidationError("--binning must be root-project or paper") }
        guard threads > 0, blockSize > 0 else { throw ValidationError("--threads and --block-size must be positive") }
    }

    func run() throws {
        let queries = ADLQuery.parse(query)!, binning = ADLBinning(rawValue: binning)!
        if let scheduler = dask.scheduler {
            let outcome = try DaskDelegation.run("adl", files + ["--query", query, "--binning", binning.rawValue, "--tree", tree,
                                                                 "--block-size", String(blockSize)], scheduler: scheduler)
            let results = try AnalysisResults(serialized: outcome.results, name: "results of the Dask run")
            printHistograms(try ADLHistograms(results: results, queries: queries, binning: binning))
            if json { writeToStandardError(outcome.report + "\n") } else { print(outcome.report) }
            return
        }
        let analysis = ADLAnalysis(queries: queries, binning: binning)
        let cpuStart = WorkItemMetrics.processCPUSeconds()
        let ioStart = IOStatsOption.start()
        let result = try analysis.run(files: files, tree: tree, threads: threadsToUse(threads), blockSize: blockSize, progress: true,
                                      readPlanning: readPlanning)
        let cpu = WorkItemMetrics.processCPUSeconds() - cpuStart
        printHistograms(result.value)
        let summary = result.summary
        let rate = summary.seconds > 0 ? Double(summary.entries) / summary.seconds : 0
        // CPU time (all threads) says how much work the run was even on a busy machine, where
        // the wall time also counts the waits for a core.
        let line = "\(summary.entries) events in \(HumanFormat.duration(seconds: summary.seconds)) on \(summary.threads) thread(s): "
            + "\(HumanFormat.rate(rate, unit: "events")); CPU \(HumanFormat.duration(seconds: cpu))"
        if json { writeToStandardError(line + "\n") } else { print(line) }
        ioStats.report(since: ioStart, toStandardError: json)
        try metrics.write(RunMetrics(command: "adl", summary: summary))
    }
}

extension ADLCommand {
    /// The histograms as UHI JSON (--json) or one line each.
    func printHistograms(_ histograms: ADLHistograms) {
        if json {
            print(histograms.uhiJSONText)
            return
        }
        for (key, histogram) in histograms.histograms {
            let cells = histogram.values(flow: true)
            let inRange = cells.dropFirst().dropLast().reduce(0, +)
            print("\(key.rawValue.padding(6)) entries \(Int(cells.reduce(0, +))), in range \(Int(inRange)), "
                + "underflow \(Int(cells.first!)), overflow \(Int(cells.last!))")
        }
    }
}


extension String {
    /// The string padded with spaces to `width` characters.
    fileprivate func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
