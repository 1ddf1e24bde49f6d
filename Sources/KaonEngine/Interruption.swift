#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C during a run: workers finish the block they are on and take no more, then the run
/// reports that it was interrupted. A second Ctrl-C falls back to the default (terminate).
final class Interruption: Sendable {
    private static let flag = Atomic<Bool>(false)
    private static let installed = Atomic<Int>(0)

    var requested: Bool { Self.flag.load(ordering: .relaxed) }

    static func install() -> Interruption {
        flag.store(false, ordering: .relaxed)
        if installed.add(1, ordering: .relaxed).newValue == 1 {
            signal(SIGINT) { _ in
                Interruption.flag.store(true, ordering: .relaxed)
                signal(SIGINT, SIG_DFL)
            }
        }
        return Interruption()
    }

    func restore() {
        if Self.installed.subtract(1, ordering: .relaxed).newValue == 0 {
            signal(SIGINT, SIG_DFL)
        }
    }
}
