import KaonAnalysis
import KaonIO
import KaonTestSupport
import Testing

/// The engine's histograms, cut flows, counts, sums and takes on the real files equal those of
/// uproot + awkward + vector + boost-histogram for the same graph (crosschecks/peers/analysis_reference.py),
/// for 1 and 2 threads and several block sizes, for data and MC, nominal and every variation.
@Suite(.serialized) struct AnalysisPeerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String, trigger: String, weightMode: String
        var testDescription: String { "\(file.split(separator: "/").last!)" }
    }

    static let cases = [
        Case(file: TestGraph.adl, trigger: "IsoMu24", weightMode: "met"),
        Case(file: TestGraph.nano, trigger: "IsoMu18", weightMode: "genWeight"),
    ]

    static func reference(_ c: Case) throws -> JSONValue {
        let run = try Peers.run("analysis_reference.py", c.file, c.trigger, c.weightMode, "\(TestGraph.mcNormalisation)")
        guard run.succeeded else { throw KaonError(.usage, run.failureMessage) }
        return try JSONValue.parse(run.output)
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    @Test(arguments: cases)
    func matchesPeerForEveryThreadCountAndBlockSize(_ c: Case) throws {
        let reference = try Self.reference(c)
        let samples = try TestGraph.samples(file: c.file)
        var first: AnalysisResults?
        for threads in [1, 2] {
            for blockSize in [137, 1000, 100_000] {
                let analysis = try TestGraph.make(trigger: c.trigger, weightMode: c.weightMode)
                let results = try analysis.run(samples: samples, blockSize: blockSize,
                                               options: RunOptions(threads: threads, progress: false))
                try compare(results, reference, label: "\(threads) threads, block \(blockSize)")
                // Identical whatever the threads and blocks: every histogram bit for bit.
                if let first {
                    for sample in ["data", "mc"] {
                        for v in try results.variations(sample: sample) {
                            for name in results.histogramNames {
                                #expect(try results.histogram(name, sample: sample, variation: v)
                                        == first.histogram(name, sample: sample, variation: v))
                            }
                            #expect(try results.cutFlow(sample: sample, variation: v) == first.cutFlow(sample: sample, variation: v))
                        }
                    }
                } else {
                    first = results
                }
            }
        }
    }

    func compare(_ results: AnalysisResults, _ reference: JSONValue, label: String) throws {
        for sample in ["data", "mc"] {
            let variations = try #require(reference[sample]?["variations"])
            guard case .object(let members) = variations else { Issue.record("bad reference"); return }
            #expect(try results.variations(sample: sample).sorted() == members.map(\.0).sorted(), "\(label)")
            for (variation, expected) in members {
                let where_ = "\(sample)/\(variation) (\(label))"
                for name in ["mll", "muonPt", "met", "jetPt", "leadJet"] {
                    let h = try results.histogram(name, sample: sample, variation: variation)
                    let values = try #require(expected["hist"]?[name]?["values"]?.array).map { $0.number! }
                    let variances = try #require(expected["hist"]?[name]?["variances"]?.array).map { $0.number! }
                    let cells = h.bins
                    #expect(cells.count == values.count, "\(name) \(where_)")
                    let valueMismatch = zip(cells, values).enumerated().first { !Self.close($1.0.value, $1.1) }
                    let varianceMismatch = zip(cells, variances).enumerated().first { !Self.close($1.0.variance, $1.1) }
                    #expect(valueMismatch == nil, "\(name) \(where_): cell \(valueMismatch.map { "\($0.offset): \($0.element.0.value) vs \($0.element.1)" } ?? "")")
                    #expect(varianceMismatch == nil, "\(name) \(where_): variance cell \(varianceMismatch?.offset ?? -1)")
                }
                let flow = try results.cutFlow(sample: sample, variation: variation)
                let rows = try #require(expected["cutflow"]?.array)
                #expect(flow.rows.map(\.name) == ["all", "trigger", "genWeight", "muonSF", "twoMuons", "oppositeSign", "twoJets"])
                for (row, ref) in zip(flow.rows, rows) {
                    #expect(row.raw == Int(ref[0]!.integer!), "cut flow \(row.name) raw \(where_)")
                    #expect(Self.close(row.weighted, ref[1]!.number!), "cut flow \(row.name) weighted \(row.weighted) vs \(ref[1]!.number!) \(where_)")
                }
                #expect(try results.count("nOS", sample: sample, variation: variation) == Int(expected["nOS"]![0]!.integer!))
                #expect(Self.close(try results.weightedCount("nOS", sample: sample, variation: variation), expected["nOS"]![1]!.number!))
                #expect(Self.close(try results.sum("sumMll", sample: sample, variation: variation), expected["sumMll"]!.number!),
                        "sumMll \(where_)")
                if variation == "nominal" {
                    let events = try results.take("events", sample: sample, as: Int.self)
                    #expect(events == expected["events"]!.array!.map { Int($0.integer!) }, "take \(where_)")
                }
            }
        }
    }
}
