#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The outputs this process has announced or started but not yet committed, and what an
/// interrupt does about them.
///
/// A command announces its outputs with ``expect(_:)`` before its long part (reading the
/// events), and every ``TemporaryOutput`` lists its temporary file here while it exists. When
/// ``installInterruptHandler()`` has run, Ctrl-C (SIGINT) or SIGTERM removes every listed
/// temporary, prints `interrupted: PATH not written` for each output not yet committed, and
/// exits with status 128 + the signal (130 for Ctrl-C). Outputs already committed stay: they
/// are complete.
public enum PendingOutputs {
    private struct Entry {
        var path: String
        var temporaries: [String]
        /// Announced with `expect`: stays pending (an interrupt reports it) until committed,
        /// even after a failed attempt; otherwise dropped with its last temporary.
        var announced: Bool
    }

    /// In announcement order, so the interrupt message lists outputs as the command would
    /// have written them.
    private static let entries = Mutex<[Entry]>([])

    /// Announces outputs a command is going to write, so that an interrupt before their
    /// writing starts still reports them as not written.
    public static func expect(_ paths: [String]) {
        entries.withLock { entries in
            for path in paths {
                if let index = entries.firstIndex(where: { $0.path == path }) {
                    entries[index].announced = true
                } else {
                    entries.append(Entry(path: path, temporaries: [], announced: true))
                }
            }
        }
    }

    /// The outputs announced or started and not yet committed, in order.
    public static var pending: [String] {
        entries.withLock { $0.map(\.path) }
    }

    static func started(_ path: String, temporary: String) {
        entries.withLock { entries in
            if let index = entries.firstIndex(where: { $0.path == path }) {
                entries[index].temporaries.append(temporary)
            } else {
                entries.append(Entry(path: path, temporaries: [temporary], announced: false))
            }
        }
    }

    /// Runs `rename` with the registry held and, if it succeeded (returned 0), drops the
    /// output from the registry: an interrupt sees the output either pending or committed.
    static func committing(_ path: String, temporary: String, _ rename: () -> Int32) -> Int32 {
        entries.withLock { entries in
            let result = rename()
            if result == 0 {
                entries.removeAll { $0.path == path }
            } else {
                remove(temporary, of: path, from: &entries)
            }
            return result
        }
    }

    static func abandoned(_ path: String, temporary: String) {
        entries.withLock { remove(temporary, of: path, from: &$0) }
    }

    private static func remove(_ temporary: String, of path: String, from entries: inout [Entry]) {
        guard let index = entries.firstIndex(where: { $0.path == path }) else { return }
        entries[index].temporaries.removeAll { $0 == temporary }
        if entries[index].temporaries.isEmpty && !entries[index].announced { entries.remove(at: index) }
    }

    // MARK: - Interrupts

    /// Routes SIGINT and SIGTERM to a thread that removes the pending outputs' temporaries,
    /// says which outputs were not written, and exits with 128 + the signal.
    ///
    /// Call it first thing in `main`, before any thread starts: the signals are blocked in the
    /// calling thread, every thread created afterwards inherits that, and only the dedicated
    /// thread receives them (with `sigwait`, so the cleanup runs as ordinary code, not in a
    /// signal handler where locks and allocation are unsafe).
    public static func installInterruptHandler() {
        var signals = interruptSignals
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in
            var signals = PendingOutputs.interruptSignals
            var received: Int32 = 0
            while sigwait(&signals, &received) != 0 {}
            PendingOutputs.interrupted(by: received)
        }, nil)
        pthread_detach(thread)
    }

    private static var interruptSignals: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }

    /// Removes every temporary and exits, holding the registry so that no commit can follow.
    private static func interrupted(by signal: Int32) -> Never {
        entries.withLock { entries in
            var message = ""
            for entry in entries {
                for temporary in entry.temporaries { unlink(temporary) }
                message += "interrupted: \(entry.path) not written\n"
            }
            writeToStandardError(message.isEmpty ? "interrupted\n" : message)
            _exit(128 + signal)
        }
    }
}
