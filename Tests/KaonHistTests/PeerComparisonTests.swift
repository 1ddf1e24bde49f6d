import KaonIO
import Foundation
import KaonTestSupport
import Testing
@testable import KaonHist

/// Kaon against boost-histogram/hist, bin for bin.
///
/// The test fills Kaon histograms of every axis and storage kind from deterministic data
/// (SplitMix64, plus values exactly on bin edges, NaN, ±inf, the upper edge, tiny and huge
/// numbers), applies operations, and writes the results as UHI JSON together with the raw
/// input (shortest round-trip decimal, i.e. ≤ 17 significant digits, so Python reads the
/// identical doubles) and a description of each case into a temporary directory. Then it runs
/// `crosschecks/peers/hist_reference.py` with the peers' Python (`~/.cache/kaon/peers/bin/python`,
/// or `$PEERS_PYTHON`), which fills boost-histogram the same way and compares everything
/// bitwise. A missing Python is a failure with a message saying how to get it.
@Suite struct PeerComparisonTests {
    /// Values that probe boost-histogram's exact binning rules on Regular(10, 0, 1) and friends.
    static let specials: [Double] = [0, 0.1, 0.2, 0.3, 0.7, 0.25, 0.5, 0.6, 1.0, -0.0, .nan, .infinity, -.infinity,
                                     1e300, -1e-300, 0.9999999999999999, .leastNonzeroMagnitude, -0.1, 1.1, 1.2, 0.2 + 0.1]

    struct Case {
        var name: String
        var storage: String
        var axes: [AnyAxis]
        /// (kind, data key) per axis; kinds: real, real32, int, string, bool.
        var columns: [(String, String)]
        var weights: String? = nil
        var samples: String? = nil
        var ops: [String] = []
    }

    static func makeData() -> [String: FillColumn] {
        var rng = SplitMix64(state: 20_260_301)
        let n = 3000
        func reals(_ lo: Double, _ hi: Double) -> [Double] { (0..<n).map { _ in lo + (hi - lo) * rng.uniform() } }
        var data: [String: FillColumn] = [:]
        data["x"] = .real(reals(-0.2, 1.2) + specials)
        data["y"] = .real(reals(-0.2, 1.2) + specials.reversed())
        data["z"] = .real(reals(-0.3, 1.3) + specials.shuffledDeterministically())
        // Growing axes: finite values within reason (1e300 would grow 1e300 bins), NaN and ±inf.
        data["xg"] = .real(reals(-0.7, 1.9) + [0.2, 0.6, 1.0, .nan, .infinity, -.infinity] + Array(repeating: 0.5, count: specials.count - 6))
        data["w"] = .real(reals(-0.5, 2.0) + Array(repeating: 1.5, count: specials.count))
        data["w_pos"] = .real(reals(0.1, 2.0) + Array(repeating: 0.75, count: specials.count))
        data["s"] = .real(reals(-10, 10) + specials.map { $0.isFinite && abs($0) < 10 ? $0 : 3.25 })
        let total = n + specials.count
        // Odd regular axes probed on and next to every edge (the column fills' vectorised path).
        for (key, axis) in [("e1", Self.oddAxis1), ("e2", Self.oddAxis2)] {
            let edges = FillTests.edgeValues(axis, random: 0, &rng)
            data[key] = .real(edges + FillTests.edgeValues(axis, random: total - 2 * edges.count, &rng).suffix(total - edges.count))
        }
        data["i"] = .int((0..<total).map { _ in Int(rng.next() % 12) - 4 })
        data["cat"] = .string((0..<total).map { _ in ["a", "b", "c", "zz", "é"][Int(rng.next() % 5)] })
        data["flag"] = .bool((0..<total).map { _ in rng.next() % 3 == 0 })
        return data
    }

    static let oddAxis1 = RegularAxis(bins: 37, lower: -1.3, upper: 2.9)
    static let oddAxis2 = RegularAxis(bins: 13, lower: -0.7, upper: 0.35, overflow: false)

    static let cases: [Case] = [
        Case(name: "regular_odd_edges_weight", storage: "weighted", axes: [oddAxis1.erased], columns: [("real", "e1")], weights: "w"),
        Case(name: "regular2d_odd_edges_double", storage: "double", axes: [oddAxis1.erased, oddAxis2.erased],
             columns: [("real", "e1"), ("real", "e2")]),
        Case(name: "regular_double", storage: "double", axes: [RegularAxis(bins: 10, lower: 0, upper: 1, metadata: .init(name: "x", label: "x [cm]")).erased],
             columns: [("real", "x")], ops: ["slice:0:2:5", "rebin:0:3", "scale:0.5", "add"]),
        Case(name: "regular_float32", storage: "double", axes: [RegularAxis(bins: 10, lower: 0, upper: 1).erased], columns: [("real32", "x")]),
        Case(name: "regular_noflow_int", storage: "int", axes: [RegularAxis(bins: 10, lower: 0, upper: 1, underflow: false, overflow: false).erased],
             columns: [("real", "x")], ops: ["slice:0:3:8"]),
        Case(name: "regular_underflow_only_weight", storage: "weighted", axes: [RegularAxis(bins: 7, lower: -0.1, upper: 1.1, overflow: false).erased],
             columns: [("real", "x")], weights: "w", ops: ["scale:-2.5"]),
        Case(name: "variable_weight", storage: "weighted", axes: [VariableAxis(edges: [0, 0.1, 0.25, 0.3, 0.7, 1]).erased],
             columns: [("real", "x")], weights: "w", ops: ["rebin:0:2", "add"]),
        Case(name: "variable_noflow_double", storage: "double", axes: [VariableAxis(edges: [0, 0.1, 0.25, 0.3, 0.7, 1], underflow: false, overflow: false).erased],
             columns: [("real", "x")]),
        Case(name: "regular_growth_double", storage: "double", axes: [RegularAxis(bins: 4, lower: 0.2, upper: 0.6, growth: true).erased],
             columns: [("real", "xg")]),
        Case(name: "integer_int", storage: "int", axes: [IntegerAxis(lower: -2, upper: 5, metadata: .init(name: "n")).erased],
             columns: [("int", "i")], ops: ["slice:0:1:4"]),
        Case(name: "intcat_growth_mean", storage: "mean", axes: [IntCategoryAxis(categories: [], growth: true).erased],
             columns: [("int", "i")], samples: "s", ops: ["scale:3", "add"]),
        Case(name: "intcat_fixed_double", storage: "double", axes: [IntCategoryAxis(categories: [1, 5, 3]).erased], columns: [("int", "i")]),
        Case(name: "strcat_regular_weighted_mean", storage: "weighted_mean",
             axes: [StrCategoryAxis(categories: ["a", "b", "c"], metadata: .init(name: "cat")).erased, RegularAxis(bins: 5, lower: 0, upper: 1).erased],
             columns: [("string", "cat"), ("real", "x")], weights: "w_pos", samples: "s",
             ops: ["select:0:b", "project:1", "slice:0:1:3", "add", "scale:0.25"]),
        Case(name: "strcat_growth_bool_int", storage: "int", axes: [StrCategoryAxis(categories: [], growth: true).erased, BooleanAxis().erased],
             columns: [("string", "cat"), ("bool", "flag")], ops: ["project:1"]),
        Case(name: "regular2d_double", storage: "double",
             axes: [RegularAxis(bins: 10, lower: 0, upper: 1).erased, RegularAxis(bins: 7, lower: -0.1, upper: 1.1).erased],
             columns: [("real", "x"), ("real", "y")], ops: ["project:1", "project:1,0", "slice:1:2:6", "rebin:0:2", "select:0:3"]),
        Case(name: "mixed3d_weight", storage: "weighted",
             axes: [RegularAxis(bins: 5, lower: 0, upper: 1).erased, VariableAxis(edges: [-0.2, 0, 0.3, 1, 1.2]).erased,
                    RegularAxis(bins: 3, lower: -0.1, upper: 1.2, underflow: false).erased],
             columns: [("real", "x"), ("real", "y"), ("real", "z")], weights: "w", ops: ["project:2,0"]),
        Case(name: "regular_mean_weighted", storage: "mean", axes: [RegularAxis(bins: 6, lower: 0, upper: 1).erased],
             columns: [("real", "x")], weights: "w_pos", samples: "s", ops: ["rebin:0:2"]),
        Case(name: "regular_mean", storage: "mean", axes: [RegularAxis(bins: 6, lower: 0, upper: 1).erased],
             columns: [("real", "x")], samples: "s", ops: ["add"]),
    ]

    static func fileName(_ name: String, _ op: String?) -> String {
        guard let op else { return name }
        return name + "__" + op.replacingOccurrences(of: ":", with: "_").replacingOccurrences(of: ",", with: "-")
    }

    /// Fills one case with storage `S` and returns (file name, UHI JSON text) for it and its operations.
    static func run<S: UHIStorage>(_: S.Type, _ c: Case, _ data: [String: FillColumn]) throws -> [(String, String)] {
        var h = Histogram<S>(axes: c.axes)
        let weights: [Double]? = c.weights.map { if case .real(let v) = data[$0]! { v } else { [] } }
        let samples: [Double]? = c.samples.map { if case .real(let v) = data[$0]! { v } else { [] } }
        let columns = c.columns.map { data[$0.1]! }
        if c.columns.allSatisfy({ $0.0 == "real32" }) {
            let floats = columns.map { col -> [Float] in if case .real(let v) = col { v.map(Float.init) } else { [] } }
            try h.fill(columns: floats, weights: weights, samples: samples)
        } else if c.columns.allSatisfy({ $0.0 == "real" }) {
            // Real columns go through the specialised fast paths.
            let reals = columns.map { col -> [Double] in if case .real(let v) = col { v } else { [] } }
            try h.fill(columns: reals, weights: weights, samples: samples)
        } else {
            try h.fill(columns: columns, weights: weights, samples: samples)
        }
        var out = [(fileName(c.name, nil), h.uhiJSON.text)]
        for op in c.ops {
            let parts = op.split(separator: ":").map(String.init)
            let result: Histogram<S>
            switch parts[0] {
            case "project": result = try h.project(axes: parts[1].split(separator: ",").map { Int($0)! })
            case "scale": result = h.scaled(by: Double(parts[1])!)
            case "add": result = h + h
            case "slice": result = try h.slice(axis: Int(parts[1])!, from: .index(Int(parts[2])!), to: .index(Int(parts[3])!))
            case "rebin": result = try h.rebinned(axis: Int(parts[1])!, by: Int(parts[2])!)
            case "select":
                let k = Int(parts[1])!
                let value: AxisValue
                switch h.axes[k] {
                case .strCategory: value = .string(parts[2])
                case .intCategory: value = .int(Int(parts[2])!)
                default: value = .double(Double(parts[2])!)
                }
                result = try h.selecting(axis: k, .loc(value))
            default: throw CocoaError(.featureUnsupported)
            }
            out.append((fileName(c.name, op), result.uhiJSON.text))
        }
        return out
    }

    static func json(_ column: FillColumn) -> JSONValue {
        switch column {
        case .real(let v): .array(v.map { .number($0) })
        case .int(let v): .array(v.map { .integer(Int64($0)) })
        case .string(let v): .array(v.map { .string($0) })
        case .bool(let v): .array(v.map { .bool($0) })
        }
    }

    @Test func kaonMatchesBoostHistogram() throws {
        let data = Self.makeData()
        // KAON_HIST_OUT keeps the files (crosschecks/peers/test_hist.py reads them); otherwise a temp dir.
        let out = try OutputDirectory(environment: "KAON_HIST_OUT", name: "hist-peers")
        let dir = URL(fileURLWithPath: out.path)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("kaon"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("kaon"), withIntermediateDirectories: true)
        defer { out.removeUnlessKept() }

        let dataJSON = JSONValue.object(data.keys.sorted().map { ($0, Self.json(data[$0]!)) })
        try dataJSON.text.write(to: dir.appendingPathComponent("data.json"), atomically: true, encoding: .utf8)
        var caseList: [JSONValue] = []
        for c in Self.cases {
            let files: [(String, String)]
            let initial: JSONValue
            switch c.storage {
            case "int": files = try Self.run(Int64Storage.self, c, data); initial = Histogram<Int64Storage>(axes: c.axes).uhiJSON
            case "double": files = try Self.run(DoubleStorage.self, c, data); initial = Histogram<DoubleStorage>(axes: c.axes).uhiJSON
            case "weighted": files = try Self.run(WeightStorage.self, c, data); initial = Histogram<WeightStorage>(axes: c.axes).uhiJSON
            case "mean": files = try Self.run(MeanStorage.self, c, data); initial = Histogram<MeanStorage>(axes: c.axes).uhiJSON
            default: files = try Self.run(WeightedMeanStorage.self, c, data); initial = Histogram<WeightedMeanStorage>(axes: c.axes).uhiJSON
            }
            for (name, text) in files {
                try text.write(to: dir.appendingPathComponent("kaon/\(name).json"), atomically: true, encoding: .utf8)
            }
            var members: [(String, JSONValue)] = [
                ("name", .string(c.name)), ("initial", initial),
                ("columns", .array(c.columns.map { .object([("kind", .string($0.0)), ("data", .string($0.1))]) })),
                ("ops", .array(c.ops.map { .string($0) })),
            ]
            if let w = c.weights { members.append(("weights", .string(w))) }
            if let s = c.samples { members.append(("samples", .string(s))) }
            caseList.append(.object(members))
        }
        try JSONValue.array(caseList).text.write(to: dir.appendingPathComponent("cases.json"), atomically: true, encoding: .utf8)
        // Example renderings next to the data, for a person (or test_hist.py) to look at.
        var demo = Histogram<WeightStorage>(RegularAxis(bins: 40, lower: -0.2, upper: 1.2, metadata: .init(name: "x", label: "x [cm]")),
                                            metadata: .init(name: "demo", label: "Kaon peer-test data"))
        if case .real(let xs) = data["x"]!, case .real(let ws) = data["w_pos"]! { try demo.fill(column: xs, weights: ws) }
        try demo.svgPlot().write(to: dir.appendingPathComponent("example.svg"), atomically: true, encoding: .utf8)
        try demo.textPlot(width: 72, flow: true).write(to: dir.appendingPathComponent("example.txt"), atomically: true, encoding: .utf8)

        let run = try Peers.run("hist_reference.py", dir.path)
        #expect(run.status == 0, "\(run.failureMessage)")
        if run.succeeded { print(run.output) }
    }
}

extension Array {
    /// A fixed permutation (reverse-interleave) so columns pair specials differently without randomness.
    func shuffledDeterministically() -> [Element] {
        let evens = stride(from: 0, to: count, by: 2).map { self[$0] }
        let odds = stride(from: 1, to: count, by: 2).map { self[$0] }
        return odds.reversed() + evens
    }
}
