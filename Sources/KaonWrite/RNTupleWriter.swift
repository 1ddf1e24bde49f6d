import Dispatch
import KaonIO
import KaonROOT
import KaonRNTuple
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one RNTuple (format 1.0) into a `ROOTFileWriter`, batch by batch, from the same
/// branch specs and values as `TreeWriter`.
///
/// ```swift
/// let ntuple = try RNTupleWriter(file: file, path: "Events", fields: [
///     BranchSpec("nMuon", .scalar(.uint32)),
///     BranchSpec("Muon_pt", .counted(.float32, counter: "nMuon")),
/// ])
/// try ntuple.append(["nMuon": .values(.uint32, counts), "Muon_pt": .lists(.float32, pts)])
/// try ntuple.finish()   // page list, header, footer and anchor; then file.close()
/// ```
///
/// Entries are buffered, column by column, until a cluster holds `clusterSize` bytes
/// (uncompressed); the cluster is then cut into pages of at most `pageSize` bytes, the pages
/// are encoded and compressed in parallel (each with its XXH3 checksum, as ROOT writes by
/// default) and written in one blob, so a cluster is one contiguous read. `finish()`
/// writes the header, the page list of all clusters (one cluster group), the footer — each
/// an envelope with its checksum, compressed like the pages — and the `ROOT::RNTuple`
/// anchor key that points at them.
public final class RNTupleWriter {
    /// The file written to.
    public let file: ROOTFileWriter
    /// The RNTuple's name (its anchor key's name) and description.
    public let name: String
    public let description: String
    /// Page and envelope compression (the file's by default).
    public let compression: CompressionSettings
    /// Uncompressed bytes per cluster before it is written.
    public let clusterSize: Int
    /// Uncompressed bytes per page, at most.
    public let pageSize: Int
    /// Threads compressing pages (the output does not depend on it).
    public let compressionThreads: Int
    /// The branches, in order: the top-level fields.
    public let fields: [BranchSpec]
    private let schema: RNTupleSchema
    private let directory: Int
    private var buffers: [[UInt8]]
    /// Each index column's running end within the cluster.
    private var indexEnds: [Int]
    /// Each column's elements in the clusters written so far.
    private var columnElements: [Int]
    private var clusters: [ClusterRecord] = []
    private var entries = 0
    private var clusterFirstEntry = 0
    private var finished = false

    /// Uncompressed bytes per cluster unless told: the size `TreeWriter` makes its clusters,
    /// so a tree and its RNTuple copy give the engine the same number of work items.
    public static let defaultClusterSize = 30_000_000

    /// ROOT's default largest key; blobs are never larger than a cluster here.
    static let maxKeySize = 0x4000_0000

    struct PageRecord {
        var elements: Int
        var offset: Int
        var size: Int
    }

    struct ClusterRecord {
        var firstEntry: Int
        var entryCount: Int
        /// Per column: its pages and the column-wide index of its first element here.
        var columns: [(pages: [PageRecord], firstElement: Int)]
    }

    /// Creates an RNTuple at `path` (`dir/name`) with one top-level field per spec.
    ///
    /// - Parameters:
    ///   - file: The file the RNTuple is written into.
    ///   - path: `dir/name` of the RNTuple's anchor key (missing directories are created).
    ///   - description: The RNTuple's description (ROOT's `RNTupleDescriptor::GetDescription`).
    ///   - fields: The fields; `.streamed` specs are refused (see `RNTupleSchema` for the mapping).
    ///   - compression: Page and envelope compression; nil uses the file's.
    ///   - clusterSize: Uncompressed bytes per cluster (default 30 MB, the size `TreeWriter`
    ///     makes its clusters).
    ///   - pageSize: Uncompressed bytes per page at most (default 1 MiB, ROOT's maximum).
    ///   - compressionThreads: Threads compressing pages; nil uses every processor.
    public init(file: ROOTFileWriter, path: String, description: String = "", fields: [BranchSpec],
                compression: CompressionSettings? = nil, clusterSize: Int = defaultClusterSize, pageSize: Int = 1 << 20,
                compressionThreads: Int? = nil) throws {
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last else { throw KaonError(.usage, "empty RNTuple path", file: file.path) }
        var seen = Set<String>()
        for spec in fields where spec.name.isEmpty || !seen.insert(spec.name).inserted {
            throw KaonError(.usage, "field names must be unique and non-empty (\(spec.name))", file: file.path, object: path)
        }
        self.file = file
        self.name = name
        self.description = description
        self.fields = fields
        self.compression = compression ?? file.compression
        self.clusterSize = max(clusterSize, 1)
        self.pageSize = max(pageSize, 64)
        self.compressionThreads = max(1, compressionThreads ?? sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        schema = try RNTupleSchema(specs: fields, split: !self.compression.isNone, context: "\(file.path):\(path)")
        directory = try file.directoryIndex(parts.dropLast().joined(separator: "/"))
        buffers = Array(repeating: [], count: schema.columns.count)
        indexEnds = Array(repeating: 0, count: schema.columns.count)
        columnElements = Array(repeating: 0, count: schema.columns.count)
        file.register(self)
    }

    /// The entries appended so far.
    public var entryCount: Int { entries }

    /// Appends entries: one value set per field, all with the same number of entries.
    public func append(_ batch: [String: BranchValues]) throws {
        guard !finished else { throw KaonError(.usage, "RNTuple \(name) is already finished", file: file.path) }
        var count: Int?
        for spec in fields {
            guard let values = batch[spec.name] else {
                throw KaonError(.usage, "no values for field \(spec.name)", file: file.path, object: name)
            }
            try TreeWriter.check(values, for: spec, file: file.path, object: name)
            let n = values.entryCount(for: spec.type)
            if let count, count != n {
                throw KaonError(.usage, "field \(spec.name) has \(n) entries, others \(count)", file: file.path, object: name)
            }
            count = n
        }
        guard let total = count, total > 0 else { return }
        // Entries go in slices that fill the current cluster, estimated from the batch's
        // bytes per entry, so a large batch still makes clusters of about `clusterSize`.
        let batchBytes = fields.reduce(0) { $0 + (batch[$1.name].map(TreeWriter.byteSize) ?? 0) }
        let perEntry = max(1, batchBytes / total)
        var done = 0
        while done < total {
            let room = max(clusterSize - bufferedBytes, perEntry)
            let take = min(total - done, max(1, room / perEntry))
            for (spec, shape) in zip(fields, schema.shapes) {
                // Presence was checked above.
                guard let values = batch[spec.name] else { continue }
                feed(values, spec: spec, shape: shape, entries: done..<(done + take))
            }
            done += take
            entries += take
            if bufferedBytes >= clusterSize { try commitCluster() }
        }
    }

    private var bufferedBytes: Int { buffers.reduce(0) { $0 + $1.count } }

    // MARK: - Filling columns

    private func feed(_ values: BranchValues, spec: BranchSpec, shape: RNTupleSchema.Shape, entries range: Range<Int>) {
        switch values {
        case .primitive(let type, let bytes):
            let size = type.size * spec.type.itemsPerEntry
            appendValues(bytes, bytes: (range.lowerBound * size)..<(range.upperBound * size), to: shape)
        case .jagged(let type, let offsets, let bytes):
            guard case .collection(let index, let item) = shape else { return }
            appendEnds(offsets[range.lowerBound...range.upperBound], to: index)
            let row = type.size * spec.type.itemsPerEntry
            let start = (offsets[range.lowerBound] - offsets[0]) * row
            let end = (offsets[range.upperBound] - offsets[0]) * row
            appendValues(bytes, bytes: start..<end, to: item)
        case .nestedLists(let type, let outer, let inner, let bytes):
            guard case .collection(let index, .collection(let innerIndex, let item)) = shape else { return }
            appendEnds(outer[range.lowerBound...range.upperBound], to: index)
            let first = outer[range.lowerBound] - outer[0], last = outer[range.upperBound] - outer[0]
            appendEnds(inner[first...last], to: innerIndex)
            appendValues(bytes, bytes: ((inner[first] - inner[0]) * type.size)..<((inner[last] - inner[0]) * type.size), to: item)
        case .strings(let strings):
            appendStrings(strings[range], to: shape)
        case .stringLists(let offsets, let strings):
            guard case .collection(let index, let item) = shape else { return }
            appendEnds(offsets[range.lowerBound...range.upperBound], to: index)
            appendStrings(strings[offsets[range.lowerBound]..<offsets[range.upperBound]], to: item)
        case .record(let parts):
            guard case .record(let members) = shape, case .leafList(let leaves) = spec.type else { return }
            for ((part, leaf), member) in zip(zip(parts, leaves), members) {
                guard case .primitive(let type, let bytes) = part else { continue }
                let size = type.size * leaf.shape.reduce(1, *)
                appendValues(bytes, bytes: (range.lowerBound * size)..<(range.upperBound * size), to: member)
            }
        case .serialized:
            break  // refused when the schema was made
        }
    }

    /// Native-order values into the leaf column under `shape` (through `std::array`s).
    private func appendValues(_ bytes: [UInt8], bytes range: Range<Int>, to shape: RNTupleSchema.Shape) {
        switch shape {
        case .leaf(let column):
            buffers[column].append(contentsOf: bytes[range])
        case .array(_, let item):
            appendValues(bytes, bytes: range, to: item)
        default:
            break
        }
    }

    /// Offsets (items before each entry, starting anywhere) as the index column's running
    /// ends within the cluster.
    private func appendEnds(_ offsets: ArraySlice<Int>, to column: Int) {
        guard let first = offsets.first else { return }
        var end = indexEnds[column]
        buffers[column].reserveCapacity(buffers[column].count + 8 * (offsets.count - 1))
        var previous = first
        for offset in offsets.dropFirst() {
            end += offset - previous
            previous = offset
            withUnsafeBytes(of: UInt64(end).littleEndian) { buffers[column].append(contentsOf: $0) }
        }
        indexEnds[column] = end
    }

    private func appendStrings(_ strings: ArraySlice<String>, to shape: RNTupleSchema.Shape) {
        guard case .string(let index, let characters) = shape else { return }
        var end = indexEnds[index]
        for string in strings {
            let utf8 = string.utf8
            buffers[characters].append(contentsOf: utf8)
            end += utf8.count
            withUnsafeBytes(of: UInt64(end).littleEndian) { buffers[index].append(contentsOf: $0) }
        }
        indexEnds[index] = end
    }

    // MARK: - Clusters

    /// One page to seal: its column and the byte range of the column's buffer it covers.
    private struct PageJob {
        var column: Int
        var bytes: Range<Int>
        var elements: Int
    }

    /// Cuts the buffered entries into pages, seals them in parallel and writes them as one blob.
    private func commitCluster() throws {
        let count = entries - clusterFirstEntry
        guard count > 0 else { return }
        var jobs: [PageJob] = []
        for (id, column) in schema.columns.enumerated() {
            let size = column.bufferedSize
            let total = buffers[id].count / size
            let perPage = max(1, column.type == .bit ? pageSize * 8 : pageSize / size)
            for start in stride(from: 0, to: total, by: perPage) {
                let end = min(start + perPage, total)
                jobs.append(PageJob(column: id, bytes: (start * size)..<(end * size), elements: end - start))
            }
        }
        let sealed = sealPages(jobs)
        var blob: [UInt8] = []
        blob.reserveCapacity(sealed.reduce(0) { $0 + $1.count + 8 })
        var placed: [(start: Int, size: Int)] = []
        for page in sealed {
            placed.append((blob.count, page.count))
            blob.append(contentsOf: page)
            withUnsafeBytes(of: xxh3_64(page).littleEndian) { blob.append(contentsOf: $0) }
        }
        let key = try file.writeKeyed(className: "RBlob", name: "", title: "", directory: directory,
                                      settings: CompressionSettings.none, listed: false) { _ in blob }
        let base = key.seekKey + key.keyLength
        var columns = schema.columns.indices.map { (pages: [PageRecord](), firstElement: columnElements[$0]) }
        for (job, place) in zip(jobs, placed) {
            columns[job.column].pages.append(PageRecord(elements: job.elements, offset: base + place.start, size: place.size))
        }
        clusters.append(ClusterRecord(firstEntry: clusterFirstEntry, entryCount: count, columns: columns))
        for id in schema.columns.indices {
            columnElements[id] += buffers[id].count / schema.columns[id].bufferedSize
            buffers[id].removeAll(keepingCapacity: true)
            indexEnds[id] = 0
        }
        clusterFirstEntry = entries
    }

    /// Encodes and compresses every page (in parallel unless `compressionThreads` is 1);
    /// results in job order, so the file does not depend on the number of threads.
    private func sealPages(_ jobs: [PageJob]) -> [[UInt8]] {
        let settings = compression
        let types = schema.columns.map(\.type)
        let snapshot = buffers
        let slots = SealedSlots(base: .allocate(capacity: jobs.count))
        slots.base.initialize(repeating: [], count: jobs.count)
        defer { slots.base.deinitialize(count: jobs.count); slots.base.deallocate() }
        let work: @Sendable (Int) -> Void = { index in
            let job = jobs[index]
            let encoded = snapshot[job.column].withUnsafeBytes { raw in
                RNTuplePageEncoding.encode(UnsafeRawBufferPointer(rebasing: raw[job.bytes]), type: types[job.column])
            }
            slots.base[index] = Compressor.compress(encoded, settings: settings)
        }
        if compressionThreads == 1 || jobs.count < 2 {
            for index in jobs.indices { work(index) }
        } else {
            DispatchQueue.concurrentPerform(iterations: jobs.count, execute: work)
        }
        return Array(UnsafeBufferPointer(start: slots.base, count: jobs.count))
    }

    /// The sealed pages' storage shared with the compression threads; each thread writes
    /// only its own slot, and nothing reads it until all of them are done.
    private struct SealedSlots: @unchecked Sendable {
        let base: UnsafeMutablePointer<[UInt8]>
    }

    // MARK: - Finishing

    /// Writes the last cluster, the page list, header, footer and anchor. Nothing can be
    /// appended afterwards.
    public func finish() throws {
        guard !finished else { return }
        try commitCluster()
        finished = true
        let header = headerEnvelope()
        let headerChecksum = header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: header.count - 8, as: UInt64.self) }
        let headerPlace = try writeEnvelope(header)
        let pageList = pageListEnvelope(headerChecksum: UInt64(littleEndian: headerChecksum))
        let pageListPlace = try writeEnvelope(pageList)
        let footer = footerEnvelope(headerChecksum: UInt64(littleEndian: headerChecksum), pageList: pageListPlace,
                                    pageListLength: pageList.count)
        let footerPlace = try writeEnvelope(footer)
        try writeAnchor(header: headerPlace, headerLength: header.count, footer: footerPlace, footerLength: footer.count)
    }

    /// Compresses an envelope and writes it as a blob; returns its stored offset and size.
    private func writeEnvelope(_ envelope: [UInt8]) throws -> (offset: Int, size: Int) {
        let stored = Compressor.compress(envelope, settings: compression)
        let key = try file.writeKeyed(className: "RBlob", name: "", title: "", directory: directory,
                                      settings: CompressionSettings.none, listed: false) { _ in stored }
        return (key.seekKey + key.keyLength, stored.count)
    }

    private func headerEnvelope() -> [UInt8] {
        var out = RNTupleSerializer(capacity: 128 * schema.fields.count)
        out.featureFlags()
        out.string(name)
        out.string(description)
        out.string("Kaon")
        schema.serialize(to: &out)
        return RNTupleSerializer.envelope(type: 1, payload: out.bytes)
    }

    private func pageListEnvelope(headerChecksum: UInt64) -> [UInt8] {
        var out = RNTupleSerializer(capacity: 64 + 32 * schema.columns.count * max(clusters.count, 1))
        out.u64(headerChecksum)
        out.list(clusters) { out, cluster in
            out.record { out in
                out.u64(cluster.firstEntry)
                out.u64(cluster.entryCount)  // no flags: clusters are not sharded
            }
        }
        let setting = compression.rootSetting
        out.list(clusters) { out, cluster in
            out.list(cluster.columns) { out, column in
                out.list(column.pages, { out, page in
                    // A negative element count says a checksum follows the page.
                    out.i32(-Int32(page.elements))
                    out.locator(offset: page.offset, size: page.size)
                }, trailer: { out in
                    out.i64(Int64(column.firstElement))
                    out.u32(setting)
                })
            }
        }
        return RNTupleSerializer.envelope(type: 3, payload: out.bytes)
    }

    private func footerEnvelope(headerChecksum: UInt64, pageList: (offset: Int, size: Int), pageListLength: Int) -> [UInt8] {
        var out = RNTupleSerializer(capacity: 256)
        out.featureFlags()
        out.u64(headerChecksum)
        // An empty schema extension: its four lists, empty, as ROOT writes it.
        out.record { out in
            for _ in 0..<4 { out.list([Int]()) { _, _ in } }
        }
        let groups = clusters.isEmpty ? [] : [clusters.count]
        out.list(groups) { out, count in
            out.record { out in
                out.u64(0 as UInt64)  // first entry
                out.u64(entries)  // entry span
                out.u32(count)
                out.envelopeLink(length: pageListLength, offset: pageList.offset, size: pageList.size)
            }
        }
        return RNTupleSerializer.envelope(type: 2, payload: out.bytes)
    }

    /// The `ROOT::RNTuple` key (class version 2, big-endian like every classic ROOT object),
    /// uncompressed as ROOT leaves objects this small.
    private func writeAnchor(header: (offset: Int, size: Int), headerLength: Int,
                             footer: (offset: Int, size: Int), footerLength: Int) throws {
        var out = ByteWriter(capacity: 80)
        let start = out.beginObject(version: 2)
        let fieldsStart = out.count
        for part in [1, 0, 0, 0] { out.u16(UInt16(part)) }  // format version 1.0.0.0
        for value in [header.offset, header.size, headerLength, footer.offset, footer.size, footerLength, Self.maxKeySize] {
            out.u64(UInt64(value))
        }
        let checksum = xxh3_64(out.bytes[fieldsStart...])
        out.endObject(start)
        out.u64(checksum)
        let payload = out.bytes
        try file.writeKeyed(className: RNTupleWriter.anchorClassName, name: name, title: "", directory: directory,
                            settings: CompressionSettings.none) { _ in payload }
    }

    /// The class name of the anchor key.
    public static let anchorClassName = "ROOT::RNTuple"
}
