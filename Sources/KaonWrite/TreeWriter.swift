import Dispatch
import KaonIO
import KaonROOT
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one TTree into a `ROOTFileWriter`, batch by batch.
///
/// ```swift
/// let tree = try TreeWriter(file: file, path: "Events", branches: [
///     BranchSpec("nMuon", .scalar(.int32)),
///     BranchSpec("Muon_pt", .counted(.float32, counter: "nMuon")),
/// ])
/// try tree.append(["nMuon": .values(.int32, counts), "Muon_pt": .lists(.float32, pts)])
/// try tree.finish()   // writes the TTree; then file.close()
/// ```
///
/// Each branch keeps one basket in memory and writes it when it reaches its size; every
/// `entriesPerCluster` entries all branches are flushed together, which makes the tree's
/// clusters (`fAutoFlush`) — so memory stays bounded (about one cluster) for trees of any
/// length. Without an explicit `basketSize`, each branch's basket is sized from the first
/// batch to hold one cluster of that branch (like ROOT's `TTree::OptimizeBaskets`), so a
/// cluster is one basket per branch: fewer, larger baskets compress faster and better.
/// Counter branches are written before the branches they count, as ROOT requires.
///
/// Full baskets are queued, compressed `compressionThreads` at a time in parallel, and
/// written in the order they filled up: compression is a pure function of a basket's bytes,
/// so the file's contents do not depend on the number of threads.
public final class TreeWriter {
    /// The file written to.
    public let file: ROOTFileWriter
    /// The tree's name (the last component of its path) and title.
    public let name: String
    public let title: String
    /// Basket compression (the file's by default).
    public let compression: CompressionSettings
    /// Bytes per basket before it is written (ROOT's default is 32000): every branch's size
    /// if given, else the smallest size a branch's basket is given.
    public let basketSize: Int
    /// Whether basket sizes are derived from the first batch (no explicit `basketSize`).
    private let sizesBaskets: Bool
    /// The largest basket `sizesBaskets` makes (uncompressed bytes).
    static let largestSizedBasket = 8 << 20
    /// Entries per cluster, decided by the first batch unless given.
    public private(set) var entriesPerCluster: Int?
    /// Threads compressing baskets (1: compress on the calling thread).
    public let compressionThreads: Int
    private let directory: Int
    /// Full baskets waiting to be compressed and written, in the order they filled up.
    private var pending: [PendingBasket] = []
    private var baskets: [BasketWriter]
    private var counters: Set<String>
    private var entries = 0
    private var finished = false
    private let cycle: Int?

    /// Creates a tree at `path` (`dir/name`) with these branches.
    ///
    /// - Parameters:
    ///   - file: The file the tree is written into.
    ///   - path: `dir/name` of the tree in the file (missing directories are created).
    ///   - title: The tree's title.
    ///   - branches: The branches, in order.
    ///   - compression: Baskets' compression; nil uses the file's.
    ///   - basketSize: Basket size in (uncompressed) bytes; nil sizes each branch's baskets
    ///     to hold one cluster (at least 32000 bytes, at most 8 MB).
    ///   - entriesPerCluster: Entries per cluster; nil picks ~30 MB of uncompressed data
    ///     per cluster from the first batch, like ROOT's default auto-flush.
    ///   - compressionThreads: Threads compressing baskets; nil uses every processor. The
    ///     output bytes are the same for any number.
    ///   - cycle: The TTree key's cycle; nil takes the next one of that name.
    public init(file: ROOTFileWriter, path: String, title: String = "", branches: [BranchSpec],
                compression: CompressionSettings? = nil, basketSize: Int? = nil, entriesPerCluster: Int? = nil,
                compressionThreads: Int? = nil, cycle: Int? = nil) throws {
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last else { throw KaonError(.usage, "empty tree path", file: file.path) }
        self.file = file
        self.name = name
        self.title = title
        self.cycle = cycle
        self.compression = compression ?? file.compression
        self.basketSize = max(basketSize ?? 32000, 64)
        sizesBaskets = basketSize == nil
        self.entriesPerCluster = entriesPerCluster.map { max($0, 1) }
        self.compressionThreads = max(1, compressionThreads ?? sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        directory = try file.directoryIndex(parts.dropLast().joined(separator: "/"))
        var counters = Set<String>()
        var seen = Set<String>()
        for spec in branches {
            guard !spec.name.isEmpty, seen.insert(spec.name).inserted else {
                throw KaonError(.usage, "branch names must be unique and non-empty (\(spec.name))", file: file.path, object: path)
            }
        }
        for spec in branches {
            guard case .counted(_, let counter, _) = spec.type else { continue }
            guard let counterSpec = branches.first(where: { $0.name == counter }),
                  case .scalar(let type) = counterSpec.type, !type.isFloatingPoint, type != .bool else {
                throw KaonError(.usage, "branch \(spec.name) is counted by \(counter), which must be a scalar integer branch",
                                file: file.path, object: path)
            }
            counters.insert(counter)
        }
        self.counters = counters
        // Counters first, so that counted leaves can refer to their counter's leaf.
        let counterNames = counters
        let ordered = branches.filter { counterNames.contains($0.name) } + branches.filter { !counterNames.contains($0.name) }
        let initialSize = self.basketSize
        baskets = ordered.map { spec in
            var basket = BasketWriter(spec: spec, limit: initialSize)
            basket.isCounter = counterNames.contains(spec.name)
            return basket
        }
        file.register(self)
    }

    /// The branches in the order they are written.
    public var branches: [BranchSpec] { baskets.map(\.spec) }

    /// Appends a batch: one `BranchValues` per branch, all with the same number of entries.
    public func append(_ batch: [String: BranchValues]) throws {
        guard !finished else { throw KaonError(.usage, "tree \(name) is already finished", file: file.path) }
        var count: Int?
        for basket in baskets {
            guard let values = batch[basket.spec.name] else {
                throw KaonError(.usage, "no values for branch \(basket.spec.name)", file: file.path, object: name)
            }
            try Self.check(values, for: basket.spec, file: file.path, object: name)
            let n = values.entryCount(for: basket.spec.type)
            if let count, count != n {
                throw KaonError(.usage, "branch \(basket.spec.name) has \(n) entries, others \(count)", file: file.path, object: name)
            }
            count = n
        }
        guard let total = count, total > 0 else { return }
        try checkCounts(batch, entries: total)
        if entriesPerCluster == nil {
            var bytes = 0
            for basket in baskets { bytes += batch[basket.spec.name].map(Self.byteSize) ?? 0 }
            let perEntry = max(1, bytes / total)
            entriesPerCluster = max(1, 30_000_000 / perEntry)
        }
        let cluster = entriesPerCluster ?? total
        if sizesBaskets && entries == 0 {
            // One cluster of each branch, estimated from this batch, with 5 % to spare.
            for index in baskets.indices {
                let bytes = batch[baskets[index].spec.name].map(Self.byteSize) ?? 0
                let perCluster = Double(bytes) / Double(total) * Double(cluster) * 1.05
                baskets[index].limit = Int(min(max(perCluster, Double(basketSize)), Double(Self.largestSizedBasket)))
            }
        }
        var done = 0
        while done < total {
            let inCluster = entries % cluster
            let take = min(total - done, cluster - inCluster)
            for index in baskets.indices {
                // Every branch's values were checked to be present above.
                guard let values = batch[baskets[index].spec.name] else { continue }
                try appendBySize(index, values, entries: done..<(done + take))
            }
            done += take
            entries += take
            if entries % cluster == 0 { try flushAll() }
        }
    }

    /// Appends to one branch, writing its basket whenever it reaches `basketSize`.
    private func appendBySize(_ index: Int, _ values: BranchValues, entries range: Range<Int>) throws {
        let tracking = counters.contains(baskets[index].spec.name)
        var start = range.lowerBound
        while start < range.upperBound {
            // Estimate how many entries fill the basket from the bytes per entry so far.
            let room = max(baskets[index].limit - baskets[index].data.count, 1)
            let perEntry = max(1, Self.bytesPerEntry(values, spec: baskets[index].spec, at: start))
            let take = min(range.upperBound - start, max(1, (room + perEntry - 1) / perEntry))
            baskets[index].append(values, entries: start..<(start + take), trackMaximum: tracking)
            start += take
            if baskets[index].data.count >= baskets[index].limit { try queue(index) }
        }
    }

    /// Writes the remaining baskets and the TTree key. The tree cannot be appended to after.
    /// `ROOTFileWriter.close()` calls it for trees still open.
    public func finish() throws {
        guard !finished else { return }
        try flushAll()
        finished = true
        let snapshot = baskets
        let treeEntries = entries
        let cluster = entriesPerCluster ?? 0
        let treeName = name
        let treeTitle = title
        let compressionSetting = compression.rootSetting
        let size = basketSize
        try file.writeKeyed(className: "TTree", name: name, title: title, directory: directory, cycle: cycle) { keyLength in
            var writer = ByteWriter(origin: keyLength, capacity: 4096 + 64 * snapshot.count)
            TreeSerializer.write(name: treeName, title: treeTitle, entries: treeEntries, autoFlush: cluster,
                                 branches: snapshot, compression: compressionSetting, basketSize: size, to: &writer)
            return writer.bytes
        }
    }

    private func flushAll() throws {
        for index in baskets.indices { try queue(index, draining: false) }
        try drain()
    }

    /// Takes branch `index`'s basket into the queue; compresses and writes the queue when
    /// it holds enough baskets to keep every compression thread busy.
    private func queue(_ index: Int, draining: Bool = true) throws {
        if let basket = baskets[index].take(branch: index, keyLength: basketKeyLength(index)) { pending.append(basket) }
        if draining && pending.count >= 4 * compressionThreads { try drain() }
    }

    /// The key length (TBasket header included) of branch `index`'s next basket at fEND.
    private func basketKeyLength(_ index: Int) -> Int {
        file.nextKeyLength(className: "TBasket", name: baskets[index].spec.name, title: name, directory: directory) + 19
    }

    /// Compresses the queued baskets (in parallel) and writes them in queue order.
    private func drain() throws {
        guard !pending.isEmpty else { return }
        let settings = compression
        if compressionThreads > 1 && pending.count > 1 && !settings.isNone {
            // Each thread compresses the baskets of its own slots, in place: going through
            // the array (not its storage) from several threads would race on copy-on-write.
            pending.withUnsafeMutableBufferPointer { buffer in
                let slots = PendingSlots(base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: buffer.count) { i in slots.base[i].compress(settings) }
            }
        } else {
            for i in pending.indices { pending[i].compress(settings) }
        }
        for var basket in pending {
            // A basket encoded before an earlier one moved fEND past 2 GB needs the longer key
            // of the big-file format: re-encode it for the actual key length.
            let keyLength = basketKeyLength(basket.branch)
            if keyLength != basket.keyLength {
                basket.encode(keyLength: keyLength)
                basket.compress(settings)
            }
            let key = try file.writeBasket(name: baskets[basket.branch].spec.name, title: name, directory: directory,
                                           keyLength: keyLength, header: basket.header, rawCount: basket.payload.count,
                                           stored: basket.stored)
            baskets[basket.branch].record(basket, key: key)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The queue's storage shared with the compression threads; each thread touches only
    /// its own slot, and the array is not accessed until all of them are done.
    private struct PendingSlots: @unchecked Sendable {
        let base: UnsafeMutablePointer<PendingBasket>
    }

    // MARK: - Checks

    /// Checks that `values` fit `spec` (type, offsets in order, enough bytes); TreeWriter and
    /// RNTupleWriter take the same values.
    static func check(_ values: BranchValues, for spec: BranchSpec, file: String, object: String) throws {
        let ok: Bool
        switch (spec.type, values) {
        case (.scalar(let t), .primitive(let u, let bytes)), (.array(let t, _), .primitive(let u, let bytes)):
            ok = t == u && bytes.count % (t.size * spec.type.itemsPerEntry) == 0
        case (.counted(let t, _, _), .jagged(let u, let offsets, let bytes)), (.vector(let t), .jagged(let u, let offsets, let bytes)):
            if let first = offsets.first, let last = offsets.last {
                ok = t == u && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }
                    && first >= 0 && (last - first) * t.size * spec.type.itemsPerEntry <= bytes.count
            } else {
                ok = false
            }
        case (.string, .strings):
            ok = true
        case (.vectorVector(let t), .nestedLists(let u, let outer, let inner, let bytes)):
            if let first = outer.first, let last = outer.last, first >= 0, last - first < inner.count,
               zip(outer, outer.dropFirst()).allSatisfy({ $0 <= $1 }) {
                ok = t == u && inner[0] >= 0 && zip(inner, inner.dropFirst()).allSatisfy { $0 <= $1 }
                    && (inner[last - first] - inner[0]) * t.size <= bytes.count
            } else {
                ok = false
            }
        case (.stringVector, .stringLists(let offsets, let strings)):
            if let first = offsets.first, let last = offsets.last {
                ok = first >= 0 && last <= strings.count && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }
            } else {
                ok = false
            }
        case (.streamed, .serialized(let offsets, let bytes)):
            if let first = offsets.first, let last = offsets.last {
                ok = first >= 0 && last <= bytes.count && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }
            } else {
                ok = false
            }
        case (.leafList(let leaves), .record(let fields)):
            let counts = zip(leaves, fields).map { leaf, field -> Int? in
                guard case .primitive(let type, let bytes) = field, type == leaf.type else { return nil }
                let size = type.size * leaf.shape.reduce(1, *)
                return bytes.count % size == 0 ? bytes.count / size : nil
            }
            ok = leaves.count == fields.count && !counts.contains(nil) && Set(counts).count <= 1
        default:
            ok = false
        }
        guard ok else {
            throw KaonError(.usage, "values do not match branch \(spec.name) of type \(spec.type)", file: file, object: object)
        }
    }

    /// Counted branches must have as many items per entry as their counter says.
    private func checkCounts(_ batch: [String: BranchValues], entries total: Int) throws {
        // Each counter is decoded once, however many branches it counts.
        var decoded: [String: [Int]] = [:]
        for spec in baskets.map(\.spec) {
            guard case .counted(_, let counter, _) = spec.type, case .jagged(_, let offsets, _)? = batch[spec.name],
                  case .primitive(let type, let bytes)? = batch[counter] else { continue }
            let counts = decoded[counter] ?? bytes.withUnsafeBytes { raw in
                (0..<total).map { Int(BasketWriter.integer(raw, at: $0 * type.size, size: type.size, signed: type.isSigned)) }
            }
            decoded[counter] = counts
            try offsets.withUnsafeBufferPointer { o in
                try counts.withUnsafeBufferPointer { c in
                    for entry in 0..<total where o[entry + 1] - o[entry] != c[entry] {
                        throw KaonError(.usage, "entry \(self.entries + entry) of \(spec.name) has \(o[entry + 1] - o[entry]) items but \(counter) is \(c[entry])",
                                        file: file.path, object: name)
                    }
                }
            }
        }
    }

    static func byteSize(_ values: BranchValues) -> Int {
        switch values {
        case .primitive(_, let bytes): bytes.count
        case .jagged(_, let offsets, let bytes): bytes.count + 4 * offsets.count
        case .strings(let strings): strings.reduce(strings.count) { $0 + $1.utf8.count }
        case .record(let fields): fields.reduce(0) { $0 + byteSize($1) }
        case .stringLists(let offsets, let strings):
            strings[(offsets.first ?? 0)..<(offsets.last ?? 0)].reduce(10 * offsets.count) { $0 + 1 + $1.utf8.count }
        case .nestedLists(_, let outer, let inner, let bytes): bytes.count + 10 * outer.count + 4 * inner.count
        case .serialized(let offsets, _): (offsets.last ?? 0) - (offsets.first ?? 0) + 4 * offsets.count
        }
    }

    static func bytesPerEntry(_ values: BranchValues, spec: BranchSpec, at entry: Int) -> Int {
        switch values {
        case .primitive(let type, _): type.size * spec.type.itemsPerEntry
        case .jagged(let type, let offsets, _): 4 + (offsets[entry + 1] - offsets[entry]) * type.size * spec.type.itemsPerEntry + 10
        case .strings(let strings): 5 + strings[entry].utf8.count
        case .record: spec.type.fixedEntrySize
        case .stringLists(let offsets, let strings):
            strings[offsets[entry]..<offsets[entry + 1]].reduce(10) { $0 + 1 + $1.utf8.count }
        case .nestedLists(let type, let outer, let inner, _):
            10 + 4 * (outer[entry + 1] - outer[entry])
                + (inner[outer[entry + 1] - outer[0]] - inner[outer[entry] - outer[0]]) * type.size
        case .serialized(let offsets, _): offsets[entry + 1] - offsets[entry]
        }
    }
}
