import KaonIO
import KaonRNTuple

extension ShowCommand {
    /// `kaon show` on an RNTuple: entries and clusters, then one row per field (top-level
    /// fields and their subfields, by dotted path) with its C++ type, its columns' types,
    /// and the pages, bytes and compression of the columns it owns (a projected field's
    /// columns belong to its source field and are not counted again).
    func showRNTuple(_ ntuple: RNTuple) {
        var rows: [[String]] = []
        var jsonRows: [JSONValue] = []
        for field in ntuple.fields {
            let projected = field.sourceFieldID != nil
            let columns = field.columnIDs.map { ntuple.columns[$0] }
            let columnTypes = columns.map(\.typeDescription)
            let storages = projected ? [] : columns.map { ntuple.storage(ofColumn: $0.id) }
            let stored = storages.reduce(0) { $0 + $1.storedBytes }
            let uncompressed = storages.reduce(0) { $0 + $1.uncompressedBytes }
            let pages = storages.reduce(0) { $0 + $1.pages }
            var settings: [Int] = []
            for storage in storages { for setting in storage.compressionSettings where !settings.contains(setting) { settings.append(setting) } }
            let compression = settings.map(Self.compressionName).joined(separator: ",")
            let type = field.typeName.isEmpty ? "(untyped \(field.role))" : field.typeName
            let path = ntuple.path(of: field)
            let columnText = (columnTypes.isEmpty ? "-" : columnTypes.joined(separator: "+")) + (projected ? " (alias)" : "")
            rows.append([path, type, columnText, HumanFormat.bytes(stored), HumanFormat.bytes(uncompressed), String(pages),
                         compression.isEmpty ? "-" : compression])
            jsonRows.append(.object([
                ("name", .string(path)), ("type", .string(type)), ("role", .string("\(field.role)")),
                ("columns", .array(columnTypes.map(JSONValue.string))), ("projected", .bool(projected)),
                ("compressed_bytes", .integer(Int64(stored))), ("uncompressed_bytes", .integer(Int64(uncompressed))),
                ("pages", .integer(Int64(pages))), ("compression", .string(compression)),
            ]))
        }
        if json {
            print(JSONValue.object([
                ("name", .string(ntuple.name)), ("class", .string(RNTuple.className)), ("version", .string(ntuple.anchor.version)),
                ("description", .string(ntuple.ntupleDescription)), ("writer", .string(ntuple.writer)),
                ("entries", .integer(Int64(ntuple.entryCount))), ("clusters", .integer(Int64(ntuple.clusters.count))),
                ("fields", .array(jsonRows)),
            ]).text)
            return
        }
        print("\(ntuple.name): RNTuple \(ntuple.anchor.version), \(ntuple.entryCount) entries, \(HumanFormat.count(ntuple.clusters.count, "cluster")), \(HumanFormat.count(ntuple.fields.count, "field")) — \(ntuple.writer)")
        Table.print(header: ["field", "type", "columns", "compressed", "uncompressed", "pages", "compression"], rows: rows)
    }

    /// `zstd:5` for ROOT's setting 505, `none` for 0.
    static func compressionName(_ setting: Int) -> String {
        guard let algorithm = CompressionAlgorithm(rootSetting: setting), algorithm != .none else { return "none" }
        return "\(algorithm.rawValue):\(setting % 100)"
    }
}
