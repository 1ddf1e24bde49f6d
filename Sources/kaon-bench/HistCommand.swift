import ArgumentParser
import KaonBenchmarks

/// `kaon-bench hist`: Kaon's histogram fill rate, for benchmarks/hist/run.py.
struct HistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hist",
        abstract: "Measure the fill rate (fills/s) of Kaon histograms on Regular(100, -3, 3) axes.")

    @Option(help: "Number of Regular(100, -3, 3) axes (1-3).") var dims: Int = 1
    @Option(help: "Storage: double or weight.") var storage: String = "double"
    @Option(help: "Axis kind: regular (Regular(100, -3, 3)) or variable (its 101 edges as a Variable axis).") var axis: String = "regular"
    @Option(help: "Entries per fill (a fresh column of normal-ish data).") var entries: Int = 10_000_000
    @Option(help: "Timed repeats; the median is reported.") var repeats: Int = 5
    @Option(help: "Threads; per-thread copies are merged with +.") var threads: Int = 1
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard HistogramBenchmark.StorageKind(rawValue: storage) != nil, HistogramBenchmark.AxisKind(rawValue: axis) != nil,
              (1...3).contains(dims), entries > 0, threads > 0 else {
            throw ValidationError("use --storage double|weight, --axis regular|variable, --dims 1...3, positive --entries and --threads")
        }
    }

    func run() throws {
        let kind = HistogramBenchmark.StorageKind(rawValue: storage)!, axisKind = HistogramBenchmark.AxisKind(rawValue: axis)!
        let r = HistogramBenchmark.fillRate(dimensions: dims, storage: kind, entries: entries, repeats: repeats, threads: threads,
                                            axis: axisKind)
        let seconds = r.seconds.map { String($0) }.joined(separator: ", ")
        print(json
            ? "{\"dims\": \(dims), \"storage\": \"\(storage)\", \"entries\": \(entries), \"threads\": \(threads), \"seconds\": [\(seconds)], \"fills_per_second\": \(r.medianFillsPerSecond), \"fills_per_cpu_second\": \(r.medianFillsPerCPUSecond), \"checksum\": \(r.checksum)}"
            : "\(dims)D \(storage), \(threads) thread(s): \(Int(r.medianFillsPerSecond / 1e6)) M fills/s (median of \(r.seconds.count))")
    }
}
