import KaonIO
import KaonROOT
import KaonTree

/// Assembles a field's values over a run of clusters into one `KaonTree.Column`, the same
/// columnar shape the TTree reader produces, so everything that consumes columns (the CLI's
/// dump, scan and draw, the engine, the object view) reads RNTuple fields unchanged.
///
/// The mapping: a leaf is a `.primitive` (or `.strings` for `std::string`); a collection
/// (`std::vector`, `RVec`, `std::optional`, sets, maps, untyped collections) adds an offset
/// level to what its item field gives; `std::array`/`std::bitset` add a fixed dimension
/// (`innerShape`); a record (class, struct, `std::pair`, `std::tuple`) is a `.record` of its
/// members, with a collection's offsets pushed down into each member (struct of arrays, as a
/// split TTree stores them); a `std::variant` is a `.record` of its alternatives, each with
/// an offset level holding zero or one item per entry.
///
/// Each field is read with item counts per cluster: the entries for a top-level field, the
/// parent's index column for an item field. A column with fewer elements than its field
/// needs in a cluster is deferred (added while writing) and reads as zeros up front, as the
/// spec prescribes.
struct FieldReader {
    let ntuple: RNTuple
    let clusters: [Int]
    let store: PageStore

    init(ntuple: RNTuple, field: FieldDescriptor, clusters: [Int]) throws {
        self.ntuple = ntuple
        self.clusters = clusters
        var columns = Set<Int>()
        var pending = [field.id]
        while let id = pending.popLast() {
            columns.formUnion(ntuple.fields[id].columnIDs)
            pending += ntuple.fields[id].childIDs
        }
        store = try PageStore(ntuple: ntuple, columns: columns, clusters: clusters)
    }

    /// The field's values for `counts[k]` items in the k-th cluster read.
    func read(_ field: FieldDescriptor, counts: [Int]) throws -> Column {
        // Counts come from the cluster descriptors: their sum sizes the offsets and values.
        let total = try Self.total(counts, path: ntuple.path(of: field))
        let path = ntuple.path(of: field)
        switch field.role {
        case .streamer:
            throw KaonError(.unsupported, "field \(path) (\(field.typeName)) is stored by the ROOT streamer, which Kaon does not decode in RNTuples")
        case .record:
            return try record(ntuple.children(of: field), counts: counts, path: path)
        case .collection:
            var offsets = [0]
            offsets.reserveCapacity(total + 1)
            var itemCounts: [Int] = []
            for (position, cluster) in clusters.enumerated() {
                let ends = try indexEnds(principal(field, cluster: cluster), cluster: cluster, count: counts[position])
                let base = offsets[offsets.count - 1]
                offsets += ends.map { base + $0 }
                itemCounts.append(ends.last ?? 0)
            }
            let children = ntuple.children(of: field)
            let items = children.count == 1 ? try read(children[0], counts: itemCounts)
                                            : try record(children, counts: itemCounts, path: path)
            return Self.nest(items, under: offsets, count: total)
        case .variant:
            return try variant(field, counts: counts, path: path)
        case .leaf:
            break
        }
        if field.typeName == "std::string" { return try strings(field, counts: counts, path: path) }
        if field.typeName.hasPrefix("ROOT::RNTupleCardinality<") { return try cardinality(field, counts: counts, path: path) }
        if let repetition = field.repetition {
            if field.columnIDs.isEmpty, let item = ntuple.children(of: field).first {
                return Self.shaped(try read(item, counts: counts.map { $0 * repetition }), repeat: repetition, count: total)
            }
            // std::bitset<N>: one Bit column with N elements per item.
            var column = try primitive(field, counts: counts.map { $0 * repetition }, path: path, as: .bool)
            column.innerShape = [repetition]
            column.entryCount = total
            return column
        }
        if field.columnIDs.isEmpty, let item = ntuple.children(of: field).first {
            // std::atomic<T> and enums: a column-less leaf wrapping its underlying type.
            var column = try read(item, counts: counts)
            column.branch = path
            return column
        }
        guard let type = PrimitiveConversion.primitiveType(forTypeName: field.typeName) else {
            throw KaonError(.unsupported, "field \(path) has type \(field.typeName), which Kaon cannot read from an RNTuple")
        }
        return try primitive(field, counts: counts, path: path, as: type)
    }

    /// The sum of per-cluster item counts the file declares, checked before it sizes
    /// anything: a count can be negative or the sum can exceed what any buffer could hold
    /// (every item takes at least an 8-byte offset or value).
    static func total(_ counts: [Int], path: String) throws -> Int {
        var total = 0
        for count in counts {
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard count >= 0, !overflow else {
                throw KaonError(.malformed, "field \(path) declares \(count) items in a cluster, after \(total) in the ones before")
            }
            total = sum
        }
        try AllocationBudget.anyFile.check(total + 1, of: MemoryLayout<Int>.stride, "field \(path)")
        return total
    }

    // MARK: - Field kinds

    func record(_ members: [FieldDescriptor], counts: [Int], path: String) throws -> Column {
        let columns = try members.map { try read($0, counts: counts) }
        return Column(values: .record(members.map(\.name), columns), entryCount: counts.reduce(0, +), branch: path)
    }

    func primitive(_ field: FieldDescriptor, counts: [Int], path: String, as target: PrimitiveType) throws -> Column {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(try AllocationBudget.anyFile.check(try Self.total(counts, path: path), of: target.size, "field \(path)"))
        for (position, cluster) in clusters.enumerated() {
            let column = try principal(field, cluster: cluster)
            guard let type = column.type, let decoded = type.decodedType else {
                throw KaonError(.unsupported, "field \(path) is stored in a column of type \(column.type?.specName ?? "0x\(String(column.rawType, radix: 16))"), which cannot hold \(field.typeName) values")
            }
            guard decoded.isFloatingPoint == target.isFloatingPoint || !decoded.isFloatingPoint && target == .bool else {
                throw KaonError(.unsupported, "field \(path) of type \(field.typeName) is stored as \(type.specName)")
            }
            let values = try valueBytes(column, decoded: decoded, cluster: cluster, count: counts[position])
            bytes += PrimitiveConversion.convert(values, from: decoded, to: target)
        }
        return Column(values: .primitive(target, bytes), entryCount: counts.reduce(0, +), branch: path)
    }

    func strings(_ field: FieldDescriptor, counts: [Int], path: String) throws -> Column {
        var strings: [String] = []
        strings.reserveCapacity(try AllocationBudget.anyFile.check(try Self.total(counts, path: path), of: MemoryLayout<String>.stride,
                                                                   "field \(path)") / MemoryLayout<String>.stride)
        for (position, cluster) in clusters.enumerated() {
            let columns = try representation(field, cluster: cluster)
            guard columns.count == 2, let charType = columns[1].type, charType.decodedType?.size == 1 else {
                throw KaonError(.malformed, "std::string field \(path) needs an index and a character column")
            }
            let ends = try indexEnds(columns[0], cluster: cluster, count: counts[position])
            let chars = try valueBytes(columns[1], decoded: charType.decodedType!, cluster: cluster, count: ends.last ?? 0)
            var start = 0
            for end in ends {
                strings.append(String(decoding: chars[start..<end], as: UTF8.self))
                start = end
            }
        }
        return Column(values: .strings(strings), entryCount: strings.count, branch: path)
    }

    /// `ROOT::RNTupleCardinality<SizeT>`: the lengths of the collection whose index column it aliases.
    func cardinality(_ field: FieldDescriptor, counts: [Int], path: String) throws -> Column {
        var lengths: [UInt64] = []
        for (position, cluster) in clusters.enumerated() {
            var previous = 0
            for end in try indexEnds(principal(field, cluster: cluster), cluster: cluster, count: counts[position]) {
                lengths.append(UInt64(end - previous))
                previous = end
            }
        }
        let wide = field.typeName.contains("uint64")
        let bytes = wide ? PageDecoding.nativeBytes(lengths) : PageDecoding.nativeBytes(lengths.map { UInt32(truncatingIfNeeded: $0) })
        return Column(values: .primitive(wide ? .uint64 : .uint32, bytes), entryCount: lengths.count, branch: path)
    }

    func variant(_ field: FieldDescriptor, counts: [Int], path: String) throws -> Column {
        let alternatives = ntuple.children(of: field)
        var presence = Array(repeating: [0], count: alternatives.count)
        var itemCounts = Array(repeating: [Int](), count: alternatives.count)
        for (position, cluster) in clusters.enumerated() {
            let column = try principal(field, cluster: cluster)
            guard column.type == .switchTag else {
                throw KaonError(.malformed, "variant field \(path) needs a Switch column, has \(column.type?.specName ?? "an unknown type")")
            }
            let switches = try elements(column, cluster: cluster, count: counts[position], zero: (index: 0, tag: 0)) { raw, _, count in
                PageDecoding.switches(raw, count: count)
            }
            var inCluster = Array(repeating: 0, count: alternatives.count)
            for item in switches {
                for alternative in alternatives.indices {
                    presence[alternative].append(presence[alternative].last! + (item.tag == alternative + 1 ? 1 : 0))
                }
                guard item.tag <= alternatives.count, item.tag >= 0 else {
                    throw KaonError(.malformed, "variant field \(path) has tag \(item.tag) but \(alternatives.count) alternatives")
                }
                if item.tag == 0 { continue }  // the invalid (valueless) state holds no alternative
                guard item.index == inCluster[item.tag - 1] else {
                    throw KaonError(.unsupported, "variant field \(path) refers to its alternatives out of order (index \(item.index), expected \(inCluster[item.tag - 1]))")
                }
                inCluster[item.tag - 1] += 1
            }
            for alternative in alternatives.indices { itemCounts[alternative].append(inCluster[alternative]) }
        }
        let total = counts.reduce(0, +)
        let columns = try alternatives.indices.map { alternative in
            Self.nest(try read(alternatives[alternative], counts: itemCounts[alternative]), under: presence[alternative], count: total)
        }
        return Column(values: .record(alternatives.map(\.name), columns), entryCount: total, branch: path)
    }

    // MARK: - Columns

    /// The columns of the representation of `field` that is active in `cluster`: the first
    /// whose columns are not suppressed there; for a field the cluster predates, the first.
    func representation(_ field: FieldDescriptor, cluster: Int) throws -> [ColumnDescriptor] {
        let columns = field.columnIDs.map { ntuple.columns[$0] }
        let representations = Dictionary(grouping: columns, by: \.representationIndex).sorted { $0.key < $1.key }.map(\.value)
        guard let first = representations.first else {
            throw KaonError(.malformed, "field \(ntuple.path(of: field)) (\(field.typeName)) has no columns")
        }
        let ranges = ntuple.clusters[cluster].columns
        return representations.first { representation in
            representation[0].id < ranges.count && !ranges[representation[0].id].isSuppressed
        } ?? first
    }

    func principal(_ field: FieldDescriptor, cluster: Int) throws -> ColumnDescriptor {
        try representation(field, cluster: cluster)[0]
    }

    /// The uncompressed pages of `column` in `cluster`, with their element counts.
    func pages(_ column: ColumnDescriptor, cluster: Int) throws -> (type: ColumnType, pages: [(raw: [UInt8], count: Int)]) {
        guard let type = column.type else {
            throw KaonError(.unsupported, "column \(column.id) has type 0x\(String(column.rawType, radix: 16)), newer than RNTuple 1.0")
        }
        let ranges = ntuple.clusters[cluster].columns
        let descriptors = column.id < ranges.count ? ranges[column.id].pages : []
        let blobs = store.pages(column: column.id, cluster: cluster)
        return (type, try zip(descriptors, blobs).map { page, blob in
            (try PageDecoding.unpack(blob, page: page, column: column, budget: AllocationBudget(fileSize: ntuple.file.source.size)),
             page.elementCount)
        })
    }

    /// Checks that a column's `available` elements in `cluster` fit the `needed` ones; the
    /// shortfall is the deferred part that reads as zeros.
    func missing(_ column: ColumnDescriptor, cluster: Int, available: Int, needed: Int) throws -> Int {
        guard available <= needed else {
            throw KaonError(.malformed, "column \(column.id) holds \(available) elements in cluster \(cluster), its field needs \(needed)")
        }
        return needed - available
    }

    /// The decoded elements of `column` in `cluster`, exactly `count` of them (zeros first
    /// for a deferred column).
    func elements<T>(_ column: ColumnDescriptor, cluster: Int, count: Int, zero: T,
                     decode: ([UInt8], ColumnType, Int) throws -> [T]) throws -> [T] {
        let (type, pages) = try pages(column, cluster: cluster)
        var result: [T] = []
        for page in pages { result += try decode(page.raw, type, page.count) }
        let zeros = try missing(column, cluster: cluster, available: result.count, needed: count)
        try AllocationBudget.anyFile.check(zeros, of: MemoryLayout<T>.stride, "deferred column \(column.id)")
        return zeros == 0 ? result : Array(repeating: zero, count: zeros) + result
    }

    /// The elements of a value column in `cluster` as native bytes of `decoded`.
    func valueBytes(_ column: ColumnDescriptor, decoded: PrimitiveType, cluster: Int, count: Int) throws -> [UInt8] {
        let (type, pages) = try pages(column, cluster: cluster)
        let available = pages.reduce(0) { $0 + $1.count }
        let zeros = try missing(column, cluster: cluster, available: available, needed: count)
        var bytes = [UInt8](repeating: 0, count: try AllocationBudget.anyFile.check(zeros, of: decoded.size, "deferred column \(column.id)"))
        bytes.reserveCapacity(try AllocationBudget.anyFile.check(count, of: decoded.size, "column \(column.id)"))
        for page in pages { bytes += PageDecoding.values(page.raw, column: column, type: type, count: page.count) }
        return bytes
    }

    func indexEnds(_ column: ColumnDescriptor, cluster: Int, count: Int) throws -> [Int] {
        guard let type = column.type, type.isIndex else {
            throw KaonError(.malformed, "column \(column.id) should be an index column, is \(column.type?.specName ?? "of an unknown type")")
        }
        let ends = try elements(column, cluster: cluster, count: count, zero: 0) { raw, type, _ in PageDecoding.indices(raw, type: type) }
        var previous = 0
        for end in ends {
            guard end >= previous, end < 1 << 48 else {
                throw KaonError(.malformed, "index column \(column.id) goes from \(previous) to \(end) in cluster \(cluster)")
            }
            previous = end
        }
        return ends
    }

    // MARK: - Shapes

    /// `items` (one per child item) under one more offset level; a record pushes the level
    /// into each member.
    static func nest(_ items: Column, under offsets: [Int], count: Int) -> Column {
        if case .record(let names, let members) = items.values, items.offsets.isEmpty, items.innerShape.isEmpty {
            return Column(values: .record(names, members.map { nest($0, under: offsets, count: count) }), entryCount: count, branch: items.branch)
        }
        var column = items
        column.offsets = [offsets] + items.offsets
        column.entryCount = count
        return column
    }

    /// `items` grouped `repetition` at a time: a fixed inner dimension where the items are
    /// plain values, otherwise a regular offset level.
    static func shaped(_ items: Column, repeat repetition: Int, count: Int) -> Column {
        if case .record(let names, let members) = items.values, items.offsets.isEmpty, items.innerShape.isEmpty {
            return Column(values: .record(names, members.map { shaped($0, repeat: repetition, count: count) }), entryCount: count, branch: items.branch)
        }
        if items.offsets.isEmpty {
            var column = items
            column.innerShape = [repetition] + items.innerShape
            column.entryCount = count
            return column
        }
        return nest(items, under: (0...count).map { $0 * repetition }, count: count)
    }
}
