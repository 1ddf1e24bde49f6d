import KaonIO
import KaonROOT
import KaonTree

/// The events of a tree, chain or list of column sources, read chunk by chunk: the loop
/// driver of the object view.
///
/// Nobody lists branches: each chunk reads a branch the first time code touches it. A
/// chunk spans whole clusters of the tree (about ``defaultChunkSize`` entries), so each
/// basket is decompressed once.
///
/// ```swift
/// let events = try Events(path: "nano.root")
/// var masses: [Double] = []
/// try events.forEachEvent { event in
///     for muon in event.muons where muon.pt > 30 { … }
///     for (a, b) in event.muons.pairs() where a.charge != b.charge {
///         masses.append((a.p4 + b.p4).mass)
///     }
/// }
///
/// // Or a plain loop, then ask whether it stopped early on a bad branch:
/// for event in events { for muon in event.muons where muon.pt > 30 { … } }
/// try events.throwIfFailed()
/// ```
///
/// Errors (a branch that is missing or of an unusable type) are recorded when the branch is
/// first used and rethrown by the driver; see ``ChunkView`` for why properties do not throw.
public final class Events: Sequence {
    /// Entries per chunk when reading a tree (chunks are whole clusters, at least this many).
    public static let defaultChunkSize = 100_000

    /// The blocks of events, in order.
    public let sources: [ColumnSource]
    /// The global entry number of each source's first event.
    public let firstEntries: [Int]
    /// The total number of events.
    public let count: Int
    /// The failure that stopped the last `for event in events` loop, if any.
    public fileprivate(set) var error: KaonError?

    /// Events from any column sources (the engine's blocks, in-memory data, …).
    ///
    /// ```swift
    /// let events = Events(sources: [TreeChunk(tree: tree, entries: 0..<500)])
    /// ```
    public init(sources: [ColumnSource]) {
        self.sources = sources
        var starts: [Int] = []
        var total = 0
        for source in sources {
            starts.append(total)
            total += source.count
        }
        firstEntries = starts
        count = total
    }

    /// All entries of `tree`, in chunks of whole clusters of at least `chunkSize` entries.
    ///
    /// ```swift
    /// let tree = try Tree(file: ROOTFile(path: "nano.root"), path: "Events")
    /// let events = Events(tree: tree)
    /// ```
    public convenience init(tree: Tree, chunkSize: Int = Events.defaultChunkSize) {
        self.init(sources: Self.chunks(of: tree, chunkSize: chunkSize))
    }

    /// The tree `treePath` (default `Events`) of the ROOT file at `path`.
    ///
    /// ```swift
    /// let events = try Events(path: "../shared/data/adl/Run2012B_SingleMu_1000.root")
    /// ```
    public convenience init(path: String, treePath: String = "Events", chunkSize: Int = Events.defaultChunkSize) throws {
        self.init(tree: try Tree(file: ROOTFile(path: path), path: treePath), chunkSize: chunkSize)
    }

    /// All files of a chain, one after the other.
    ///
    /// ```swift
    /// let events = Events(chain: try Chain(patterns: ["runs/*.root"], treePath: "Events"))
    /// ```
    public convenience init(chain: Chain, chunkSize: Int = Events.defaultChunkSize) {
        self.init(sources: chain.trees.flatMap { Self.chunks(of: $0, chunkSize: chunkSize) })
    }

    /// `tree`'s entries cut at cluster boundaries into chunks of at least `chunkSize`.
    static func chunks(of tree: Tree, chunkSize: Int) -> [ColumnSource] {
        let names = TreeChunk.names(of: tree)
        var ranges: [Range<Int>] = []
        var start = 0
        let clusterEnds = tree.clusters.map(\.upperBound).filter { $0 > 0 && $0 <= tree.entries }
        for end in clusterEnds where end - start >= Swift.max(chunkSize, 1) {
            ranges.append(start..<end)
            start = end
        }
        if start < tree.entries { ranges.append(start..<tree.entries) }
        return ranges.map { TreeChunk(tree: tree, entries: $0, branchNames: names) }
    }

    /// The view of chunk `i` (a fresh one: columns are read again).
    ///
    /// ```swift
    /// let first = events.chunk(0)
    /// ```
    public func chunk(_ i: Int) -> ChunkView { ChunkView(source: sources[i], firstEntry: firstEntries[i]) }

    /// Runs `body` on every event; throws the first column failure right after the event in
    /// which it happened, or the first error `body` throws.
    ///
    /// ```swift
    /// var n = 0
    /// try events.forEachEvent { event in
    ///     for muon in event.muons where muon.pt > 30 { n += 1 }
    /// }
    /// ```
    public func forEachEvent(_ body: (Event) throws -> Void) throws {
        for i in sources.indices {
            let view = chunk(i)
            for e in 0..<view.count {
                try body(Event(chunk: view, index: e))
                if let error = view.error { throw error }
            }
        }
    }

    /// Throws the failure that stopped the last `for event in events` loop, if any.
    ///
    /// ```swift
    /// for event in events { … }
    /// try events.throwIfFailed()
    /// ```
    public func throwIfFailed() throws {
        if let error { throw error }
    }

    /// Iterates chunk by chunk; stops after the event in which a column failed (the failure is
    /// in ``Events/error``).
    public struct Iterator: IteratorProtocol {
        let events: Events
        var nextChunk = 0
        var view: ChunkView?
        var position = 0

        /// The next event, or nil at the end or after a failure.
        public mutating func next() -> Event? {
            while true {
                if let view {
                    if let error = view.error {
                        events.error = error
                        return nil
                    }
                    if position < view.count {
                        position += 1
                        return Event(chunk: view, index: position - 1)
                    }
                    self.view = nil
                }
                guard nextChunk < events.sources.count else { return nil }
                view = events.chunk(nextChunk)
                nextChunk += 1
                position = 0
            }
        }
    }

    /// Starts a loop (and clears the previous loop's ``error``).
    public func makeIterator() -> Iterator {
        error = nil
        return Iterator(events: self)
    }
}
