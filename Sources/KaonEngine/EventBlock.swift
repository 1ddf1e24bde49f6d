import KaonIO
import KaonROOT
import KaonTree

/// The entries of one work item, with columns read from disk the first time they are used.
///
/// Analysis code asks for branches by name; only those are read, once per block, so a user
/// never lists the branches an analysis needs. A block belongs to one worker thread.
public final class EventBlock {
    public let item: WorkItem
    /// The tree or RNTuple the block reads.
    public let source: OpenedEntries
    private var cache: [String: Column] = [:]
    /// Bytes of uncompressed column data loaded so far.
    public private(set) var loadedBytes = 0
    /// Stored baskets read ahead for this block by request planning.
    private let prefetched: PrefetchedBaskets?
    /// Learns the branches blocks read.
    private let planner: ReadPlanner?

    init(item: WorkItem, source: OpenedEntries, prefetched: PrefetchedBaskets? = nil, planner: ReadPlanner? = nil) {
        self.item = item
        self.source = source
        self.prefetched = prefetched
        self.planner = planner
    }

    /// Number of entries in the block.
    public var count: Int { item.entries.count }

    /// The tree the block reads, when it reads one.
    public var tree: Tree? { source.tree }

    /// The column of branch (or RNTuple field) `name` for this block's entries.
    public func column(_ name: String) throws -> Column {
        if let cached = cache[name] { return cached }
        let column: Column
        switch source {
        case .tree(let tree):
            let branch = try tree.branch(name)
            planner?.touched(branch.path, in: tree)
            column = try tree.read(branch, entries: item.entries, prefetched: prefetched)
        case .rntuple(let ntuple):
            column = try ntuple.readColumn(name, entries: item.entries)
        }
        cache[name] = column
        loadedBytes += column.byteCount
        return column
    }

    /// Whether the tree has a branch (the RNTuple a field) of this name.
    public func hasBranch(_ name: String) -> Bool {
        switch source {
        case .tree(let tree): (try? tree.branch(name)) != nil
        case .rntuple(let ntuple): ntuple.hasColumn(name)
        }
    }
}

extension Column {
    /// Bytes held by the values and offsets.
    var byteCount: Int {
        let offsetBytes = offsets.reduce(0) { $0 + $1.count * MemoryLayout<Int>.size }
        switch values {
        case .primitive(_, let bytes): return bytes.count + offsetBytes
        case .strings(let strings): return strings.reduce(0) { $0 + $1.utf8.count } + offsetBytes
        case .record(_, let fields): return fields.reduce(offsetBytes) { $0 + $1.byteCount }
        case .pairs(let keys, let values): return keys.byteCount + values.byteCount + offsetBytes
        }
    }
}
