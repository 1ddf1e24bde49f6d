import KaonHist
import KaonIO

/// Measures Kaon's fill rate, for `kaon-bench hist` and the comparison with boost-histogram.
///
/// ```swift
/// let r = HistogramBenchmark.fillRate(dimensions: 1, storage: .double, entries: 10_000_000, repeats: 5)
/// print(r.medianFillsPerSecond)
/// ```
public enum HistogramBenchmark {
    /// Which storage to fill.
    public enum StorageKind: String, Sendable, CaseIterable {
        case double, weight
    }

    /// Timings of one configuration.
    public struct Result: Sendable {
        public var dimensions: Int
        public var storage: StorageKind
        public var entries: Int
        public var threads: Int
        /// Seconds per repeat (wall clock).
        public var seconds: [Double]
        /// CPU seconds of the calling thread per repeat: on a shared machine this excludes
        /// the time the thread waited for a core (only meaningful with one thread).
        public var cpuSeconds: [Double] = []
        /// Σ (i + 1) · value of cell i over the filled histogram's cells (row-major, flow bins
        /// included): the benchmark runner compares it with boost-histogram's histogram of the
        /// same data, so both sides provably filled the same values into the same bins.
        public var checksum: Double = 0
        /// Fills per second of the median repeat.
        public var medianFillsPerSecond: Double { Self.rate(entries, seconds) }
        /// Fills per CPU second of the median repeat.
        public var medianFillsPerCPUSecond: Double { Self.rate(entries, cpuSeconds) }
        static func rate(_ entries: Int, _ seconds: [Double]) -> Double {
            let s = seconds.sorted()
            return s.isEmpty ? 0 : Double(entries) / s[s.count / 2]
        }
    }

    /// Deterministic normal-ish data in `[-3, 3)`: `count` draws of
    /// ``KaonIO/ToyRandom/approximateNormal()`` from a SplitMix64 seeded with `seed`.
    /// benchmarks/hist/run.py generates the same values with NumPy for boost-histogram.
    public static func data(count: Int, seed: UInt64) -> [Double] {
        SplitMix64.approximateNormals(count: count, seed: seed)
    }

    /// The axis kinds the benchmark fills.
    public enum AxisKind: String, Sendable, CaseIterable {
        /// Regular(100, -3, 3).
        case regular
        /// Variable with the 101 edges -3 + 6 i / 100 (the same bins as `regular`).
        case variable
    }

    /// Times filling `entries` values into one (1D) or two (2D) axes of `kind` (default
    /// Regular(100, -3, 3)), `repeats` times, from prepared columns (data generation is not
    /// timed). `threads > 1` uses ``Histogram/fillParallel``.
    public static func fillRate(dimensions: Int, storage: StorageKind, entries: Int, repeats: Int = 5,
                                threads: Int = 1, axis kind: AxisKind = .regular) -> Result {
        let xs = data(count: entries, seed: 1)
        let ys = dimensions > 1 ? data(count: entries, seed: 2) : []
        let ws = storage == .weight ? data(count: entries, seed: 3) : nil
        let axis = kind == .regular ? RegularAxis(bins: 100, lower: -3, upper: 3).erased
            : VariableAxis(edges: (0...100).map { -3 + 6 * Double($0) / 100 }).erased
        let axes: [AnyAxis] = Array(repeating: axis, count: dimensions)
        let columns = dimensions > 1 ? [xs, ys] : [xs]
        var seconds: [Double] = [], cpuSeconds: [Double] = [], checksum = 0.0
        func sum(_ values: [Double]) -> Double { values.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element } }
        let clock = ContinuousClock()
        for _ in 0..<Swift.max(1, repeats) {
            let elapsed: Duration
            let cpuStart = threadCPUSeconds()
            switch storage {
            case .double:
                var h = Histogram<DoubleStorage>(axes: axes)
                elapsed = clock.measure { try? h.fillParallel(columns: columns, weights: ws, threads: threads) }
                precondition(h.sum(flow: true) > 0)
                checksum = sum(h.values(flow: true))
            case .weight:
                var h = Histogram<WeightStorage>(axes: axes)
                elapsed = clock.measure { try? h.fillParallel(columns: columns, weights: ws, threads: threads) }
                precondition(h.sum(flow: true).variance > 0)
                checksum = sum(h.values(flow: true))
            }
            cpuSeconds.append(threadCPUSeconds() - cpuStart)
            seconds.append(elapsed.inSeconds)
        }
        return Result(dimensions: dimensions, storage: storage, entries: entries, threads: threads, seconds: seconds,
                      cpuSeconds: cpuSeconds, checksum: checksum)
    }
}
