#if canImport(Glibc)
import Glibc
#endif
import KaonIO
import Synchronization

/// A one-line progress display on standard error: entries/s, MB/s of columns, ETA.
///
/// Silent when standard error is not a terminal (logs, CI, pipes), and redrawn at most ten
/// times a second so that it costs nothing measurable.
final class Progress: Sendable {
    private struct State {
        var entries = 0
        var bytes = 0
        var lastDraw = ContinuousClock.now
        var drawn = false
    }

    private let total: Int
    private let enabled: Bool
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func advance(entries: Int, bytes: Int) {
        guard enabled else { return }
        state.withLock { state in
            state.entries += entries
            state.bytes += bytes
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(100) || state.entries == total else { return }
            state.lastDraw = now
            state.drawn = true
            draw(state, now: now)
        }
    }

    private func draw(_ state: State, now: ContinuousClock.Instant) {
        let elapsed = Format.seconds(between: start, and: now)
        let fraction = total > 0 ? Double(state.entries) / Double(total) : 1
        let rate = elapsed > 0 ? Double(state.entries) / elapsed : 0
        let eta = rate > 0 ? Double(total - state.entries) / rate : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let line = "\r[\(bar)] \(Int(fraction * 100))%  \(Format.count(rate)) entries/s  "
            + "\(Format.bytes(elapsed > 0 ? Double(state.bytes) / elapsed : 0))/s  ETA \(Format.seconds(eta))   "
        writeToStandardError(line)
    }

    func finish() {
        guard enabled else { return }
        state.withLock { state in
            if state.drawn { writeToStandardError("\r" + String(repeating: " ", count: 100) + "\r") }
        }
    }
}

/// Human-readable numbers for progress lines and summaries.
enum Format {
    static func seconds(between start: ContinuousClock.Instant, and end: ContinuousClock.Instant) -> Double {
        (end - start).inSeconds
    }

    static func seconds(_ value: Double) -> String {
        if value < 1 { return "\(Int(value * 1000)) ms" }
        if value < 120 { return "\(Int(value * 10) / 10).\(Int(value * 10) % 10) s" }
        return "\(Int(value) / 60) min \(Int(value) % 60) s"
    }

    static func count(_ value: Double) -> String {
        if value >= 1e9 { return "\(Int(value / 1e8) / 10).\(Int(value / 1e8) % 10)G" }
        if value >= 1e6 { return "\(Int(value / 1e5) / 10).\(Int(value / 1e5) % 10)M" }
        if value >= 1e3 { return "\(Int(value / 1e2) / 10).\(Int(value / 1e2) % 10)k" }
        return "\(Int(value))"
    }

    static func bytes(_ value: Double) -> String { count(value) + "B" }
}
