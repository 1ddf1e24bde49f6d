import KaonIO
import KaonROOT
import KaonTree

/// The files of one sample and the tree to read in each.
public struct Dataset: Sendable {
    /// File paths or shell globs, expanded in sorted order.
    public var files: [String]
    public var treePath: String

    public init(files: [String], tree: String) {
        self.files = files
        treePath = tree
    }

    /// Splits the dataset into work items of about `blockSize` entries.
    ///
    /// Blocks are made of whole clusters, so that no basket is decompressed by two blocks
    /// (reading part of a cluster decompresses all of its baskets), and the partition
    /// depends only on the files — never on the thread count — which keeps results
    /// bit-identical however a run is parallelised. See ``blocks(clusters:blockSize:)``.
    public func workItems(blockSize: Int = 100_000) throws -> [WorkItem] {
        try workItems(blockSize: blockSize, onFailure: .fail).items
    }

    /// The work items of the files that open; under ``FailurePolicy/skip`` a file that
    /// cannot be opened (truncated, damaged header or directory, missing) is left out and
    /// returned with the reason, as the executor does for a file damaged further in.
    public func workItems(blockSize: Int = 100_000, onFailure: FailurePolicy)
        throws -> (items: [WorkItem], unreadable: [(file: String, error: String)]) {
        let opened = try workItemsAndTrees(blockSize: blockSize, onFailure: onFailure)
        return (opened.items, opened.unreadable)
    }

    /// ``workItems(blockSize:onFailure:)`` and the trees opened to make them, by file, for
    /// `Executor.run(_:options:openTrees:makeAccumulator:process:)` to use instead of opening
    /// every file again (each open of a remote file costs several round trips).
    public func workItemsAndTrees(blockSize: Int = 100_000, onFailure: FailurePolicy = .fail)
        throws -> (items: [WorkItem], unreadable: [(file: String, error: String)], trees: [String: OpenedEntries]) {
        precondition(blockSize > 0, "blockSize must be positive")
        var items: [WorkItem] = []
        var unreadable: [(file: String, error: String)] = []
        var trees: [String: OpenedEntries] = [:]
        for pattern in files {
            for path in try Chain.expand(pattern) {
                let tree: OpenedEntries
                do {
                    tree = try OpenedEntries.open(filePath: path, path: treePath)
                } catch where onFailure == .skip && Executor.isFileError(error) {
                    unreadable.append((path, (error as? KaonError)?.description ?? "\(error)"))
                    continue
                }
                trees[path] = tree
                items += Self.blocks(clusters: tree.clusters, blockSize: blockSize).map {
                    WorkItem(file: path, tree: treePath, entries: $0)
                }
            }
        }
        return (items, unreadable, trees)
    }

    /// How many times `blockSize` a single cluster may span before it is cut.
    ///
    /// ROOT's clusters are usually a little over 100k entries (ROOT sizes them by bytes), so a
    /// block size of 100k must not cut them; only a pathological cluster (a file written
    /// without auto-flush is one cluster) is cut, to keep memory bounded.
    public static let maximumClusterOverrun = 4

    /// Groups consecutive whole clusters into blocks of at most `blockSize` entries (a single
    /// cluster up to ``maximumClusterOverrun`` × `blockSize` is one block on its own; a longer
    /// one is cut into equal parts no longer than that).
    ///
    /// ```swift
    /// Dataset.blocks(clusters: [0..<103_740, 103_740..<207_480], blockSize: 100_000)
    /// // [0..<103740, 103740..<207480]
    /// ```
    public static func blocks(clusters: [Range<Int>], blockSize: Int) -> [Range<Int>] {
        let longest = blockSize * maximumClusterOverrun
        var result: [Range<Int>] = []
        var current: Range<Int>?
        for cluster in clusters {
            if cluster.count > blockSize {
                if let open = current { result.append(open); current = nil }
                let parts = (cluster.count + longest - 1) / longest
                for part in 0..<parts {
                    let lower = cluster.lowerBound + cluster.count * part / parts
                    let upper = cluster.lowerBound + cluster.count * (part + 1) / parts
                    result.append(lower..<upper)
                }
                continue
            }
            if let open = current, open.count + cluster.count <= blockSize {
                current = open.lowerBound..<cluster.upperBound
            } else {
                if let open = current { result.append(open) }
                current = cluster
            }
        }
        if let open = current { result.append(open) }
        return result
    }
}
