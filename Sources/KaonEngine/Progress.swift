#if canImport(Glibc)
import Glibc
#endif
import KaonIO
import Synchronization

/// A one-line progress display on standard error: done/total, rate, MB/s, ETA.
///
/// Silent when standard error is not a terminal (logs, CI, pipes, tests), so it never mixes
/// into captured output, and redrawn at most ten times a second so that it costs nothing
/// measurable. Used by the engine's runs and by the commands that loop on their own
/// (`kaon scan` over baskets, `kaon copy` over entries).
///
/// ```swift
/// let progress = Progress(total: work.count, unit: "baskets")
/// for basket in work { …; progress.advance(by: 1, bytes: uncompressed) }
/// progress.finish()
/// ```
public final class Progress: Sendable {
    private struct State {
        var done = 0
        var bytes = 0
        var lastDraw = ContinuousClock.now
        var drawn = false
    }

    private let total: Int
    private let unit: String
    private let enabled: Bool
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    /// A display of `total` units of work (`unit` names them: "entries", "baskets");
    /// drawn only when `enabled` and standard error is a terminal.
    public init(total: Int, unit: String = "entries", enabled: Bool = true) {
        self.total = total
        self.unit = unit
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    /// Records `count` more units done and `bytes` more bytes processed.
    public func advance(by count: Int, bytes: Int) {
        guard enabled else { return }
        state.withLock { state in
            state.done += count
            state.bytes += bytes
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(100) || state.done == total else { return }
            state.lastDraw = now
            state.drawn = true
            draw(state, now: now)
        }
    }

    private func draw(_ state: State, now: ContinuousClock.Instant) {
        let elapsed = (now - start).inSeconds
        let fraction = total > 0 ? min(1, Double(state.done) / Double(total)) : 1
        let rate = elapsed > 0 ? Double(state.done) / elapsed : 0
        let eta = rate > 0 ? Double(max(0, total - state.done)) / rate : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        var line = "\r[\(bar)] \(Int(fraction * 100))%  \(HumanFormat.rate(rate, unit: unit))  "
        // Work without a byte count (a copy's entries) shows no byte rate rather than 0 B/s.
        if state.bytes > 0 { line += "\(HumanFormat.byteRate(elapsed > 0 ? Double(state.bytes) / elapsed : 0))  " }
        line += "ETA \(HumanFormat.duration(seconds: eta))   "
        writeToStandardError(line)
    }

    /// Clears the line (if anything was drawn), leaving standard error as it was.
    public func finish() {
        guard enabled else { return }
        state.withLock { state in
            if state.drawn { writeToStandardError("\r" + String(repeating: " ", count: 100) + "\r") }
        }
    }
}
