// The one set of timing helpers every benchmark uses, so that "fastest of n", "median" and
// "thread CPU time" mean the same thing in every report.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonIO

/// Seconds of the fastest of `repetitions` runs of `body` (at least one): the run least
/// disturbed by other load on a shared machine.
///
/// ```swift
/// let seconds = best(of: 5) { blackHole(values.sum()) }
/// ```
public func best(of repetitions: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var fastest = Double.infinity
    for _ in 0..<Swift.max(1, repetitions) {
        fastest = Swift.min(fastest, clock.measure(body).inSeconds)
    }
    return fastest
}

/// CPU time consumed by the calling thread (Python's `time.thread_time()`): on a shared
/// machine it excludes the time the thread waited for a core.
///
/// ```swift
/// let start = threadCPUSeconds()
/// work()
/// let cpu = threadCPUSeconds() - start
/// ```
public func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The median of `values` (the mean of the middle two for an even count), NaN when empty.
///
/// ```swift
/// median([3, 1, 2, 10])   // 2.5
/// ```
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// Keeps a value alive as far as the optimiser can tell, so a timed kernel's work is not
/// dropped as unused.
///
/// ```swift
/// best(of: 3) { blackHole(values.argsort()) }
/// ```
@inline(never)
public func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
