import KaonIO

/// The stored (compressed) baskets of several branches for one entry range, read ahead of
/// decoding in one vectored request: the unit of request planning for remote sources.
///
/// ``Tree/prefetch(_:entries:coalescing:)`` makes one; ``Tree/read(_:entries:prefetched:)``
/// takes its baskets from it instead of the source (a basket it lacks is read as usual).
/// Decompression and decoding still happen when a branch is read, on the reader's thread.
public struct PrefetchedBaskets: Sendable {
    /// Stored bytes by branch path and basket index.
    private var baskets: [String: [Int: [UInt8]]] = [:]

    /// An empty set: every basket comes from the source.
    public init() {}

    init(baskets: [String: [Int: [UInt8]]]) {
        self.baskets = baskets
    }

    /// The stored bytes of basket `index` of the branch at `path`, if prefetched.
    func basket(_ path: String, _ index: Int) -> [UInt8]? { baskets[path]?[index] }

    /// Paths of the branches held.
    public var branchPaths: Set<String> { Set(baskets.keys) }

    /// Stored bytes held.
    public var byteCount: Int { baskets.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }
}

extension Tree {
    /// Reads the stored baskets of `branches` overlapping `entries` in ONE vectored read of
    /// their coalesced ranges (see `RangeCoalescing`), for ``read(_:entries:prefetched:)``.
    ///
    /// ```swift
    /// let baskets = try tree.prefetch([tree.branch("nMuon"), tree.branch("Muon_pt")], entries: 0..<1000)
    /// let pt = try tree.read(tree.branch("Muon_pt"), entries: 0..<1000, prefetched: baskets)
    /// ```
    public func prefetch(_ branches: [Branch], entries: Range<Int>, coalescing: RangeCoalescing = RangeCoalescing()) throws -> PrefetchedBaskets {
        var seen: Set<String> = []
        let baskets = branches.filter { seen.insert($0.path).inserted }.flatMap { branch in
            branch.baskets(overlapping: clampedRange(branch, entries)).map { (branch, $0) }
        }
        return try prefetch(baskets: baskets, coalescing: coalescing)
    }

    /// Reads the given baskets (branch and basket index) in one vectored read of their
    /// coalesced ranges; embedded baskets need no read and are skipped.
    public func prefetch(baskets: [(branch: Branch, index: Int)], coalescing: RangeCoalescing = RangeCoalescing()) throws -> PrefetchedBaskets {
        try withContext(file: file.name, object: path) {
            var wanted: [(path: String, index: Int, range: Range<Int>)] = []
            for (branch, index) in baskets where index < branch.basketBytes.count {
                let range = try file.source.checkedRange(offset: branch.basketSeek[index], count: branch.basketBytes[index])
                wanted.append((branch.path, index, range))
            }
            let blobs = try coalescing.read(wanted.map(\.range), from: file.source)
            var baskets: [String: [Int: [UInt8]]] = [:]
            for (basket, blob) in zip(wanted, blobs) { baskets[basket.path, default: [:]][basket.index] = blob }
            return PrefetchedBaskets(baskets: baskets)
        }
    }
}

extension Tree {
    /// The baskets of `branches` grouped by the cluster holding each basket's first entry, in
    /// cluster order: a whole-branch scan reads one group per vectored read.
    public func basketsByCluster(_ branches: [Branch]) -> [[(branch: Branch, index: Int)]] {
        var groups = Array(repeating: [(branch: Branch, index: Int)](), count: max(1, clusters.count))
        let starts = clusters.map(\.lowerBound)
        for branch in branches {
            for index in 0..<branch.basketCount {
                let first = branch.entryRange(ofBasket: index).lowerBound
                // The last cluster starting at or before the basket's first entry.
                var low = 0, high = starts.count
                while low < high {
                    let middle = (low + high) / 2
                    if starts[middle] <= first { low = middle + 1 } else { high = middle }
                }
                groups[max(0, low - 1)].append((branch, index))
            }
        }
        return groups.filter { !$0.isEmpty }
    }
}
