#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one work item of a run cost: its wall-clock and CPU time on the worker that ran it,
/// and the uncompressed bytes of the columns it loaded (``RunSummary/workItemMetrics``).
public struct WorkItemMetrics: Sendable, Equatable {
    /// The item's file (path or URL) and tree.
    public var file: String
    public var tree: String
    /// The entries of the item; counted as read only when ``succeeded``.
    public var entries: Range<Int>
    /// From taking the item to its partial result, on the worker's clock.
    public var wallSeconds: Double
    /// The worker thread's CPU time over the same span (`CLOCK_THREAD_CPUTIME_ID`): user and
    /// system time of that thread only, so the items of concurrent workers add up.
    public var cpuSeconds: Double
    /// Uncompressed bytes of the columns the item loaded (decompressed and decoded).
    public var bytesLoaded: Int
    /// False for an item skipped under `FailurePolicy.skip`.
    public var succeeded: Bool

    public init(file: String, tree: String, entries: Range<Int>, wallSeconds: Double, cpuSeconds: Double,
                bytesLoaded: Int, succeeded: Bool) {
        self.file = file
        self.tree = tree
        self.entries = entries
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.bytesLoaded = bytesLoaded
        self.succeeded = succeeded
    }

    /// This process' CPU time so far (user and system, all threads), in seconds.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The calling thread's CPU time so far, in seconds.
    public static func threadCPUSeconds() -> Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}

extension RunSummary {
    /// The entries read from each file (the items that succeeded), by path.
    public var entriesByFile: [String: Int] {
        workItemMetrics.reduce(into: [:]) { sums, item in
            if item.succeeded { sums[item.file, default: 0] += item.entries.count }
        }
    }
}
