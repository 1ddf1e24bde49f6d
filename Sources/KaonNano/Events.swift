import KaonIO
import KaonRNTuple
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
/// ```
///
/// Errors (a branch that is missing, of an unusable type or unreadable) are recorded when
/// the branch is first used and rethrown by ``forEachEvent(_:)`` right after that event; see
/// ``ChunkView`` for why properties do not throw. `Events` is deliberately not a `Sequence`:
/// a `for event in events` loop cannot throw, so it would have to end silently on a broken
/// branch and leave the caller to ask whether it did.
public final class Events {
    /// Entries per chunk when reading a tree (chunks are whole clusters, at least this many).
    public static let defaultChunkSize = 100_000

    /// The blocks of events, in order.
    public let sources: [ColumnSource]
    /// The global entry number of each source's first event.
    public let firstEntries: [Int]
    /// The total number of events.
    public let count: Int

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

    /// The tree (or RNTuple) `treePath` (default `Events`) of the ROOT file at `path`.
    ///
    /// ```swift
    /// let events = try Events(path: "../shared/data/adl/Run2012B_SingleMu_1000.root")
    /// ```
    public convenience init(path: String, treePath: String = "Events", chunkSize: Int = Events.defaultChunkSize) throws {
        let file = try ROOTFile(path: path)
        if let key = try? file.root.findKey(path: treePath), RNTuple.isAnchor(key) {
            let ntuple = try RNTuple(file: file, key: key)
            self.init(columns: ntuple, description: "\(file.name):\(treePath)", chunkSize: chunkSize)
            return
        }
        self.init(tree: try Tree(file: file, path: treePath), chunkSize: chunkSize)
    }

    /// All entries of any `EntryColumns` (an RNTuple, …), in chunks of whole clusters of at
    /// least `chunkSize` entries; `description` names it in error messages.
    ///
    /// ```swift
    /// let ntuple = try RNTuple(file: ROOTFile(path: "nano-rntuple.root"), path: "Events")
    /// let events = Events(columns: ntuple, description: "nano-rntuple.root:Events")
    /// ```
    public convenience init(columns: any EntryColumns, description: String, chunkSize: Int = Events.defaultChunkSize) {
        let ranges = Self.chunkRanges(clusterEnds: columns.entryClusters.map(\.upperBound), entries: columns.entryCount,
                                      chunkSize: chunkSize)
        self.init(sources: ranges.map { EntryColumnsChunk(columns, entries: $0, description: description) })
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
        return chunkRanges(clusterEnds: tree.clusters.map(\.upperBound), entries: tree.entries, chunkSize: chunkSize)
            .map { TreeChunk(tree: tree, entries: $0, branchNames: names) }
    }

    /// Entries `0..<entries` cut at cluster ends into ranges of at least `chunkSize`.
    static func chunkRanges(clusterEnds allEnds: [Int], entries: Int, chunkSize: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        let clusterEnds = allEnds.filter { $0 > 0 && $0 <= entries }
        for end in clusterEnds where end - start >= Swift.max(chunkSize, 1) {
            ranges.append(start..<end)
            start = end
        }
        if start < entries { ranges.append(start..<entries) }
        return ranges
    }

    /// The view of chunk `i` (a fresh one: columns are read again).
    ///
    /// ```swift
    /// let first = events.chunk(0)
    /// ```
    public func chunk(_ i: Int) -> ChunkView { ChunkView(source: sources[i], firstEntry: firstEntries[i]) }

    /// Runs `body` on every event; throws the first column failure right after the event in
    /// which it happened (no later event is run), or the first error `body` throws. Within
    /// that event the failed branch reads as ``ColumnValue/unreadable`` (NaN for floating
    /// point), never as plausible zeros, and whatever `body` made of it is void: the loop
    /// throws. An error `body` throws after a branch failed gives way to that failure, its
    /// cause.
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
                do {
                    try body(Event(chunk: view, index: e))
                } catch {
                    throw view.error ?? error
                }
                if let error = view.error { throw error }
            }
        }
    }
}
