import Foundation
import Testing
import KaonIO
import KaonTestSupport
import KaonROOT
import KaonTree
@testable import KaonWrite

/// Writes one file of every kind KaonWrite produces — histograms of each class, and trees
/// with every branch kind under every compression algorithm — into `KAON_WRITE_FIXTURES`
/// (default: a fresh temporary directory) with `expected.json`, then has
/// `crosschecks/peers/check_written.py` verify them with uproot and PyROOT.
@Suite struct FixtureTests {

    static let compressions: [CompressionSettings] = [.none] + [CompressionAlgorithm.zlib, .lzma, .lz4, .zstd].flatMap { algorithm in
        [1, 5, 9].map { CompressionSettings(algorithm, level: $0) }
    }

    @Test func writeAndVerifyFixtures() throws {
        let directory = ProcessInfo.processInfo.environment["KAON_WRITE_FIXTURES"]
            ?? (NSTemporaryDirectory() + "kaon-write-fixtures-\(getpid())")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var expected: [String: JSONValue] = [:]
        expected["histograms"] = try writeHistograms(to: directory + "/hists.root")
        var treeFiles: [JSONValue] = []
        for settings in Self.compressions {
            let name = "tree-\(settings.algorithm.rawValue)-\(settings.level).root"
            try writeTree(to: directory + "/" + name, compression: settings)
            treeFiles.append(.record(["file": .string(name), "compression": .number(Double(settings.rootSetting))]))
        }
        expected["tree_files"] = .array(treeFiles)
        expected["tree"] = Self.treeExpectation()
        try JSONValue.record(expected).text.write(toFile: directory + "/expected.json", atomically: true, encoding: .utf8)

        // Kaon's own reader must agree too.
        let read = try ROOTFile(path: directory + "/tree-zstd-5.root")
        let tree = try Tree(file: read, path: "Events")
        #expect(tree.entries == Self.entries)

        let run = try Peers.run("check_written.py", directory)
        #expect(run.succeeded, "\(run.failureMessage)")
    }

    // MARK: - Histograms

    func writeHistograms(to path: String) throws -> JSONValue {
        let file = try ROOTFileWriter(path: path, compression: CompressionSettings(.zlib, level: 1), title: "Kaon fixtures")
        var written: [JSONValue] = []
        func add(_ h: WritableHistogram, _ objectPath: String) throws {
            try file.write(h, to: objectPath)
            let stats = h.completeStatistics()
            written.append(.record([
                "path": .string(objectPath), "class": .string(h.className), "title": .string(h.title),
                "edges": .array(h.axes.map { .array($0.edges.map { .number($0) }) }),
                "axis_titles": .array(h.axes.map { .string($0.title) }),
                "labels": .array(h.axes.map { $0.labels.map { .array($0.map(JSONValue.string)) } ?? .null }),
                "contents": .array(h.contents.map { .number($0) }),
                "sumw2": .array(h.sumw2.map { .number($0) }),
                "entries": .number(h.entries),
                "stats": .record(stats.mapValues { .number($0) }),
                "bin_entries": .array((h.profile?.binEntries ?? []).map { .number($0) }),
            ]))
        }
        func cells(_ n: Int, _ f: (Int) -> Double) -> [Double] { (0..<n).map(f) }
        let x = WritableHistogram.Axis(bins: 10, low: -5, high: 5, title: "p_{T} [GeV]")
        let h1 = WritableHistogram(name: "h1", title: "uniform", axes: [x], contents: cells(12) { Double($0 * $0) },
                                   sumw2: cells(12) { Double($0 * $0) * 1.5 }, entries: 385)
        try add(h1, "h1")
        let variable = WritableHistogram.Axis(edges: [0, 1, 2.5, 7, 20], title: "m")
        try add(WritableHistogram(name: "hv", title: "variable", axes: [variable], contents: cells(6) { Double($0) + 0.25 },
                                  sumw2: cells(6) { Double($0) + 1 }, entries: 20), "dir/sub/hvar")
        let labels = WritableHistogram.Axis(labels: ["ttbar", "wjets", "qcd"], title: "process")
        try add(WritableHistogram(name: "cat", title: "categories", axes: [labels], contents: [0, 10, 20, 30, 0],
                                  sumw2: [0, 10, 20, 30, 0], entries: 60), "cat")
        let y = WritableHistogram.Axis(bins: 4, low: 0, high: 1, title: "y")
        try add(WritableHistogram(name: "h2", title: "2D", axes: [x, y], contents: cells(12 * 6) { Double($0 % 7) },
                                  sumw2: cells(12 * 6) { Double($0 % 7) * 2 }, entries: 200), "h2")
        let z = WritableHistogram.Axis(edges: [0, 1, 3], title: "z")
        try add(WritableHistogram(name: "h3", title: "3D", axes: [y, z, variable], contents: cells(6 * 4 * 6) { Double($0 % 5) },
                                  sumw2: cells(6 * 4 * 6) { Double($0 % 5) }, entries: 300), "h3")
        let entriesPerBin = cells(12) { Double($0 % 4) }
        let profile = WritableHistogram.Profile(binEntries: entriesPerBin, sumwy: 12.5, sumwy2: 40)
        try add(WritableHistogram(name: "prof", title: "profile", axes: [x], contents: cells(12) { Double($0 % 4) * 2.5 },
                                  sumw2: cells(12) { Double($0 % 4) * 7 }, entries: 18, profile: profile), "prof")
        for process in ["ttbar", "wjets"] {
            for variation in ["nominal", "jesUp"] {
                let path = WritableHistogram.categoryPath(directory: "shapes", name: "mjj", categories: [process, variation])
                try add(WritableHistogram(name: "mjj", title: "\(process) \(variation)", axes: [variable],
                                          contents: cells(6) { Double($0 + process.count + variation.count) }, entries: 10), path)
            }
        }
        try file.close()
        return .array(written)
    }

    // MARK: - Trees

    static let entries = 1000
    static let scalarTypes = PrimitiveType.allCases

    /// The value of item `k` of entry `i` as a double, exactly representable in every type.
    static func value(_ type: PrimitiveType, _ i: Int, _ k: Int) -> Double {
        let raw = (i * 7 + k * 3) % 100
        switch type {
        case .bool: return Double((i + k) % 2)
        case .int8, .int16, .int32, .int64: return Double(raw - 50)
        case .uint8, .uint16, .uint32, .uint64: return Double(raw)
        case .float32: return Double(Float(raw) / 4 - 3)
        case .float64: return Double(raw) / 8 + 0.1
        }
    }

    static func bytes(_ type: PrimitiveType, _ values: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        func put<T>(_ v: T) { withUnsafeBytes(of: v) { out.append(contentsOf: $0) } }
        for v in values {
            switch type {
            case .bool: put(v != 0)
            case .int8: put(Int8(v))
            case .uint8: put(UInt8(v))
            case .int16: put(Int16(v))
            case .uint16: put(UInt16(v))
            case .int32: put(Int32(v))
            case .uint32: put(UInt32(v))
            case .int64: put(Int64(v))
            case .uint64: put(UInt64(v))
            case .float32: put(Float(v))
            case .float64: put(v)
            }
        }
        return out
    }

    static let leafFields = [LeafField("a", .int32), LeafField("b", .float64), LeafField("c", .int16, shape: [3])]

    static func stringList(_ i: Int) -> [String] { (0..<(i % 4)).map { "item\(i)-\($0)" + String(repeating: "é", count: $0) } }

    static func count(_ i: Int) -> Int { (i * 5) % 4 }
    static func vectorLength(_ i: Int) -> Int { i % 3 }
    /// The sorted, distinct items of the set in entry `i`.
    static func setItems(_ i: Int) -> [Int] { (0..<((i + 1) % 4)).map { i * 10 - 7 + 3 * $0 } }
    static func string(_ i: Int) -> String { i % 10 == 0 ? "" : "entry \(i)" + String(repeating: "x", count: i % 7) }

    static var specs: [BranchSpec] {
        var specs = scalarTypes.map { BranchSpec("s_\($0.rawValue)", .scalar($0)) }
        specs.append(BranchSpec("nMuon", .scalar(.int32)))
        specs.append(BranchSpec("Muon_pt", .counted(.float32, counter: "nMuon")))
        specs.append(BranchSpec("Muon_charge", .counted(.int32, counter: "nMuon")))
        specs.append(BranchSpec("Muon_id", .counted(.uint8, counter: "nMuon")))
        specs.append(BranchSpec("fixed3", .array(.float64, shape: [3])))
        specs.append(BranchSpec("fixed23", .array(.int16, shape: [2, 3])))
        specs += scalarTypes.map { BranchSpec("v_\($0.rawValue)", .vector($0)) }
        specs.append(BranchSpec("name", .string))
        specs.append(BranchSpec("leaflist", .leafList(leafFields)))
        specs.append(BranchSpec("v_string", .stringVector))
        specs += [PrimitiveType.float64, .int32, .uint8].map { BranchSpec("vv_\($0.rawValue)", .vectorVector($0)) }
        // A std::set<int> given as ROOT's streamed bytes (checksum and version as ROOT 6 records them).
        specs.append(BranchSpec("v_set_int32", .streamed(StreamedClass(className: "set<int>", checksum: 3_736_389_290,
                                                                        classVersion: 6, splitLevel: 99))))
        return specs
    }

    /// Values of entries `range` for a branch.
    static func values(_ spec: BranchSpec, _ range: Range<Int>) -> BranchValues {
        switch spec.type {
        case .scalar(let type):
            if spec.name == "nMuon" { return .primitive(type, bytes(type, range.map { Double(count($0)) })) }
            return .primitive(type, bytes(type, range.map { value(type, $0, 0) }))
        case .array(let type, let shape):
            let n = shape.reduce(1, *)
            return .primitive(type, bytes(type, range.flatMap { i in (0..<n).map { value(type, i, $0) } }))
        case .counted(let type, _, _):
            var offsets = [0]
            var flat: [Double] = []
            for i in range {
                flat += (0..<count(i)).map { value(type, i, $0 + 1) }
                offsets.append(flat.count)
            }
            return .jagged(type, offsets: offsets, bytes(type, flat))
        case .vector(let type):
            var offsets = [0]
            var flat: [Double] = []
            for i in range {
                flat += (0..<vectorLength(i)).map { value(type, i, $0 + 2) }
                offsets.append(flat.count)
            }
            return .jagged(type, offsets: offsets, bytes(type, flat))
        case .vectorVector(let type):
            var outer = [0], inner = [0]
            var flat: [Double] = []
            for i in range {
                for list in 0..<vectorLength(i + 1) {
                    flat += (0..<((i + list) % 4)).map { value(type, i, $0 + 3 + list) }
                    inner.append(flat.count)
                }
                outer.append(inner.count - 1)
            }
            return .nestedLists(type, outer: outer, inner: inner, bytes(type, flat))
        case .string:
            return .strings(range.map(string))
        case .stringVector:
            var offsets = [0]
            var flat: [String] = []
            for i in range {
                flat += stringList(i)
                offsets.append(flat.count)
            }
            return .stringLists(offsets: offsets, flat)
        case .streamed:
            // Per entry: byte count | kByteCountMask, collection version 6, size, big-endian items.
            var offsets = [0]
            var flat: [UInt8] = []
            for i in range {
                let items = setItems(i)
                var entry = ByteWriter(capacity: 10 + 4 * items.count)
                entry.u32(UInt32(6 + 4 * items.count) | 0x4000_0000)
                entry.u16(6)
                entry.i32(items.count)
                for item in items { entry.i32(item) }
                flat += entry.bytes
                offsets.append(flat.count)
            }
            return .serialized(offsets: offsets, flat)
        case .leafList(let fields):
            return .record(fields.map { field in
                let n = field.shape.reduce(1, *)
                return .primitive(field.type, bytes(field.type, range.flatMap { i in (0..<n).map { value(field.type, i, $0) } }))
            })
        }
    }

    func writeTree(to path: String, compression: CompressionSettings) throws {
        let file = try ROOTFileWriter(path: path, compression: compression)
        let tree = try TreeWriter(file: file, path: "Events", title: "fixture", branches: Self.specs,
                                  basketSize: 300, entriesPerCluster: 250)
        // Uneven batches, to cross basket and cluster boundaries inside and between them.
        var start = 0
        for size in [1, 99, 400, 500] {
            let range = start..<(start + size)
            var batch: [String: BranchValues] = [:]
            for spec in Self.specs { batch[spec.name] = Self.values(spec, range) }
            try tree.append(batch)
            start += size
        }
        try tree.finish()
        // A second tree in a subdirectory, in one batch.
        let small = try TreeWriter(file: file, path: "sub/Small", branches: [BranchSpec("x", .scalar(.float64))])
        try small.append(["x": .values(.float64, [1.5, 2.5, 3.5])])
        try small.finish()
        try file.close()
    }

    static func treeExpectation() -> JSONValue {
        var branches: [String: JSONValue] = [:]
        for spec in specs {
            let entries: [JSONValue] = (0..<Self.entries).map { i in
                switch spec.type {
                case .scalar(let type):
                    return .number(spec.name == "nMuon" ? Double(count(i)) : value(type, i, 0))
                case .array(let type, let shape):
                    let flat = (0..<shape.reduce(1, *)).map { value(type, i, $0) }
                    if shape.count == 2 {
                        return .array((0..<shape[0]).map { r in .array((0..<shape[1]).map { .number(flat[r * shape[1] + $0]) }) })
                    }
                    return .array(flat.map { .number($0) })
                case .counted(let type, _, _):
                    return .array((0..<count(i)).map { .number(value(type, i, $0 + 1)) })
                case .vector(let type):
                    return .array((0..<vectorLength(i)).map { .number(value(type, i, $0 + 2)) })
                case .vectorVector(let type):
                    return .array((0..<vectorLength(i + 1)).map { list in
                        .array((0..<((i + list) % 4)).map { .number(value(type, i, $0 + 3 + list)) })
                    })
                case .string:
                    return .string(string(i))
                case .stringVector:
                    return .array(stringList(i).map(JSONValue.string))
                case .streamed:
                    return .array(setItems(i).map { .number(Double($0)) })
                case .leafList(let fields):
                    var record: [String: JSONValue] = [:]
                    for field in fields {
                        let n = field.shape.reduce(1, *)
                        let items = (0..<n).map { JSONValue.number(value(field.type, i, $0)) }
                        record[field.name] = field.shape.isEmpty ? items[0] : .array(items)
                    }
                    return .record(record)
                }
            }
            let type: String
            switch spec.type {
            case .leafList: type = "record"
            case .streamed: type = "int32"
            default: type = spec.type.primitive?.rawValue ?? "string"
            }
            branches[spec.name] = .record(["type": .string(type), "values": .array(entries)])
        }
        return .record(["path": .string("Events"), "entries": .number(Double(Self.entries)), "branches": .record(branches)])
    }
}

extension JSONValue {
    /// An object from a dictionary, members sorted by key (a stable expectation file).
    static func record(_ members: [String: JSONValue]) -> JSONValue {
        .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
