import KaonEngine
import Synchronization

/// The progress line of `kaon copy` and `kaon merge`: the engine's ``Progress`` for the tree
/// being written, started afresh for each tree (the copier reports per tree).
final class TreeCopyProgress: Sendable {
    private struct Current {
        var tree: String
        var done: Int
        var progress: KaonEngine.Progress
    }

    private let current = Mutex<Current?>(nil)

    /// The copier's callback: `done` of `total` entries of `tree` are written.
    func update(tree: String, done: Int, total: Int) {
        current.withLock { current in
            if current?.tree != tree || (current?.done ?? 0) > done {
                current?.progress.finish()
                current = Current(tree: tree, done: 0, progress: KaonEngine.Progress(total: total, unit: "entries"))
            }
            current!.progress.advance(by: done - current!.done, bytes: 0)
            current!.done = done
        }
    }

    /// Clears the line before the report is printed.
    func finish() {
        current.withLock { current in
            current?.progress.finish()
            current = nil
        }
    }
}
