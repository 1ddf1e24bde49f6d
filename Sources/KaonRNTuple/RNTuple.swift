import KaonIO
import KaonROOT

/// An RNTuple stored in a ROOT file: its schema (fields and columns) and its clusters.
///
/// Opening reads the anchor, the header and footer envelopes and every page list (all
/// checksums verified); data pages are read only when a field is read (`read(_:clusters:)`),
/// through the file's `ByteSource`, so local and remote files behave alike.
///
/// ```swift
/// let file = try ROOTFile(path: "staff.root")
/// let staff = try RNTuple(file: file, path: "Staff")
/// let age = try staff.read(staff.field("Age")).values(as: Int32.self)
/// ```
public final class RNTuple: Sendable {
    public let file: ROOTFile
    /// The anchor key's name.
    public let name: String
    public let anchor: RNTupleAnchor
    /// The name and description the writer gave the RNTuple, and the writing library.
    public let ntupleName: String
    public let ntupleDescription: String
    public let writer: String
    /// Every field, indexed by field ID (header fields, then schema-extension fields).
    public let fields: [FieldDescriptor]
    /// Every physical column, indexed by column ID.
    public let columns: [ColumnDescriptor]
    /// Every cluster, in entry order.
    public let clusters: [ClusterDescriptor]
    /// The number of entries.
    public let entryCount: Int

    /// The class name ROOT gives the anchor's key.
    public static let className = "ROOT::RNTuple"

    /// Whether `key` is an RNTuple anchor.
    public static func isAnchor(_ key: Key) -> Bool { key.className == className }

    /// Opens the RNTuple at a slash-separated key path (`name` or `dir/name;cycle`).
    public convenience init(file: ROOTFile, path: String) throws {
        let key = try withContext(file: file.name, object: path) { try file.root.findKey(path: path) }
        try self.init(file: file, key: key)
    }

    /// Opens the RNTuple whose anchor `key` holds.
    public init(file: ROOTFile, key: Key) throws {
        self.file = file
        name = key.name
        guard Self.isAnchor(key) else {
            throw KaonError(.usage, "is a \(key.className), not an RNTuple", file: file.name, object: key.name)
        }
        let opened = try withContext(file: file.name, object: key.name) { () throws -> Opened in
            let anchor = try RNTupleAnchor(payload: file.payload(of: key))
            return try Opened(anchor: anchor, source: file.source)
        }
        anchor = opened.anchor
        ntupleName = opened.ntupleName
        ntupleDescription = opened.ntupleDescription
        writer = opened.writer
        fields = opened.fields
        columns = opened.columns
        clusters = opened.clusters
        entryCount = opened.clusters.last.map { $0.firstEntry + $0.entryCount } ?? 0
    }

    /// The top-level fields, in schema order.
    public var topLevelFields: [FieldDescriptor] { fields.filter(\.isTopLevel) }

    /// The subfields of `field`.
    public func children(of field: FieldDescriptor) -> [FieldDescriptor] { field.childIDs.map { fields[$0] } }

    /// The field at a dot-separated path of names from the top (`Muon_pt`, `my_struct.sub_struct.i`).
    public func field(_ path: String) throws -> FieldDescriptor {
        var candidates = topLevelFields
        var found: FieldDescriptor?
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let match = candidates.first(where: { $0.name == part }) else {
                throw KaonError(.notFound, "no field \(path) in RNTuple \(name)", file: file.name, object: name)
            }
            found = match
            candidates = children(of: match)
        }
        guard let found else { throw KaonError(.usage, "empty field path", file: file.name, object: name) }
        return found
    }

    /// The dot-separated path of `field` from the top.
    public func path(of field: FieldDescriptor) -> String {
        var parts = [field.name]
        var current = field
        while !current.isTopLevel {
            current = fields[current.parentID]
            parts.append(current.name)
        }
        return parts.reversed().joined(separator: ".")
    }

    /// The index of the cluster holding `entry`.
    public func cluster(containing entry: Int) -> Int? {
        var low = 0, high = clusters.count
        while low < high {
            let middle = (low + high) / 2
            if clusters[middle].firstEntry + clusters[middle].entryCount <= entry { low = middle + 1 } else { high = middle }
        }
        return low < clusters.count && clusters[low].entries.contains(entry) ? low : nil
    }
}

/// What opening an RNTuple reads, before it becomes the immutable `RNTuple`.
private struct Opened {
    var anchor: RNTupleAnchor
    var ntupleName = ""
    var ntupleDescription = ""
    var writer = ""
    var fields: [FieldDescriptor] = []
    var columns: [ColumnDescriptor] = []
    var clusters: [ClusterDescriptor] = []

    init(anchor: RNTupleAnchor, source: any ByteSource) throws {
        self.anchor = anchor
        let budget = AllocationBudget(fileSize: source.size)
        // Header and footer in one vectored read.
        let links = [anchor.header, anchor.footer]
        for link in links where link.locator.size > anchor.maxKeySize && anchor.maxKeySize > 0 {
            throw KaonError(.unsupported, "an envelope of \(link.locator.size) bytes is split over several keys")
        }
        let stored = try source.read(links.map { try source.checkedRange(offset: $0.locator.offset, count: $0.locator.size) })
        var header = try openEnvelope(stored[0], link: anchor.header, expected: .header, budget: budget)
        let headerChecksum = envelopeChecksum(header)
        try header.featureFlags()
        ntupleName = try header.string()
        ntupleDescription = try header.string()
        writer = try header.string()
        let schema = try SchemaDescription(from: &header, firstFieldID: 0, firstColumnID: 0)

        var footer = try openEnvelope(stored[1], link: anchor.footer, expected: .footer, budget: budget)
        try footer.featureFlags()
        guard try footer.u64() == headerChecksum else {
            throw KaonError(.malformed, "RNTuple footer belongs to another header (header checksum mismatch)")
        }
        let extensionSchema = try footer.frame("schema extension") { cursor, _ in
            // An empty record frame means no extension.
            cursor.remaining == 0 ? SchemaDescription()
                : try SchemaDescription(from: &cursor, firstFieldID: schema.fields.count, firstColumnID: schema.columns.count)
        }
        let groups = try footer.recordList("cluster group") { try ClusterGroup(from: &$0) }

        fields = schema.fields + extensionSchema.fields
        columns = schema.columns + extensionSchema.columns
        try linkSchema(aliases: schema.aliases + extensionSchema.aliases)

        let pageLists = groups.isEmpty ? [] : try source.read(groups.map {
            try source.checkedRange(offset: $0.pageList.locator.offset, count: $0.pageList.locator.size)
        })
        for (group, stored) in zip(groups, pageLists) {
            let envelope = try openEnvelope(stored, link: group.pageList, expected: .pageList, budget: budget)
            clusters += try parsePageList(envelope, headerChecksum: headerChecksum, expectedClusters: group.clusterCount)
        }
        clusters.sort { $0.firstEntry < $1.firstEntry }
        var next = 0
        for cluster in clusters {
            guard cluster.firstEntry == next else {
                throw KaonError(.malformed, "clusters do not tile the entries: one starts at \(cluster.firstEntry), expected \(next)")
            }
            next += cluster.entryCount
        }
    }

    /// Attaches columns (physical and alias) and subfields to their fields, checking every ID.
    mutating func linkSchema(aliases: [(physical: Int, field: Int)]) throws {
        for index in fields.indices {
            let parent = fields[index].parentID
            guard parent < fields.count else {
                throw KaonError(.malformed, "field \(fields[index].name) has parent \(parent), but there are \(fields.count) fields")
            }
            if parent != index { fields[parent].childIDs.append(index) }
            if let source = fields[index].sourceFieldID, source >= fields.count {
                throw KaonError(.malformed, "projected field \(fields[index].name) names source field \(source)")
            }
        }
        for column in columns {
            guard column.fieldID < fields.count else {
                throw KaonError(.malformed, "column \(column.id) belongs to field \(column.fieldID), but there are \(fields.count) fields")
            }
            fields[column.fieldID].columnIDs.append(column.id)
        }
        for alias in aliases {
            guard alias.field < fields.count, alias.physical < columns.count else {
                throw KaonError(.malformed, "alias column names field \(alias.field) and column \(alias.physical), out of range")
            }
            fields[alias.field].columnIDs.append(alias.physical)
        }
    }
}
