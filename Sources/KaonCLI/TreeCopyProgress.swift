import KaonEngine
import KaonIO
import Synchronization

/// The progress line of `kaon copy` and `kaon merge` — the engine's ``Progress`` for the
/// tree being written, started afresh for each tree (the copier reports per tree) — and
/// each tree's cost as a work item of the run's metrics (`--metrics`).
final class TreeCopyProgress: Sendable {
    private struct Current {
        var tree: String
        var done: Int
        var progress: KaonEngine.Progress
        var start: ContinuousClock.Instant
        var cpuStart: Double
    }

    private struct State {
        var current: Current?
        var measured: [WorkItemMetrics] = []
    }

    /// What the trees are copied from (the input, or the inputs of a merge), for the metrics.
    private let source: String
    private let state = Mutex(State())

    init(source: String) {
        self.source = source
    }

    /// The copier's callback: `done` of `total` entries of `tree` are written.
    func update(tree: String, done: Int, total: Int) {
        state.withLock { state in
            if state.current?.tree != tree || (state.current?.done ?? 0) > done {
                close(&state)
                state.current = Current(tree: tree, done: 0, progress: KaonEngine.Progress(total: total, unit: "entries"),
                                        start: .now, cpuStart: WorkItemMetrics.processCPUSeconds())
            }
            state.current!.progress.advance(by: done - state.current!.done, bytes: 0)
            state.current!.done = done
        }
    }

    /// Clears the line before the report is printed; the tree being copied is measured.
    func finish() {
        state.withLock { close(&$0) }
    }

    /// Each tree copied: its entries, wall time and CPU time (the process', as the copier
    /// runs one tree at a time); the bytes decompressed are not counted by the copier.
    var measured: [WorkItemMetrics] { state.withLock { $0.measured } }

    private func close(_ state: inout State) {
        guard let current = state.current else { return }
        current.progress.finish()
        state.measured.append(WorkItemMetrics(file: source, tree: current.tree, entries: 0..<current.done,
                                              wallSeconds: (ContinuousClock.now - current.start).inSeconds,
                                              cpuSeconds: WorkItemMetrics.processCPUSeconds() - current.cpuStart,
                                              bytesLoaded: 0, succeeded: true))
        state.current = nil
    }
}
