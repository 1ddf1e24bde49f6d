import ArgumentParser
import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTree

/// `kaon dump FILE:OBJECT`: a tree's values or a histogram's contents as JSON or CSV.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the values of a tree's branches, or a histogram's contents.",
        discussion: """
        For a TTree or an RNTuple, prints one JSON object {"branch": [values...], ...} with one value per
        entry, branches in tree order. Jagged and nested data (counted arrays, std::vector,
        vector<vector>) become nested arrays, fixed-size arrays nested arrays of their shape,
        strings strings, booleans true/false. 64-bit integers are printed exactly; floating
        point values with the fewest digits that read back to the same float32/float64.
        NaN and infinities are printed as NaN, Infinity, -Infinity (as Python's json does).
        A leaf list (several leaves in one branch) gives one object per entry.
        Branches are named by their path: top-level names, or parent/child for split objects.
        An RNTuple's fields are its branches (-b takes a top-level field, or a.b for a member
        of a record field): collections (std::vector, RVec, std::optional) are nested arrays,
        std::array and std::bitset fixed-size arrays, records (classes, std::pair,
        std::tuple) objects of their members, each member holding the arrays of the
        collections above it, and a std::variant an object of its alternatives _0, _1, …,
        each an array of zero or one value.

        With --format csv, prints one row per entry and one column per branch; non-scalar
        values are written as JSON inside a quoted cell. A branch named twice is printed once.

        For a histogram (TH1, TH2, TH3, TProfile), prints its class, axes (edges, titles,
        labels), contents including under/overflow in ROOT's global bin order, sumw2,
        entries and statistics as JSON. With --format csv: one row per bin (flow bins
        included, same order) with each axis's lower and upper edge, the content and the
        variance (sumw2, or the content when no sumw2 is stored).

        Several files (or a glob, quoted) can be given with the same tree path to read them
        as one chain:  kaon dump 'run*.root:Events' -b nMuon

        Examples:
          kaon dump nano.root:Events -b nMuon -b Muon_pt --entries 0:10
          kaon dump hists.root:variations/nominal
        """
    )

    @Argument(help: "FILE:OBJECT — a tree, RNTuple or histogram inside a ROOT file. Several FILE:TREE arguments form a chain.")
    var objects: [String]

    @Option(name: [.short, .customLong("branch")], help: "A branch to print (repeatable). Default: every branch with data.")
    var branches: [String] = []

    @Option(name: .long, help: "Entries START:STOP to print (either side may be empty), e.g. 0:100.")
    var entries: EntryRange?

    @Option(name: .long, help: "Output format: json or csv.")
    var format: OutputFormat = .json

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case json, csv }

    func validate() throws {
        try entries?.validate()
    }

    func run() throws {
        let specs = objects.map(ObjectSpec.init)
        guard let first = specs.first, let objectPath = first.path else {
            throw ValidationError("name the object to dump as FILE:OBJECT")
        }
        guard specs.allSatisfy({ $0.path == objectPath }) else {
            throw ValidationError("every FILE:OBJECT of a chain must name the same object")
        }
        let files = specs.map(\.file)
        let single = try Chain.expand(files[0])
        // A single file is opened once, for the histogram test and the tree alike.
        var opened: ROOTFile?
        var ntuple: RNTuple?
        if files.count == 1 && single.count == 1 {
            let rootFile = try ROOTFile(path: single[0])
            opened = rootFile
            let key = try withContext(file: rootFile.name) { try rootFile.root.findKey(path: objectPath) }
            if RNTuple.isAnchor(key) { ntuple = try RNTuple(file: rootFile, key: key) }
            if key.className.hasPrefix("TH") || key.className.hasPrefix("TProfile") {
                let histogram = try withContext(file: rootFile.name, object: objectPath) {
                    try ROOTHistogram(rootFile.readObject(key))
                }
                switch format {
                case .json: print(histogramJSON(histogram).text)
                case .csv: histogramCSV(histogram).forEach { print($0) }
                }
                return
            }
        }
        // A tree (or a chain of trees) and an RNTuple are read alike, through EntryColumns.
        let source: any EntryColumns = try ntuple ?? opened.map { try Chain(trees: [Tree(file: $0, path: objectPath)]) }
            ?? Chain(patterns: files, treePath: objectPath)
        // A branch asked for twice (by the same name or by name and path) is printed once:
        // JSON keys must be unique.
        var seen: Set<String> = []
        let selected = branches.isEmpty ? source.columnNames
            : try branches.map { try source.resolvedName($0) }.filter { seen.insert($0).inserted }
        let requested = entries ?? EntryRange(argument: ":")!
        let count = ntuple == nil ? (source as? Chain)?.trees.count ?? 1 : 1
        requested.warnIfPastEnd(entries: source.entryCount, of: "\(objectPath) (\(files.count == 1 ? files[0] : "chain of \(count) files"))")
        let range = requested.resolve(entries: source.entryCount)
        var columns: [(String, Column)] = []
        for name in selected {
            columns.append((name, try source.readColumn(name, entries: range)))
        }
        switch format {
        case .json:
            let fields = columns.map { name, column -> (String, JSONValue) in
                let renderer = ColumnJSON(column)
                return (name, .array((0..<column.entryCount).map(renderer.entry)))
            }
            print(JSONValue.object(fields).text)
        case .csv:
            var header = ""
            for (i, (name, _)) in columns.enumerated() {
                if i > 0 { header += "," }
                header += CSV.cell(name)
            }
            print(header)
            let renderers = columns.map { ColumnJSON($0.1) }
            for row in 0..<range.count {
                var line = ""
                for (i, renderer) in renderers.enumerated() {
                    if i > 0 { line += "," }
                    line += CSV.cell(renderer.entry(row))
                }
                print(line)
            }
        }
    }
}

/// CSV cells: scalars as they are, strings and nested values quoted.
enum CSV {
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): cell(s)
        case .array, .object: cell(value.text)
        default: value.text
        }
    }

    static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
