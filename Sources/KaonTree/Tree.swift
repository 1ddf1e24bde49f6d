import Dispatch
import KaonIO
import KaonROOT

/// A TTree: entries, branches, and the clusters its baskets are grouped in.
///
/// `Tree` only holds metadata; `read(_:entries:)` fetches and decodes the baskets of the
/// branches asked for, and nothing else.
public final class Tree: Sendable {
    public let file: ROOTFile
    /// The tree's path inside the file.
    public let path: String
    public let name: String
    public let title: String
    public let entries: Int
    /// Top-level branches.
    public let branches: [Branch]
    /// Entry ranges of the tree's clusters (baskets of all branches break at these).
    public let clusters: [Range<Int>]
    /// Every branch, depth first, and where to find one by path or name: built once, since
    /// ``branch(_:)`` runs for every column a reader asks for.
    private let everyBranch: [Branch]
    private let branchByPath: [String: Branch]
    private let branchesByName: [String: [Branch]]

    /// Opens the tree at `path` in `file`.
    public convenience init(file: ROOTFile, path: String) throws {
        let object = try file.get(path)
        try self.init(file: file, path: path, object: object)
    }

    public init(file: ROOTFile, path: String, object: ROOTObject) throws {
        guard object.isA("TTree") else {
            throw KaonError(.usage, "\(path) is a \(object.className), not a TTree", file: file.name, object: path)
        }
        self.file = file
        self.path = path
        name = object.string("fName") ?? path
        title = object.string("fTitle") ?? ""
        let entries = object.int("fEntries") ?? 0
        guard entries >= 0 else {
            throw KaonError(.malformed, "negative number of entries \(entries)", file: file.name, object: path)
        }
        self.entries = entries
        let streamers = file.streamers
        branches = try withContext(file: file.name, object: path) {
            try object.list("fBranches").compactMap(\.objectValue).map {
                try Branch($0, parentPath: "", streamers: streamers)
            }
        }
        clusters = Self.clusterRanges(object, entries: entries)
        let every = branches.flatMap(\.flattened)
        everyBranch = every
        // The first branch with a path wins, as a depth-first search would find it.
        branchByPath = Dictionary(every.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        branchesByName = Dictionary(grouping: every, by: \.name)
    }

    /// Every branch, depth first.
    public var allBranches: [Branch] { everyBranch }

    /// Branches holding data (leaves of the branch hierarchy).
    public var dataBranches: [Branch] { allBranches.filter { $0.branches.isEmpty } }

    /// What one allocation on behalf of this tree's file may take (see ``AllocationBudget``).
    var budget: AllocationBudget { AllocationBudget(fileSize: file.source.size) }

    /// The branch with this path (`evt/P3/P3.Px`) or, if unique, this name.
    public func branch(_ name: String) throws -> Branch {
        if let exact = branchByPath[name] { return exact }
        let byName = branchesByName[name] ?? []
        if byName.count == 1 { return byName[0] }
        throw KaonError(.notFound, byName.isEmpty ? "no branch named \(name)" : "branch name \(name) is ambiguous; use its path",
                        file: file.name, object: path)
    }

    /// Reads a branch's values for `entries` (all entries by default), taking its baskets
    /// from `prefetched` where it holds them (see ``prefetch(_:entries:coalescing:)``).
    public func read(_ branch: Branch, entries requested: Range<Int>? = nil, prefetched: PrefetchedBaskets? = nil) throws -> Column {
        try withContext(file: file.name, object: "\(path):\(branch.path)") {
            let interpretation = try branch.interpretation.get()
            let range = clampedRange(branch, requested)
            var builder = ColumnBuilder(layout: interpretation.layout, expectedBytes: 0)
            let indices = branch.baskets(overlapping: range)
            if ColumnBuilder.decodesInOnePass(interpretation.layout), indices.allSatisfy({ $0 < branch.basketBytes.count }) {
                try appendBasketByBasket(branch, indices, range, to: &builder, prefetched: prefetched)
            } else {
                // All baskets first: the output is then sized exactly (see `ColumnBuilder.append(_:)`).
                var baskets: [(data: BasketData, entries: Range<Int>)] = []
                let parsingOffsets = !ColumnBuilder.checksEntryOffsets(interpretation.layout)
                try forEachBasket(of: branch, entries: range, parsingOffsets: parsingOffsets, prefetched: prefetched) { _, data, local in
                    baskets.append((data, local))
                }
                try builder.append(baskets)
            }
            var column = builder.finish()
            column.branch = branch.path
            return column
        }
    }

    /// The one-pass read of a branch whose baskets all sit in keys of their own: the stored
    /// baskets are fetched together, their headers size the output, and each basket is then
    /// decompressed into the payload memory of the one before and decoded straight into the
    /// output, so a branch costs one output allocation and one basket of scratch, not a
    /// fresh payload per basket.
    private func appendBasketByBasket(_ branch: Branch, _ indices: [Int], _ range: Range<Int>, to builder: inout ColumnBuilder,
                                      prefetched: PrefetchedBaskets?) throws {
        let stored = try fetchStored(branch, baskets: indices, prefetched: prefetched)
        let headers = try zip(indices, stored).map { index, bytes in
            try withContext(object: "\(path):\(branch.path) basket \(index)") { try BasketHeader(basketBytes: bytes) }
        }
        let locals = indices.map { localEntries(of: branch, basket: $0, in: range) }
        let parsingOffsets = !ColumnBuilder.checksEntryOffsets(builder.layout)
        var spare: [UInt8] = []
        try builder.appendInOnePass(basketCount: indices.count, entries: locals.reduce(0) { $0 + $1.count },
                                    valueBytesBound: headers.reduce(0) { $0 + max($1.dataBytes, 0) }) { position in
            let index = indices[position]
            let data = try withContext(object: "\(path):\(branch.path) basket \(index)") {
                try BasketData(basketBytes: stored[position], source: file.name, budget: budget, parsingOffsets: parsingOffsets,
                               recycling: &spare)
            }
            try checkEntryCount(data, of: branch, basket: index)
            // Kept to be recycled by the next basket, once the builder has let go of this one.
            spare = data.payload
            return (data, locals[position])
        }
    }

    /// `range`'s entries that basket `index` of `branch` holds, counted from the basket's first.
    func localEntries(of branch: Branch, basket index: Int, in range: Range<Int>) -> Range<Int> {
        let basketRange = branch.entryRange(ofBasket: index)
        return (max(range.lowerBound, basketRange.lowerBound) - basketRange.lowerBound)
            ..< (min(range.upperBound, basketRange.upperBound) - basketRange.lowerBound)
    }

    /// Checks that a basket holds as many entries as the branch's basket table says.
    func checkEntryCount(_ data: BasketData, of branch: Branch, basket index: Int) throws {
        let expected = branch.entryRange(ofBasket: index).count
        guard data.entryCount >= expected || expected == 0 else {
            throw KaonError(.malformed, "basket \(index) holds \(data.entryCount) entries, the branch expects \(expected)")
        }
    }

    /// `requested` (all entries by default) within the entries the tree and branch hold.
    func clampedRange(_ branch: Branch, _ requested: Range<Int>?) -> Range<Int> {
        (requested ?? 0..<entries).clamped(to: 0..<max(entries, branch.entries, 0))
    }

    /// Reads and decompresses the baskets of `branch` overlapping `range`, in order, and hands
    /// each with the basket-local entries of `range` it holds, after checking that the basket
    /// holds as many entries as the branch's basket table says.
    func forEachBasket(of branch: Branch, entries range: Range<Int>, parsingOffsets: Bool = true, prefetched: PrefetchedBaskets? = nil,
                       _ body: (_ index: Int, _ data: BasketData, _ local: Range<Int>) throws -> Void) throws {
        let baskets = branch.baskets(overlapping: range)
        for (index, data) in try fetch(branch, baskets: baskets, parsingOffsets: parsingOffsets, prefetched: prefetched) {
            try checkEntryCount(data, of: branch, basket: index)
            try body(index, data, localEntries(of: branch, basket: index, in: range))
        }
    }

    /// Reads several branches for an entry range, spreading branches over `threads` threads.
    public func read(_ branches: [Branch], entries: Range<Int>? = nil, threads: Int = 1) throws -> [Column] {
        let results = ResultBox<Column>(count: branches.count)
        DispatchQueue.concurrentPerform(iterations: threads > 1 ? branches.count : 0) { i in
            results.set(i, Result { try self.read(branches[i], entries: entries) })
        }
        if threads <= 1 {
            for i in branches.indices { results.set(i, Result { try self.read(branches[i], entries: entries) }) }
        }
        return try results.values()
    }

    /// Reads and decompresses baskets, in one vectored request for those stored in keys
    /// (but not in `prefetched`). `parsingOffsets: false` leaves baskets' entry offsets
    /// unparsed (see `BasketData`).
    func fetch(_ branch: Branch, baskets: [Int], parsingOffsets: Bool = true, prefetched: PrefetchedBaskets? = nil) throws -> [(Int, BasketData)] {
        let onDisk = baskets.filter { $0 < branch.basketBytes.count }
        let blobs = try fetchStored(branch, baskets: onDisk, prefetched: prefetched)
        var result: [(Int, BasketData)] = []
        result.reserveCapacity(baskets.count)
        for (index, blob) in zip(onDisk, blobs) {
            let data = try withContext(object: "\(path):\(branch.path) basket \(index)") {
                try BasketData(basketBytes: blob, source: file.name, budget: budget, parsingOffsets: parsingOffsets)
            }
            result.append((index, data))
        }
        for index in baskets where index >= branch.basketBytes.count {
            result.append((index, branch.embeddedBaskets[index - branch.basketBytes.count].data))
        }
        return result
    }

    /// The stored (compressed) bytes of baskets kept in keys of their own (`baskets` all
    /// below `branch.basketBytes.count`), taken from `prefetched` where it holds them and
    /// otherwise read in one vectored request.
    func fetchStored(_ branch: Branch, baskets: [Int], prefetched: PrefetchedBaskets?) throws -> [[UInt8]] {
        let ahead = baskets.map { prefetched?.basket(branch.path, $0) }
        let missing = zip(baskets, ahead).filter { $0.1 == nil }.map(\.0)
        let ranges = try missing.map { try file.source.checkedRange(offset: branch.basketSeek[$0], count: branch.basketBytes[$0]) }
        var read = try ranges.isEmpty ? [] : file.source.read(ranges)
        read.reverse()
        return ahead.map { $0 ?? read.removeLast() }
    }

    /// Reads and decompresses one basket without decoding it, for measuring the
    /// decompression floor; returns its stored and uncompressed sizes.
    public func decompressBasket(_ branch: Branch, index: Int, prefetched: PrefetchedBaskets? = nil) throws -> (stored: Int, uncompressed: Int) {
        let data = try withContext(file: file.name, object: "\(path):\(branch.path)") { try fetch(branch, baskets: [index], prefetched: prefetched)[0].1 }
        return (data.storedBytes, data.uncompressedBytes)
    }

    /// ROOT's cluster layout: ranges given by fClusterRangeEnd/fClusterSize, then fAutoFlush.
    ///
    /// The numbers come from the file, so arithmetic is overflow-safe and the number of
    /// clusters is capped (`maximumClusters`; a corrupt fAutoFlush of 1 on 2^40 entries
    /// would otherwise ask for 2^40 ranges): past the cap, clusters are merged.
    static func clusterRanges(_ tree: ROOTObject, entries: Int) -> [Range<Int>] {
        guard entries > 0 else { return [] }
        let autoFlush = tree.int("fAutoFlush") ?? 0
        let rangeEnds = (tree["fClusterRangeEnd"]?.integersValue ?? []).map { Int($0) }
        let sizes = (tree["fClusterSize"]?.integersValue ?? []).map { Int($0) }
        let minimumStep = entries / maximumClusters + 1
        var result: [Range<Int>] = []
        var start = 0
        func emit(upTo end: Int, size: Int) {
            guard end > start else { return }
            let step = max(size > 0 ? size : end - start, minimumStep)
            while start < end {
                let stop = start + min(step, end - start)
                result.append(start..<stop)
                start = stop
            }
        }
        for (index, rangeEnd) in rangeEnds.enumerated() where index < sizes.count {
            let end = rangeEnd >= 0 && rangeEnd < entries ? rangeEnd + 1 : entries
            emit(upTo: end, size: sizes[index] > 0 ? sizes[index] : autoFlush)
        }
        emit(upTo: entries, size: autoFlush > 0 ? autoFlush : entries)
        return result
    }

    /// The most clusters a tree is split into (see `clusterRanges`).
    static let maximumClusters = 1_000_000
}

/// Results written by concurrent workers, each into its own slot.
final class ResultBox<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private let lock = DispatchSemaphore(value: 1)
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<T, Error>) {
        lock.wait()
        slots[index] = value
        lock.signal()
    }
    func values() throws -> [T] { try slots.map { try $0!.get() } }
}

extension Tree {
    /// Decodes every entry of one basket into a column (for whole-branch scans, where each
    /// basket is visited once and memory stays at one basket per worker).
    public func readBasket(_ branch: Branch, index: Int, prefetched: PrefetchedBaskets? = nil) throws -> (column: Column, stored: Int, uncompressed: Int) {
        try withContext(file: file.name, object: "\(path):\(branch.path)") {
            let interpretation = try branch.interpretation.get()
            let parsingOffsets = !ColumnBuilder.checksEntryOffsets(interpretation.layout)
            let (_, data) = try fetch(branch, baskets: [index], parsingOffsets: parsingOffsets, prefetched: prefetched)[0]
            var builder = ColumnBuilder(layout: interpretation.layout, expectedBytes: 0)
            let count = min(data.entryCount, branch.entryRange(ofBasket: index).count)
            try builder.append([(data, 0..<count)])
            var column = builder.finish()
            column.branch = branch.path
            return (column, data.storedBytes, data.uncompressedBytes)
        }
    }

    /// The algorithm a branch's first basket is actually compressed with (the branch's
    /// setting can say 0 when a writer such as uproot compressed the baskets anyway).
    public func storedCompression(_ branch: Branch) throws -> CompressionAlgorithm {
        guard !branch.basketBytes.isEmpty else { return .none }
        let key = try file.key(at: branch.basketSeek[0])
        guard key.isCompressed else { return .none }
        let head = try file.source.read(at: key.seekKey + key.keyLength, count: max(0, min(9, key.storedPayloadBytes)))
        return Decompressor.algorithm(of: head, uncompressedSize: key.objectLength)
    }

    /// ``storedCompression(_:)`` of each of `branches`, with ONE vectored read for all of them
    /// (coalesced, as `RangeCoalescing` merges neighbours): a first basket's key header and
    /// the compression block header after it lie within its first
    /// ``firstBasketHeadBytes`` — a longer key header (a very long branch name) costs reads
    /// of its own. nil for a branch whose basket cannot be read or parsed.
    public func storedCompressions(_ branches: [Branch]) throws -> [CompressionAlgorithm?] {
        let heads = branches.map { branch -> Range<Int>? in
            guard let seek = branch.basketSeek.first, let bytes = branch.basketBytes.first, bytes > 0 else { return nil }
            return try? file.source.checkedRange(offset: seek, count: min(bytes, Self.firstBasketHeadBytes))
        }
        var blobs = try RangeCoalescing().read(heads.compactMap { $0 }, from: file.source).makeIterator()
        return zip(branches, heads).map { branch, head -> CompressionAlgorithm? in
            guard head != nil, let blob = blobs.next() else { return CompressionAlgorithm.none }
            var cursor = ByteCursor(blob)
            if let key = try? Key(from: &cursor) {
                guard key.isCompressed else { return CompressionAlgorithm.none }
                let blockHeader = key.keyLength..<(key.keyLength + max(0, min(9, key.storedPayloadBytes)))
                if blockHeader.upperBound <= blob.count {
                    return Decompressor.algorithm(of: Array(blob[blockHeader]), uncompressedSize: key.objectLength)
                }
            }
            return try? storedCompression(branch)
        }
    }

    /// Bytes read from the start of each first basket by ``storedCompressions(_:)``: a
    /// basket's key header is about 100 bytes (fixed fields, "TBasket", the branch's and the
    /// tree's names, the basket's own fields).
    public static let firstBasketHeadBytes = 512
}
