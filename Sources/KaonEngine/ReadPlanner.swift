import Dispatch
import KaonIO
import KaonTree
import Synchronization

/// When a run plans its reads: one vectored read per work item of every branch the blocks
/// read (learned from earlier blocks, or declared in ``RunOptions/declaredBranches``), with
/// neighbouring baskets coalesced, and the next work item's baskets read while the current
/// one decodes. Results never depend on it.
public enum ReadPlanning: String, Sendable, CaseIterable {
    /// For remote sources (each read a network round trip); local files read branch by branch.
    case automatic
    /// Always, local files too.
    case always
    /// Never: every branch is read when the analysis first asks for it.
    case never

    /// Whether reads from `source` are planned in this mode.
    public func plans(_ source: any ByteSource) -> Bool {
        switch self {
        case .automatic: source.isRemote
        case .always: true
        case .never: false
        }
    }
}

/// Request planning for a run: which branches a work item will need, so that they are read
/// in one vectored request per work item, and the next item's are read while this one decodes.
///
/// **Which branches.** The object view reads a branch the first time analysis code touches
/// it, so an analysis need not list its branches. The planner learns them: every branch a
/// block reads is recorded under its tree path, and a later block (on any worker) prefetches
/// every branch recorded so far, so every block after the first costs one vectored read.
/// The first block would be read branch by branch — a round trip per branch, the largest
/// cost left on a slow link — unless the analysis *declares* the branches it will read
/// (``RunOptions/declaredBranches``; `ADLAnalysis` does, per query): they are the plan from
/// the first block on, and learning adds any the declaration missed. Learning is the base
/// because most analyses written against the object view have no list, and a stale one
/// costs bytes (too many) or round trips (too few), never results: a branch the plan lacks
/// is still read on demand.
///
/// **Memory.** A worker holds the stored baskets of at most ``RunOptions/readAheadItems`` + 1
/// items: the one it decodes and the next ones it claimed, being read.
final class ReadPlanner: Sendable {
    let mode: ReadPlanning
    let coalescing: RangeCoalescing
    /// Branch names or paths the analysis declared (unknown ones are ignored).
    let declared: [String]
    private let learned = Mutex<[String: Set<String>]>([:])

    init(mode: ReadPlanning, declared: [String] = [], coalescing: RangeCoalescing = RangeCoalescing()) {
        self.mode = mode
        self.declared = declared
        self.coalescing = coalescing
    }

    /// Whether reads of `tree` are planned.
    func plans(_ tree: Tree) -> Bool { mode.plans(tree.file.source) }

    /// Records that a block of `tree` read the branch at `branchPath`.
    func touched(_ branchPath: String, in tree: Tree) {
        learned.withLock { _ = $0[tree.path, default: []].insert(branchPath) }
    }

    /// Whether any branch of `tree` is declared or learned yet.
    func hasPlan(for tree: Tree) -> Bool {
        !declared.isEmpty || learned.withLock { !($0[tree.path]?.isEmpty ?? true) }
    }

    /// The branches declared, and learned for `tree` so far.
    func branches(of tree: Tree) -> [Branch] {
        let paths = learned.withLock { $0[tree.path] ?? [] }
        var seen: Set<String> = []
        return (declared + paths.sorted()).compactMap { try? tree.branch($0) }.filter { seen.insert($0.path).inserted }
    }

    /// Every branch path blocks read, over all trees, sorted.
    var branchesRead: [String] {
        learned.withLock { Set($0.values.joined()).sorted() }
    }

    /// The planned baskets of `item`, read now (nil when nothing is learned yet).
    func read(_ item: WorkItem, of tree: Tree) throws -> PrefetchedBaskets? {
        let branches = branches(of: tree)
        if branches.isEmpty { return nil }
        return try tree.prefetch(branches, entries: item.entries, coalescing: coalescing)
    }

    /// Starts reading `item`'s planned baskets on `queue`; nil when nothing is learned yet.
    func readAhead(_ item: WorkItem, of tree: Tree, on queue: DispatchQueue) -> PendingBaskets? {
        let branches = branches(of: tree)
        if branches.isEmpty { return nil }
        let pending = PendingBaskets()
        let coalescing = coalescing
        queue.async { pending.fulfil(Result { try tree.prefetch(branches, entries: item.entries, coalescing: coalescing) }) }
        return pending
    }
}

/// Baskets being read on another thread: ``wait()`` blocks until they are there.
final class PendingBaskets: Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<PrefetchedBaskets, any Error>?>(nil)

    func fulfil(_ value: Result<PrefetchedBaskets, any Error>) {
        result.withLock { $0 = value }
        ready.signal()
    }

    /// The baskets, or the error reading them; waits for the read to finish.
    func wait() throws -> PrefetchedBaskets {
        ready.wait()
        ready.signal()  // later waits return at once
        return try result.withLock { $0! }.get()
    }
}
