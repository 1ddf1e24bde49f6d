import ArgumentParser
import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTree

/// `kaon show FILE:TREE`: a tree's entries and per-branch storage.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Describe a tree or RNTuple: entries and, per branch or field, type, sizes and compression.",
        discussion: """
        Prints the number of entries and clusters, then one row per branch: its path, its
        C++-like type (float, float[], int32_t[3], std::vector<double>, …), compressed and
        uncompressed bytes, number of baskets, and the compression algorithm and level
        (the algorithm is read from the first basket's block header, the level from the
        branch's setting, algorithm*100+level, when the two agree).
        A branch Kaon cannot interpret shows the reason in its type column.

        For an RNTuple: its format version, entries and clusters, then one row per field
        (subfields by dotted path): its C++ type, its columns' on-disk types (SplitReal32,
        SplitIndex64+Char, Real32Quant(12), …), the compressed and uncompressed bytes and
        pages of its columns over all clusters, and their compression. A projected field
        (an alias of another field's columns) shows "(alias)" and no bytes.

        Example:
          kaon show nano.root:Events
        """
    )

    @Argument(help: "FILE:TREE — the tree or RNTuple to describe.")
    var object: String

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var ioStats: IOStatsOption

    func run() throws {
        let spec = ObjectSpec(object)
        guard let path = spec.path else { throw ValidationError("name the tree as FILE:TREE") }
        let ioStart = IOStatsOption.start()
        defer { ioStats.report(since: ioStart, toStandardError: json, whenRemote: false) }
        let file = try ROOTFile(path: spec.file)
        if let key = try? file.root.findKey(path: path), RNTuple.isAnchor(key) {
            return showRNTuple(try RNTuple(file: file, key: key))
        }
        let tree = try Tree(file: file, path: path)
        var rows: [[String]] = []
        var jsonRows: [JSONValue] = []
        // Every branch's first basket header in one read: a request, not two per branch, on a remote file.
        let storedCompressions = (try? tree.storedCompressions(tree.allBranches)) ?? tree.allBranches.map { _ in nil }
        for (branch, storedCompression) in zip(tree.allBranches, storedCompressions) {
            let type: String
            switch branch.interpretation {
            case .success(let interpretation): type = interpretation.typeName
            case .failure(let error): type = branch.branches.isEmpty ? "unsupported: \(error.message)" : "(split object)"
            }
            let stored = storedCompression ?? .none
            let setting = CompressionAlgorithm(rootSetting: branch.compression)
            let compression = stored == .none ? "none"
                : setting == stored ? "\(stored.rawValue):\(branch.compression % 100)" : stored.rawValue
            rows.append([branch.path, type, HumanFormat.bytes(branch.zipBytes), HumanFormat.bytes(branch.totalBytes),
                         String(branch.basketCount), compression])
            jsonRows.append(.object([
                ("name", .string(branch.path)), ("type", .string(type)),
                ("compressed_bytes", .integer(Int64(branch.zipBytes))), ("uncompressed_bytes", .integer(Int64(branch.totalBytes))),
                ("baskets", .integer(Int64(branch.basketCount))), ("compression", .string(compression)),
                ("compression_setting", .integer(Int64(branch.compression))),
            ]))
        }
        if json {
            print(JSONValue.object([
                ("name", .string(tree.name)), ("title", .string(tree.title)), ("entries", .integer(Int64(tree.entries))),
                ("clusters", .integer(Int64(tree.clusters.count))), ("branches", .array(jsonRows)),
            ]).text)
            return
        }
        print("\(tree.path): \(tree.entries) entries, \(HumanFormat.count(tree.clusters.count, "cluster")), \(HumanFormat.count(tree.allBranches.count, "branch", plural: "branches")) — \(tree.title)")
        Table.print(header: ["branch", "type", "compressed", "uncompressed", "baskets", "compression"], rows: rows)
    }
}

/// Left-aligned text tables for terminal output.
enum Table {
    static func print(header: [String], rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            var line = ""
            for (column, cell) in row.enumerated() {
                let pad = column == row.count - 1 ? "" : String(repeating: " ", count: widths[column] - cell.count + 2)
                line += cell + pad
            }
            Swift.print(line)
        }
    }
}
