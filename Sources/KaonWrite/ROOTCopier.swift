import KaonIO
import KaonROOT
import KaonTree

/// Copies and merges ROOT files through Kaon's reader and writer (the engines behind
/// `kaon copy` and `kaon merge`).
///
/// Trees are re-encoded branch by branch, one cluster at a time, so memory stays at one
/// cluster of the selected branches. Histograms keep their class (TH1F stays TH1F, TProfile2D
/// stays TProfile2D) and directories their titles. Objects and branches the writer cannot
/// produce are skipped, each with a reason in `Report.skipped`; a copy or merge that would
/// write none of the input's objects fails instead and leaves no output file.
public enum ROOTCopier {
    /// What a copy or merge did.
    public struct Report: Sendable {
        /// Paths of the trees and histograms written (`path;cycle` when every cycle is kept).
        public var written: [String] = []
        /// `path: reason` for every object or branch left out.
        public var skipped: [String] = []
        /// Things that did not stop the copy but may surprise (an entry range past a tree's end).
        public var warnings: [String] = []
    }

    /// Options of a copy.
    public struct Options: Sendable {
        /// Compression of the output; nil keeps the input file's setting.
        public var compression: CompressionSettings?
        /// Branches to copy (by path or name); empty copies every branch.
        public var branches: [String] = []
        /// Entries to copy from every tree; nil copies all.
        public var entries: Range<Int>?
        /// Whether trees are written as RNTuples (as ROOT's RNTupleImporter converts them:
        /// see `RNTupleSchema`) instead of TTrees.
        public var rntuple = false
        /// Uncompressed bytes per RNTuple cluster; nil: `RNTupleWriter`'s default.
        public var rntupleClusterSize: Int?
        /// Whether to copy every cycle of each key under its cycle number (a copy of one
        /// file only). By default only the highest cycle is written, as `hadd` does.
        public var allCycles: Bool
        /// Called after each chunk of a tree is written with the tree's path, the entries of
        /// it written so far and its total (over all inputs), for a progress display.
        public var progress: (@Sendable (_ tree: String, _ done: Int, _ total: Int) -> Void)?
        /// Options; the defaults copy everything with the input's compression.
        public init(compression: CompressionSettings? = nil, branches: [String] = [], entries: Range<Int>? = nil,
                    allCycles: Bool = false) {
            self.compression = compression
            self.branches = branches
            self.entries = entries
            self.allCycles = allCycles
        }
    }

    /// Copies every tree and histogram of `input` (or the selected branches and entries)
    /// into a new file at `output`.
    public static func copy(from input: String, to output: String, options: Options = Options()) throws -> Report {
        try merge(inputs: [input], into: output, options: options)
    }

    /// One object path of the inputs: its class (that of its first appearance) and, with
    /// `allCycles`, the cycles to copy.
    struct ObjectEntry {
        var path: String
        var className: String
        var cycles: [Int]
    }

    /// Merges `inputs` into `output` like ROOT's `hadd`: histograms with the same path are
    /// added (their binning must agree, otherwise the merge fails naming both files),
    /// trees with the same path are concatenated (their branches must agree; the first file
    /// defines them). Directories are created with their titles, in the order first seen.
    /// The `Provenance` of Kaon outputs is kept: the output records the first input's, with
    /// the inputs of every input's record (a copy keeps its input's record).
    public static func merge(inputs: [String], into output: String, options: Options = Options()) throws -> Report {
        guard !inputs.isEmpty else { throw KaonError(.usage, "no input files") }
        guard !options.allCycles || inputs.count == 1 else {
            throw KaonError(.usage, "every cycle can only be kept when copying one file, not when merging \(inputs.count)")
        }
        let files = try inputs.map { path in try withContext(file: path) { try ROOTFile(path: path) } }
        let compression = options.compression ?? CompressionSettings(rootSetting: files[0].header.compression)
        let writer = try ROOTFileWriter(path: output, compression: compression)
        var report = Report()
        // Kaon outputs' provenance directories are not copied object by object: the output
        // gets one record, with the inputs of all (see Provenance.merged(with:)).
        let provenances = try files.map { try $0.provenance() }
        // Objects by path in order of first appearance; the highest cycle of each name
        // unless every cycle is kept.
        var objects: [ObjectEntry] = []
        var indexByPath: [String: Int] = [:]
        for (file, provenance) in zip(files, provenances) {
            for (path, key) in try withContext(file: file.name, { try file.root.walk() }) {
                let folder = Provenance.outputName
                if provenance != nil, path == folder || path.hasPrefix(folder + "/") { continue }
                if Directory.isDirectory(key) {
                    // A directory's key carries its title (TDirectory::GetTitle).
                    try writer.mkdir(path, title: key.title)
                    continue
                }
                if let index = indexByPath[path] {
                    if options.allCycles { objects[index].cycles.append(key.cycle) }
                } else {
                    indexByPath[path] = objects.count
                    objects.append(ObjectEntry(path: path, className: key.className, cycles: [key.cycle]))
                }
            }
        }
        for object in objects {
            let versions = options.allCycles ? object.cycles.sorted().map { Optional($0) } : [nil]
            for cycle in versions {
                let spec = cycle.map { "\(object.path);\($0)" } ?? object.path
                let className = try cycle.map { _ in try files[0].root.findKey(path: spec).className } ?? object.className
                let holders = files.filter { (try? $0.root.findKey(path: spec)) != nil }
                let label = options.allCycles ? spec : object.path
                if className == "TTree" || className == "TNtuple" || className == "TNtupleD" {
                    let trees = try holders.map { file in try Tree(file: file, path: spec) }
                    try copyTrees(trees, path: object.path, cycle: cycle, label: label, writer: writer,
                                  options: options, report: &report)
                } else if className.hasPrefix("TH") || className.hasPrefix("TProfile") {
                    // Histograms that cannot be added fail the merge (mergedHistogram throws a
                    // usage error); one Kaon cannot read or write is skipped.
                    let merged: WritableHistogram?
                    do {
                        merged = try mergedHistogram(spec, holders: holders)
                    } catch let error as KaonError where error.kind == .unsupported {
                        report.skipped.append("\(label): \(error.message)")
                        continue
                    }
                    guard let merged else { continue }
                    do {
                        try writer.write(merged, to: object.path, cycle: cycle)
                        report.written.append(label)
                    } catch let error as KaonError where error.kind == .unsupported || error.kind == .usage {
                        report.skipped.append("\(label): \(error.message)")
                    }
                } else if className.hasPrefix("ROOT::") && className.hasSuffix("RNTuple") {
                    report.skipped.append("\(label): copying an RNTuple (\(className)) is not supported yet")
                } else {
                    report.skipped.append("\(label): objects of class \(className) are not written by Kaon")
                }
            }
        }
        let recorded = provenances.compactMap { $0 }
        if let first = recorded.first {
            try writer.write(recorded.dropFirst().reduce(first) { $0.merged(with: $1) })
            report.written.append(Provenance.outputName)
        }
        if report.written.isEmpty && !report.skipped.isEmpty {
            // Nothing of the input would be in the output: fail, and the writer, never
            // closed, removes its temporary file.
            let source = inputs.count == 1 ? inputs[0] : inputs.joined(separator: ", ")
            throw KaonError(.unsupported, "none of \(inputs.count == 1 ? "its" : "their") objects can be written, so \(output) was not written: "
                            + report.skipped.joined(separator: "; "), file: source)
        }
        try writer.close()
        return report
    }

    /// The histogram at `spec` added over the files holding it (`hadd`), or nil if none does.
    /// Histograms that cannot be added fail the merge with both files and the difference.
    static func mergedHistogram(_ spec: String, holders: [ROOTFile]) throws -> WritableHistogram? {
        var merged: (histogram: WritableHistogram, file: String)?
        for file in holders {
            let histogram = try withContext(file: file.name, object: spec) { try ROOTHistogram(file.get(spec)) }
            let next = try writable(histogram)
            guard let sum = merged else {
                merged = (next, file.name)
                continue
            }
            if let difference = mismatch(sum.histogram, next, first: sum.file, second: file.name) {
                // The message names both files and the object itself.
                throw KaonError(.usage, "cannot add \(spec) of \(file.name) to that of \(sum.file): \(difference)")
            }
            merged = (add(sum.histogram, next), sum.file)
        }
        return merged?.histogram
    }
    // MARK: - Trees

    /// The writer's type for a branch, or the reason it cannot be written.
    ///
    /// A whole object of an STL class (a top-level TBranchElement) is copied as ROOT's bytes
    /// under its own class when the writer's columnar form would name another class
    /// (`set<int>` would become `vector<int>`, `TString` a C string) or has none (maps,
    /// containers of strings or of containers). These classes hold no pointers to other
    /// objects, so an entry's bytes are valid wherever they are stored.
    static func branchType(_ branch: Branch, counters: Set<String>) -> Result<BranchType, KaonError> {
        let columnar = columnarType(branch, counters: counters)
        guard case .success(let interpretation) = branch.interpretation, case .objects = interpretation.layout,
              branch.className == "TBranchElement", branch.elementID == -1, !branch.elementClassName.isEmpty,
              branch.elementType == 0 || branch.elementType == -1 else { return columnar }
        if case .success(let type) = columnar, TreeSerializer.isElement(BranchSpec(branch.name, type)),
           spaceless(TreeSerializer.streamedClass(BranchSpec(branch.name, type)).className) == spaceless(branch.elementClassName) {
            return columnar
        }
        return .success(.streamed(StreamedClass(
            className: branch.elementClassName, checksum: branch.elementCheckSum, classVersion: branch.elementClassVersion,
            elementType: branch.elementType, streamerType: branch.streamerType, splitLevel: branch.splitLevel)))
    }

    static func spaceless(_ name: String) -> String { name.filter { $0 != " " } }

    /// The writer's columnar type for a branch, or the reason there is none.
    static func columnarType(_ branch: Branch, counters: Set<String>) -> Result<BranchType, KaonError> {
        switch branch.interpretation {
        case .failure(let error):
            return .failure(error)
        case .success(let interpretation):
            switch interpretation.layout {
            case .fixed(let item, let shape):
                guard let type = primitive(item) else { break }
                return .success(shape.isEmpty ? .scalar(type) : .array(type, shape: shape))
            case .jagged(let item, let shape, _):
                guard let type = primitive(item) else { break }
                if let counter = branch.leaves.first?.counterName, counters.contains(counter) {
                    return .success(.counted(type, counter: counter, shape: shape))
                }
                if shape.isEmpty { return .success(.vector(type)) }
            case .objects(.string):
                return .success(.string)
            case .leafList(let fields):
                return .success(.leafList(fields.map { LeafField($0.name, $0.type, shape: $0.shape) }))
            case .objects(.container(.container(let item, header: false), _)):
                if let type = primitive(item) { return .success(.vectorVector(type)) }
            case .objects(.container(let item, _)):
                if let type = primitive(item) { return .success(.vector(type)) }
                if case .string = item { return .success(.stringVector) }
            default:
                break
            }
            return .failure(KaonError(.unsupported, "\(interpretation.typeName) branches are not written by Kaon yet"))
        }
    }

    static func primitive(_ item: Interpretation.Item) -> PrimitiveType? {
        switch item {
        case .primitive(let type): type
        case .packed(_, let output): output  // Double32/Float16 are widened to their output type
        default: nil
        }
    }

    /// Writes `trees` concatenated as one tree at `path` (with `cycle`, or the next one);
    /// `label` names it in the report.
    static func copyTrees(_ trees: [Tree], path: String, cycle: Int? = nil, label: String, writer: ROOTFileWriter,
                          options: Options, report: inout Report) throws {
        guard let first = trees.first else { return }
        var candidates = try options.branches.isEmpty ? first.dataBranches : options.branches.map { try first.branch($0) }
        // Counters of selected counted branches come along, so the arrays keep their counts.
        for branch in candidates {
            if let counter = branch.leaves.first?.counterName, !candidates.contains(where: { $0.name == counter }),
               let counterBranch = try? first.branch(counter) {
                candidates.append(counterBranch)
            }
        }
        let scalarIntegers = Set(candidates.compactMap { branch -> String? in
            guard case .fixed(.primitive(let type), let shape)? = try? branch.interpretation.get().layout,
                  shape.isEmpty, !type.isFloatingPoint, type != .bool else { return nil }
            return branch.name
        })
        var specs: [BranchSpec] = []
        var sources: [(spec: BranchSpec, path: String)] = []
        var names = Set<String>()
        for branch in candidates {
            // An RNTuple has no use for ROOT's streamed bytes: every branch goes in as
            // values (a std::set<int> becomes a std::vector<int> field with the same items).
            let type = options.rntuple ? columnarType(branch, counters: scalarIntegers) : branchType(branch, counters: scalarIntegers)
            switch type {
            case .success(let type):
                let name = options.rntuple ? RNTupleSchema.fieldName(forBranch: branch.name) : branch.name
                guard names.insert(name).inserted else {
                    report.skipped.append("\(label):\(branch.path): another branch is also named \(name)")
                    continue
                }
                let spec = BranchSpec(name, type)
                specs.append(spec)
                sources.append((spec, branch.path))
            case .failure(let error):
                report.skipped.append("\(label):\(branch.path): \(error.message)")
            }
        }
        guard !specs.isEmpty else {
            report.skipped.append("\(label): none of its branches can be written by Kaon yet")
            return
        }
        let tree: any EntrySink = options.rntuple
            ? try RNTupleWriter(file: writer, path: path, description: first.title, fields: specs,
                                clusterSize: options.rntupleClusterSize ?? RNTupleWriter.defaultClusterSize)
            : try TreeWriter(file: writer, path: path, title: first.title, branches: specs, cycle: cycle)
        let total = trees.reduce(0) { $0 + (options.entries ?? 0..<$1.entries).clamped(to: 0..<$1.entries).count }
        var done = 0
        options.progress?(path, 0, total)  // the clock starts before the first chunk
        for input in trees {
            if let wanted = options.entries, wanted.lowerBound > 0, wanted.lowerBound >= input.entries {
                report.warnings.append("\(input.file.name): \(path): entries from \(wanted.lowerBound) asked for, "
                                       + "but the tree has \(input.entries) entries; none copied")
            }
            let range = (options.entries ?? 0..<input.entries).clamped(to: 0..<input.entries)
            let inputBranches = try sources.map { source in
                try withContext(file: input.file.name, object: path) { try input.branch(source.path) }
            }
            // One cluster at a time (at most 100k entries) bounds memory for long trees.
            var chunks = input.clusters.isEmpty ? [range] : input.clusters
            chunks = chunks.flatMap { cluster in stride(from: cluster.lowerBound, to: cluster.upperBound, by: 100_000).map { $0..<min($0 + 100_000, cluster.upperBound) } }
            for chunk in chunks {
                let piece = chunk.clamped(to: range)
                guard !piece.isEmpty else { continue }
                var batch: [String: BranchValues] = [:]
                // Branches are read (decompressed) in parallel; the tree writer compresses
                // its baskets in parallel too.
                let decoded = zip(sources, inputBranches).filter { !$0.0.spec.type.isStreamed }
                let columns = try withContext(file: input.file.name, object: path) {
                    try input.read(decoded.map(\.1), entries: piece, threads: tree.compressionThreads)
                }
                for (column, (source, _)) in zip(columns, decoded) {
                    batch[source.spec.name] = try values(column, for: source.spec, context: "\(input.file.name):\(path):\(source.path)")
                }
                for (source, branch) in zip(sources, inputBranches) where source.spec.type.isStreamed {
                    let raw = try input.readSerialized(branch, entries: piece)
                    batch[source.spec.name] = .serialized(offsets: raw.offsets, raw.bytes)
                }
                try tree.append(batch)
                done += piece.count
                options.progress?(path, done, total)
            }
        }
        try tree.finish()
        report.written.append(label)
    }

    /// A column as the writer's values.
    static func values(_ column: Column, for spec: BranchSpec, context: String) throws -> BranchValues {
        switch (column.values, spec.type) {
        case (.primitive(let type, let bytes), .scalar), (.primitive(let type, let bytes), .array):
            return .primitive(type, bytes)
        case (.primitive(let type, let bytes), .counted), (.primitive(let type, let bytes), .vector):
            guard let offsets = column.offsets.first else { break }
            return .jagged(type, offsets: offsets, bytes)
        case (.strings(let strings), .string):
            return .strings(strings)
        case (.primitive(let type, let bytes), .vectorVector):
            guard column.offsets.count >= 2 else { break }
            return .nestedLists(type, outer: column.offsets[0], inner: column.offsets[1], bytes)
        case (.strings(let strings), .stringVector):
            guard let offsets = column.offsets.first else { break }
            return .stringLists(offsets: offsets, strings)
        case (.record(_, let columns), .leafList(let fields)) where columns.count == fields.count:
            var parts: [BranchValues] = []
            for (inner, field) in zip(columns, fields) {
                guard case .primitive(let type, let bytes) = inner.values, type == field.type else {
                    throw KaonError(.unsupported, "\(context): leaf \(field.name) does not hold \(field.type) values")
                }
                parts.append(.primitive(type, bytes))
            }
            return .record(parts)
        default:
            break
        }
        throw KaonError(.unsupported, "\(context): its values do not fit a \(spec.type) branch")
    }

    // MARK: - Histograms

    /// A read histogram as writer input, of the same class: the storage type follows the
    /// class name (TH2F → float), other TH1 descendants are written as TH?D.
    public static func writable(_ histogram: ROOTHistogram) throws -> WritableHistogram {
        let axes = histogram.axes.map { WritableHistogram.Axis(edges: $0.edges, title: $0.title, labels: $0.labels) }
        let profile = histogram.profile.map { p in
            WritableHistogram.Profile(binEntries: p.binEntries, binSumw2: p.binSumw2, errorMode: p.errorModeCode,
                                      valueMinimum: p.valueMinimum, valueMaximum: p.valueMaximum,
                                      sumwy: p.valueSumw, sumwy2: p.valueSumw2)
        }
        var statistics: [String: Double] = [:]
        for (name, value) in histogram.statistics { statistics[name] = value }
        let storage = profile == nil ? WritableHistogram.Storage(className: histogram.className) ?? .double : .double
        return WritableHistogram(name: histogram.name, title: histogram.title, axes: axes, contents: histogram.contents,
                                 sumw2: histogram.sumw2, entries: histogram.entries, statistics: statistics,
                                 profile: profile, storage: storage)
    }

    /// Why `b` (from file `second`) cannot be added to `a` (from `first`), or nil when it
    /// can: the number of axes, profile or not, and every axis's edges must agree. The
    /// storage type may differ; the sum keeps `a`'s, as `hadd` keeps the first file's class.
    static func mismatch(_ a: WritableHistogram, _ b: WritableHistogram, first: String, second: String) -> String? {
        guard a.axes.count == b.axes.count, (a.profile == nil) == (b.profile == nil) else {
            return "it is a \(a.className) in \(first) but a \(b.className) in \(second)"
        }
        for (index, (x, y)) in zip(a.axes, b.axes).enumerated() where x.edges != y.edges {
            let axis = ["x", "y", "z"][index]
            func describe(_ axis: WritableHistogram.Axis) -> String {
                let kind = axis.isUniform ? "uniform" : "variable"
                return "\(axis.bins) \(kind) bins in [\(axis.edges[0]), \(axis.edges[axis.bins])]"
            }
            if describe(x) == describe(y) {
                let at = x.edges.indices.first { x.edges[$0] != y.edges[$0] } ?? 0
                return "axis \(axis) edge \(at) is \(x.edges[at]) in \(first) but \(y.edges[at]) in \(second)"
            }
            return "axis \(axis) has \(describe(x)) in \(first) but \(describe(y)) in \(second)"
        }
        return nil
    }

    /// The bin-by-bin sum of two histograms with the same binning (`hadd`; check them with
    /// `mismatch` first). The sum has `a`'s class, name, title and profile error mode.
    public static func add(_ a: WritableHistogram, _ b: WritableHistogram) -> WritableHistogram {
        func sum(_ x: [Double], _ y: [Double], fallbackX: [Double], fallbackY: [Double]) -> [Double] {
            if x.isEmpty && y.isEmpty { return [] }
            let left = x.isEmpty ? fallbackX : x
            let right = y.isEmpty ? fallbackY : y
            return zip(left, right).map(+)
        }
        var result = a
        result.contents = zip(a.contents, b.contents).map(+)
        // A missing sumw2 means unit weights: Σw² = Σw.
        result.sumw2 = sum(a.sumw2, b.sumw2, fallbackX: a.contents, fallbackY: b.contents)
        result.entries = a.entries + b.entries
        let left = a.completeStatistics()
        let right = b.completeStatistics()
        result.statistics = left.merging(right, uniquingKeysWith: +)
        if let p = a.profile, let q = b.profile {
            result.profile = .init(binEntries: zip(p.binEntries, q.binEntries).map(+),
                                   binSumw2: sum(p.binSumw2, q.binSumw2, fallbackX: p.binEntries, fallbackY: q.binEntries),
                                   errorMode: p.errorMode, valueMinimum: p.valueMinimum, valueMaximum: p.valueMaximum,
                                   sumwy: p.sumwy + q.sumwy, sumwy2: p.sumwy2 + q.sumwy2)
        }
        return result
    }
}
