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
    /// Blocks follow the files' cluster boundaries (a cluster is never split unless it is
    /// larger than `blockSize`), so that no basket is read by two blocks and the partition
    /// depends only on the files — never on the thread count — which keeps results
    /// bit-identical however a run is parallelised.
    public func workItems(blockSize: Int = 100_000) throws -> [WorkItem] {
        precondition(blockSize > 0, "blockSize must be positive")
        var items: [WorkItem] = []
        for pattern in files {
            for path in try Chain.expand(pattern) {
                let tree = try Tree(file: ROOTFile(path: path), path: treePath)
                items += Self.blocks(clusters: tree.clusters, blockSize: blockSize).map {
                    WorkItem(file: path, tree: treePath, entries: $0)
                }
            }
        }
        return items
    }

    /// Groups consecutive clusters into blocks of about `blockSize` entries.
    public static func blocks(clusters: [Range<Int>], blockSize: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var current: Range<Int>?
        for cluster in clusters {
            if cluster.count > blockSize {
                if let open = current { result.append(open); current = nil }
                var start = cluster.lowerBound
                while start < cluster.upperBound {
                    let end = min(start + blockSize, cluster.upperBound)
                    result.append(start..<end)
                    start = end
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
