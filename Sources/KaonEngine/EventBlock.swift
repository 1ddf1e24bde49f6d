import KaonIO
import KaonROOT
import KaonTree

/// The entries of one work item, with columns read from disk the first time they are used.
///
/// Analysis code asks for branches by name; only those are read, once per block, so a user
/// never lists the branches an analysis needs. A block belongs to one worker thread.
public final class EventBlock {
    public let item: WorkItem
    public let tree: Tree
    private var cache: [String: Column] = [:]
    /// Bytes of uncompressed column data loaded so far.
    public private(set) var loadedBytes = 0
    /// Stored baskets read ahead for this block by request planning.
    private let prefetched: PrefetchedBaskets?
    /// Learns the branches blocks read.
    private let planner: ReadPlanner?

    init(item: WorkItem, tree: Tree, prefetched: PrefetchedBaskets? = nil, planner: ReadPlanner? = nil) {
        self.item = item
        self.tree = tree
        self.prefetched = prefetched
        self.planner = planner
    }

    /// Number of entries in the block.
    public var count: Int { item.entries.count }

    /// The column of branch `name` for this block's entries.
    public func column(_ name: String) throws -> Column {
        if let cached = cache[name] { return cached }
        let branch = try tree.branch(name)
        planner?.touched(branch.path, in: tree)
        let column = try tree.read(branch, entries: item.entries, prefetched: prefetched)
        cache[name] = column
        loadedBytes += column.byteCount
        return column
    }

    /// Whether the tree has a branch of this name.
    public func hasBranch(_ name: String) -> Bool { (try? tree.branch(name)) != nil }
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
