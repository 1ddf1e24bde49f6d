#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import KaonIO
import KaonROOT
import KaonTree
import Synchronization

/// What to do when a file cannot be read.
public enum FailurePolicy: String, Sendable, CaseIterable {
    /// Stop the run and report the error (the default).
    case fail
    /// Skip the work items of that file, finish the run, and list the file in the summary.
    case skip
}

/// How a run is executed.
public struct RunOptions: Sendable {
    /// Worker threads.
    public var threads: Int
    public var onFailure: FailurePolicy
    /// Show a progress line on standard error (only when it is a terminal).
    public var progress: Bool
    /// When reads are planned: one vectored read per work item, the next item read ahead
    /// (see ``ReadPlanning``; by default for remote sources).
    public var readPlanning: ReadPlanning
    /// Branches (names or paths) the analysis says it will read: planned reads fetch them
    /// from the first block on, instead of learning them from it (see ``ReadPlanning``).
    public var declaredBranches: [String]
    /// When reads are planned, how many work items of its file each worker has being read
    /// while it decodes one (at least 1). One hides a round trip only while an item decodes
    /// for longer than its read takes; with two in flight a link with a long round trip
    /// delivers twice as many bytes per round trip, so decoding rarely waits. Each costs one
    /// item's stored baskets in memory.
    public var readAheadItems = 2

    /// Asking for more threads than ``maximumThreads`` runs that many (see there).
    public init(threads: Int = 1, onFailure: FailurePolicy = .fail, progress: Bool = true, readPlanning: ReadPlanning = .automatic,
                declaredBranches: [String] = []) {
        self.threads = min(max(1, threads), Self.maximumThreads)
        self.onFailure = onFailure
        self.progress = progress
        self.readPlanning = readPlanning
        self.declaredBranches = declaredBranches
    }
}

extension RunOptions {
    /// The most worker threads a run uses: 4 × the cores available.
    ///
    /// The work is decompression and decoding, bound by the cores; a few threads per core
    /// still help to hide waits on slow (network) storage, but every thread holds one block's
    /// columns in memory, so thousands of threads would only multiply memory (and the
    /// "per thread" figures would be meaningless).
    public static let maximumThreads: Int = 4 * max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `requested` capped at ``maximumThreads``, and a note for the user when it was capped
    /// (`option` names where the number came from, e.g. "--threads").
    public static func cappedThreads(_ requested: Int, option: String) -> (threads: Int, note: String?) {
        guard requested > maximumThreads else { return (requested, nil) }
        return (maximumThreads, "note: \(option) \(requested) exceeds 4 × the \(maximumThreads / 4) available cores; using \(maximumThreads) threads")
    }
}

/// The outcome of a run: the merged result and what it took.
public struct RunResult<Result> {
    public var value: Result
    public var summary: RunSummary
}

/// Statistics of a finished run, for the user and for benchmarks.
public struct RunSummary: Sendable, CustomStringConvertible {
    public var entries: Int
    public var workItems: Int
    public var seconds: Double
    public var threads: Int
    /// Uncompressed bytes of the columns the analysis used.
    public var bytesLoaded: Int
    /// Files skipped under `FailurePolicy.skip`, with the reason.
    public var skipped: [(file: String, error: String)]
    /// What the run's reads cost (all sources of the process while the run lasted).
    public var io: IOCounts
    /// Paths of the branches the blocks read, sorted (what a run could declare, see
    /// ``RunOptions/declaredBranches``).
    public var branchesRead: [String] = []
    /// Each work item's times and bytes, in work-item order (items a stopped or interrupted
    /// run never took are absent).
    public var workItemMetrics: [WorkItemMetrics] = []
    /// The files the run opened, in work-item order, as provenance inputs: path, header
    /// UUID, size, and the entries read from each (what `SampleSet.provenanceInputs` records
    /// without opening the files again).
    public var inputs: [Provenance.Input] = []

    /// A summary from its parts (for results rebuilt from bytes or merged from several runs).
    public init(entries: Int, workItems: Int, seconds: Double, threads: Int, bytesLoaded: Int,
                skipped: [(file: String, error: String)] = [], io: IOCounts = IOCounts()) {
        self.entries = entries
        self.workItems = workItems
        self.seconds = seconds
        self.threads = threads
        self.bytesLoaded = bytesLoaded
        self.skipped = skipped
        self.io = io
    }

    public var description: String {
        let rate = seconds > 0 ? Double(entries) / seconds : 0
        var text = "\(entries) entries in \(HumanFormat.count(workItems, "block")), \(HumanFormat.duration(seconds: seconds)) on \(HumanFormat.count(threads, "thread"))"
        text += " — \(HumanFormat.rate(rate, unit: "entries"))"
        if threads > 1 { text += " (\(HumanFormat.rate(rate / Double(threads), unit: "entries")) per thread)" }
        text += ", \(HumanFormat.bytes(bytesLoaded)) of columns loaded"
        for entry in skipped { text += "\nskipped \(entry.file): \(entry.error)" }
        return text
    }
}

/// Runs an analysis over work items on several threads: see ``run(_:options:openTrees:makeAccumulator:process:)``.
public enum Executor {
    /// Processes every work item with `process`, on `options.threads` threads, and merges the
    /// per-item results in work-item order.
    ///
    /// ```swift
    /// let items = try Dataset(files: ["nano_*.root"], tree: "Events").workItems()
    /// let result = try Executor.run(items, options: RunOptions(threads: 2), makeAccumulator: { Count() }) { count, block in
    ///     let nMuon = try block.column("nMuon").values(as: UInt32.self)
    ///     count.value += nMuon.filter { $0 >= 2 }.count
    /// }
    /// print(result.value.value, result.summary)
    /// ```
    ///
    /// **Blocks and threads.** Each of the `options.threads` workers takes the next item not
    /// yet taken (items are handed out in order), opens its file's tree the first time any
    /// worker needs it (all workers share it for the rest of the run), and gives `process` a
    /// fresh accumulator from `makeAccumulator` and the item's ``EventBlock`` (which reads a
    /// branch the first time `process` asks for it). `makeAccumulator` and `process` are
    /// called concurrently from several threads.
    ///
    /// **Request planning.** With `options.readPlanning` (by default for remote files), the
    /// branches blocks read are learned, and every later block reads all of them in one
    /// vectored, coalesced read; a worker claims the next items (`options.readAheadItems`) and
    /// reads their baskets while it decodes the current one (see `ReadPlanner`). Results do
    /// not change.
    ///
    /// **Merging and determinism.** The result starts as one more `makeAccumulator()`; a
    /// finished item's partial is merged into it as soon as every item before it is done, so
    /// the partials are always folded in work-item order, one at a time. The items, their
    /// partials and the order of the merges do not depend on the number of threads or on
    /// timing, so neither does the result (bit for bit, for floating-point sums too). Memory
    /// holds one block's columns per worker plus the partials waiting for a slower earlier
    /// item; it does not grow with the number of items.
    ///
    /// **Errors.** An error thrown while opening a file or by `process` stops the run: workers
    /// finish the items they are on and take no more, and `run` throws the first error as a
    /// `KaonError` naming the item's file. With `options.onFailure == .skip`, a `KaonError`
    /// that makes the file unusable (kinds truncated, malformed, corrupt or unsupported
    /// compression, not found — a missing file or branch —, system) instead skips that file's
    /// items — the one that failed and any not yet started, leaving out their partials — and
    /// the run goes on; the skipped files and reasons are in ``RunSummary/skipped``. Any
    /// other error stops the run under either policy.
    ///
    /// **Interruption.** While the run lasts, the first Ctrl-C (SIGINT) makes the workers
    /// finish their current items and take no more; `run` then throws an error saying how many
    /// of the blocks were done, and returns no partial result. A second Ctrl-C terminates the
    /// process. The previous SIGINT handling is restored when the last concurrent run ends.
    ///
    /// **Progress.** With `options.progress` and standard error a terminal, a progress line
    /// (entries and bytes of the finished items) is drawn on standard error and cleared at
    /// the end.
    ///
    /// `openTrees` are trees already open, by file (`Dataset.workItemsAndTrees`): used for the
    /// items of that file and tree instead of opening it again.
    ///
    /// - Returns: the merged accumulator and a ``RunSummary``: entries of the items that were
    ///   processed, the number of items, wall-clock seconds, threads, and the uncompressed
    ///   bytes of the columns read.
    public static func run<A: Accumulator & Sendable>(
        _ items: [WorkItem],
        options: RunOptions = RunOptions(),
        openTrees: [String: OpenedEntries] = [:],
        makeAccumulator: @Sendable () -> A,
        process: @Sendable (inout A, EventBlock) throws -> Void
    ) throws -> RunResult<A> {
        let start = ContinuousClock.now
        let ioAtStart = IOStatistics.process.counts
        let planner = ReadPlanner(mode: options.readPlanning, declared: options.declaredBranches)
        let trees = OpenTrees(openTrees)
        let state = RunState<A>(count: items.count, merged: makeAccumulator())
        let progress = Progress(total: items.reduce(0) { $0 + $1.entries.count }, enabled: options.progress)
        let interruption = Interruption.install()
        defer { interruption.restore() }

        DispatchQueue.concurrentPerform(iterations: options.threads) { _ in
            // The next items this worker claimed, in order, their baskets being read each on
            // a serial queue of its own (so that it gets a thread even while every worker is
            // busy decoding, and the reads of several items overlap).
            let depth = max(1, options.readAheadItems)
            var upcoming: [(index: Int, baskets: PendingBaskets?)] = []
            let readAhead = (0..<depth).map { DispatchQueue(label: "kaon.read-ahead.\($0)") }
            var nextQueue = 0
            defer { for claimed in upcoming { _ = try? claimed.baskets?.wait() } }  // no read outlives the run
            while !interruption.requested, !state.stopped {
                let index: Int
                let pending: PendingBaskets?
                if !upcoming.isEmpty {
                    (index, pending) = upcoming.removeFirst()
                } else if let next = state.next() {
                    (index, pending) = (next, nil)
                } else {
                    break
                }
                let item = items[index]
                if state.isSkipped(item.file) { _ = try? pending?.wait(); state.finish(index, with: nil); continue }
                let itemStart = ContinuousClock.now, cpuStart = WorkItemMetrics.threadCPUSeconds()
                func measured(bytes: Int, succeeded: Bool) -> WorkItemMetrics {
                    WorkItemMetrics(file: item.file, tree: item.tree, entries: item.entries,
                                    wallSeconds: (ContinuousClock.now - itemStart).inSeconds,
                                    cpuSeconds: WorkItemMetrics.threadCPUSeconds() - cpuStart, bytesLoaded: bytes, succeeded: succeeded)
                }
                do {
                    let opened = try trees.open(item)
                    var prefetched: PrefetchedBaskets?
                    // Basket reads are planned for trees; an RNTuple plans its own page reads.
                    if let tree = opened.tree, planner.plans(tree) {
                        prefetched = try pending?.wait() ?? planner.read(item, of: tree)
                        // Claim the next items and read their baskets while this one decodes (only
                        // within this file: the tree is at hand).
                        while upcoming.count < depth, planner.hasPlan(for: tree), let next = state.peekNext(),
                              items[next].file == item.file, items[next].tree == item.tree, state.claim(next) {
                            upcoming.append((next, planner.readAhead(items[next], of: tree, on: readAhead[nextQueue])))
                            nextQueue = (nextQueue + 1) % depth
                        }
                    }
                    let block = EventBlock(item: item, source: opened, prefetched: prefetched, planner: planner)
                    var accumulator = makeAccumulator()
                    try process(&accumulator, block)
                    state.finish(index, with: accumulator, bytes: block.loadedBytes,
                                 metrics: measured(bytes: block.loadedBytes, succeeded: true))
                    progress.advance(by: item.entries.count, bytes: block.loadedBytes)
                } catch {
                    let message = (error as? KaonError)?.description ?? "\(error)"
                    if options.onFailure == .skip && Self.isFileError(error) {
                        state.skip(item.file, reason: message)
                        state.finish(index, with: nil, metrics: measured(bytes: 0, succeeded: false))
                    } else {
                        state.fail(KaonError(.usage, message).inFile(item.file), stop: true)
                    }
                }
            }
        }
        progress.finish()
        if let error = state.error { throw error }
        if interruption.requested {
            throw KaonError(.usage, "interrupted after \(state.completedItems) of \(items.count) blocks; no results written")
        }
        let merged = state.merged
        let seconds = (ContinuousClock.now - start).inSeconds
        var summary = RunSummary(entries: state.completedEntries(items), workItems: items.count, seconds: seconds,
                                 threads: options.threads, bytesLoaded: state.bytes, skipped: state.skippedFiles,
                                 io: IOStatistics.process.counts - ioAtStart)
        summary.branchesRead = planner.branchesRead
        summary.workItemMetrics = state.workItemMetrics
        let opened = trees.files, entries = summary.entriesByFile
        var listed: Set<String> = []
        for item in items where listed.insert(item.file).inserted {
            guard let file = opened[item.file] else { continue }
            summary.inputs.append(file.provenanceInput(entries: entries[item.file] ?? 0))
        }
        return RunResult(value: merged, summary: summary)
    }

    /// Errors that make a whole file unreadable (as opposed to a bug in the analysis).
    static func isFileError(_ error: Error) -> Bool {
        guard let error = error as? KaonError else { return false }
        return [.truncated, .malformed, .corruptCompression, .unsupportedCompression, .system, .notFound].contains(error.kind)
    }
}

/// The trees (and RNTuples) a run has open, one per file and path, shared by the workers (a
/// `Tree` and its source serve concurrent readers): a file is opened once per run, not once
/// per worker — on a remote file every open costs several round trips.
final class OpenTrees: Sendable {
    private let trees: Mutex<[WorkItem.TreeKey: OpenedEntries]>

    /// Starts with trees already open, by file path.
    init(_ open: [String: OpenedEntries] = [:]) {
        trees = Mutex(Dictionary(open.map { (WorkItem.TreeKey(file: $0.key, tree: $0.value.path), $0.value) },
                                 uniquingKeysWith: { first, _ in first }))
    }

    /// The files opened so far, by path.
    var files: [String: ROOTFile] {
        trees.withLock { trees in Dictionary(trees.map { ($0.key.file, $0.value.file) }, uniquingKeysWith: { first, _ in first }) }
    }

    /// The tree of `item`, opened on first use. Two workers asking at once may both open it;
    /// the first one stored wins. A failed open is not remembered (the next item retries).
    func open(_ item: WorkItem) throws -> OpenedEntries {
        let key = WorkItem.TreeKey(file: item.file, tree: item.tree)
        if let open = trees.withLock({ $0[key] }) { return open }
        let opened = try OpenedEntries.open(filePath: item.file, path: item.tree)
        return trees.withLock { trees in
            if let first = trees[key] { return first }
            trees[key] = opened
            return opened
        }
    }
}

extension WorkItem {
    struct TreeKey: Hashable {
        let file: String
        let tree: String
    }
}

/// Shared bookkeeping of a run, guarded by one lock.
///
/// Finished partials wait in `pending` only until every earlier item is done; then they are
/// merged into `merged` (in item order, under the lock) and released.
final class RunState<A: Accumulator>: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var nextIndex = 0
    private let count: Int
    private var pending: [Int: A] = [:]
    /// The first item not yet merged (every item before it is merged or skipped).
    private var nextToMerge = 0
    private var done: [Bool]
    private var succeeded: [Bool]
    private(set) var merged: A
    private(set) var bytes = 0
    private(set) var error: KaonError?
    private(set) var stopped = false
    private var skipped: [String: String] = [:]
    private var skipOrder: [String] = []
    private var metrics: [WorkItemMetrics?]

    init(count: Int, merged: A) {
        metrics = Array(repeating: nil, count: count)
        self.count = count
        self.merged = merged
        done = Array(repeating: false, count: count)
        succeeded = Array(repeating: false, count: count)
    }

    func next() -> Int? {
        lock.withLock { _ in
            guard nextIndex < count else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }
    }

    /// The item ``next()`` would hand out, without taking it.
    func peekNext() -> Int? {
        lock.withLock { _ in nextIndex < count ? nextIndex : nil }
    }

    /// Takes item `index` if it is still the next one (another worker may have taken it).
    func claim(_ index: Int) -> Bool {
        lock.withLock { _ in
            guard nextIndex == index, index < count else { return false }
            nextIndex += 1
            return true
        }
    }

    func finish(_ index: Int, with partial: A?, bytes: Int = 0, metrics: WorkItemMetrics? = nil) {
        lock.withLock { _ in
            self.metrics[index] = metrics
            if let partial { pending[index] = partial; succeeded[index] = true }
            done[index] = true
            self.bytes += bytes
            while nextToMerge < count, done[nextToMerge] {
                if let ready = pending.removeValue(forKey: nextToMerge) { merged.merge(ready) }
                nextToMerge += 1
            }
        }
    }

    /// Partials finished but still waiting for an earlier item (for tests of the bound).
    var waitingPartials: Int { lock.withLock { _ in pending.count } }

    func fail(_ error: KaonError, stop: Bool) {
        lock.withLock { _ in
            if self.error == nil { self.error = error }
            if stop { stopped = true }
        }
    }

    func skip(_ file: String, reason: String) {
        lock.withLock { _ in
            if skipped[file] == nil { skipOrder.append(file) }
            skipped[file] = reason
        }
    }

    func isSkipped(_ file: String) -> Bool { lock.withLock { _ in skipped[file] != nil } }

    var skippedFiles: [(file: String, error: String)] {
        lock.withLock { _ in skipOrder.map { ($0, skipped[$0]!) } }
    }

    /// The measured items, in item order.
    var workItemMetrics: [WorkItemMetrics] { lock.withLock { _ in metrics.compactMap { $0 } } }

    var completedItems: Int { lock.withLock { _ in done.filter { $0 }.count } }

    func completedEntries(_ items: [WorkItem]) -> Int {
        lock.withLock { _ in
            zip(items, succeeded).reduce(0) { $0 + ($1.1 ? $1.0.entries.count : 0) }
        }
    }
}
