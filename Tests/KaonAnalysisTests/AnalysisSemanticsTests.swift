import KaonAnalysis
import KaonIO
import KaonTestSupport
import Foundation
import Synchronization
import Testing

/// Normalisation, variations, merging and errors, checked against hand-computed expectations.
@Suite struct AnalysisSemanticsTests {
    static func run(blockSize: Int = 1000, threads: Int = 1) throws -> AnalysisResults {
        try TestGraph.make(trigger: "IsoMu24", weightMode: "met")
            .run(samples: TestGraph.samples(file: TestGraph.adl), blockSize: blockSize, options: RunOptions(threads: threads, progress: false))
    }

    @Test func normalisationAndMCOnlyWeights() throws {
        let results = try Self.run()
        let data = try results.cutFlow(sample: "data"), mc = try results.cutFlow(sample: "mc")
        // MC is scaled by luminosity × cross-section / generated events = 10 × 2 / 500.
        #expect(results.samples.first { $0.name == "mc" }?.normalisation == 0.04)
        #expect(mc.rows[0].raw == 1000 && mc.rows[0].weighted == 1000 * 0.04)
        #expect(data.rows[0].weighted == 1000)
        // The mcOnly weight is 1 for data: its row keeps the trigger row's weighted count.
        #expect(data.rows[2].weighted == Double(data.rows[1].raw))
        // Raw counts are the same for data and MC (same file), never scaled.
        #expect(data.rows.map(\.raw) == mc.rows.map(\.raw))
        #expect(data.rows[1].efficiencyVsPrevious == Double(data.rows[1].raw) / 1000)
        #expect(try results.variations(sample: "data") == ["nominal"])
        #expect(try results.variations(sample: "mc") == ["nominal", "jesUp", "jesDown", "muonSFUp", "muonSFDown"])
    }

    @Test func variationsChangeOnlyWhatDependsOnThem() throws {
        let results = try Self.run()
        // MET does not depend on jets: identical under jes; the muon SF changes its weights only.
        let met = try results.histogram("met", sample: "mc")
        #expect(try results.histogram("met", sample: "mc", variation: "jesUp") == met)
        let metSFDown = try results.histogram("met", sample: "mc", variation: "muonSFDown")
        #expect(metSFDown.bins.map(\.value).reduce(0, +) < met.bins.map(\.value).reduce(0, +))
        #expect(try results.entries("met", sample: "mc", variation: "muonSFDown") == results.entries("met", sample: "mc"))
        // Jet pt scaled by 1.03: the twoJets cut passes more events, and the cut flow says so.
        let up = try results.cutFlow(sample: "mc", variation: "jesUp"), nominal = try results.cutFlow(sample: "mc")
        #expect(up.rows[6].raw > nominal.rows[6].raw)
        #expect(up.rows[..<6].map(\.raw) == nominal.rows[..<6].map(\.raw))
        #expect(try results.histogram("jetPt", sample: "mc", variation: "jesUp") != results.histogram("jetPt", sample: "mc"))
        // A weight variation never changes raw counts.
        #expect(try results.cutFlow(sample: "mc", variation: "muonSFUp").rows.map(\.raw) == nominal.rows.map(\.raw))
    }

    @Test func variationsAsACategoryAxis() throws {
        let results = try Self.run()
        let h = try results.histogramWithVariations("jetPt", sample: "mc")
        #expect(h.rank == 2 && h.axes[1].size == 5)
        for variation in try results.variations(sample: "mc") {
            let slice = try h.selecting("variation", .string(variation))
            #expect(slice.bins == (try results.histogram("jetPt", sample: "mc", variation: variation)).bins, "\(variation)")
        }
    }

    @Test func serializedHalvesMergeToTheFullRunBitForBit() throws {
        let samples = try TestGraph.samples(file: TestGraph.adl)
        let analysis = try TestGraph.make(trigger: "IsoMu24", weightMode: "met")
        // The file's one 1000-entry cluster is cut into parts of ≤ 4 × 50 entries.
        let items = try analysis.workItems(samples: samples, blockSize: 50)
        #expect(items.count >= 4)
        let full = try analysis.run(workItems: items, samples: samples, options: RunOptions(threads: 2, progress: false))
        let half = items.count / 2
        let first = try analysis.run(workItems: Array(items[..<half]), samples: samples, options: RunOptions(progress: false))
        let second = try analysis.run(workItems: Array(items[half...]), samples: samples, options: RunOptions(progress: false))
        var merged = try AnalysisResults(serialized: first.serialized())
        try merged.merge(AnalysisResults(serialized: second.serialized()))
        for sample in ["data", "mc"] {
            for v in try full.variations(sample: sample) {
                for name in full.histogramNames {
                    #expect(try merged.histogram(name, sample: sample, variation: v) == full.histogram(name, sample: sample, variation: v))
                }
                #expect(try merged.cutFlow(sample: sample, variation: v) == full.cutFlow(sample: sample, variation: v))
                #expect(try merged.sum("sumMll", sample: sample, variation: v) == full.sum("sumMll", sample: sample, variation: v))
            }
            #expect(try merged.take("events", sample: sample, as: Int.self) == full.take("events", sample: sample, as: Int.self))
        }
        #expect(merged.summary.entries == full.summary.entries)
        // Round trip: the same bytes again.
        let bytes = try full.serialized()
        #expect(try AnalysisResults(serialized: bytes).serialized() == bytes)
        // Corrupt bytes are refused with an error, not a crash.
        #expect(throws: KaonError.self) { try AnalysisResults(serialized: Array(bytes[..<(bytes.count / 2)])) }
        #expect(throws: KaonError.self) { try AnalysisResults(serialized: Array("not results".utf8)) }
    }

    @Test func bookingAfterRunIsAnError() throws {
        let analysis = Analysis("late")
        let n = try analysis.all.count("n")
        let results = try analysis.run(dataset: Dataset(files: [TestGraph.nano], tree: "Events"), sample: "tt", isMC: false,
                                       options: RunOptions(progress: false))
        #expect(try results[n, sample: "tt"] == 200)
        #expect { try analysis.all.count("late") } throws: {
            "\($0)".contains("booked after analysis 'late' started running")
        }
    }

    @Test func duplicateNamesAreErrors() throws {
        let analysis = Analysis("dup")
        try analysis.all.count("n")
        #expect(throws: KaonError.self) { try analysis.all.count("n") }
    }

    @Test func missingBranchNamesBranchAndFile() throws {
        let analysis = Analysis("missing")
        try analysis.all.histogram("x", RegularAxis(10, 0, 1)) { Double($0["NoSuchBranch", as: Float.self]) }
        #expect { try analysis.run(dataset: Dataset(files: [TestGraph.adl], tree: "Events"), sample: "d", isMC: false,
                                   options: RunOptions(progress: false)) } throws: { error in
            guard let error = error as? KaonError else { return false }
            return "\(error)".contains("NoSuchBranch") && "\(error)".contains("Run2012B_SingleMu_1000.root")
        }
    }

    @Test func definitionsAreComputedOncePerEventAndVariation() throws {
        let calls = Counter()
        let analysis = Analysis("cache")
        try analysis.vary("jes", branch: "Jet_pt", up: { $0 * 1.1 }, down: { $0 * 0.9 })
        let nJets = try analysis.define("nJets") { (e: Event) -> Int in calls.increment(); return e.jets.count }
        let some = try analysis.all.filter("some") { $0[nJets] >= 0 }
        try some.histogram("nJets", RegularAxis(10, 0, 10)) { Double($0[nJets]) }
        try some.sum("nJetsSum") { Double($0[nJets]) }
        let results = try analysis.run(dataset: Dataset(files: [TestGraph.nano], tree: "Events"), sample: "tt", isMC: true,
                                       options: RunOptions(progress: false))
        // 200 events × (nominal + jesUp + jesDown), although three places read it.
        #expect(calls.value == 600)
        #expect(try results.histogram("nJets", sample: "tt", variation: "jesUp").bins.map(\.value).reduce(0, +) == 200)
    }

    @Test func histogramsOverAnyAxesAgreeWithTheCutFlow() throws {
        let analysis = Analysis("axes")
        let trigger = try analysis.all.filter("trigger") { $0.hlt("IsoMu24") }
        _ = try trigger.filter("twoMuons") { $0.muons.count >= 2 }
        try analysis.all.histogram("triggerVsMuons", axes: [BooleanAxis().erased, IntegerAxis(lower: 0, upper: 2, overflow: true).erased]) { e in
            [.bool(e.hlt("IsoMu24")), .int(min(e.muons.count, 2))]
        }
        let results = try analysis.run(dataset: Dataset(files: [TestGraph.adl], tree: "Events"), sample: "d", isMC: false,
                                       options: RunOptions(progress: false))
        let h = try results.histogram("triggerVsMuons", sample: "d")
        let flow = try results.cutFlow(sample: "d")
        // Booleans: [false, true]; integers 0, 1 and the overflow bin (2 or more muons), after an underflow bin.
        let passed: [Double] = (0..<4).map { h.bins[4 + $0].value }
        let failed: [Double] = (0..<4).map { h.bins[$0].value }
        let passedTotal = passed.reduce(0, +), failedTotal = failed.reduce(0, +)
        #expect(passedTotal == Double(flow.rows[1].raw))
        #expect(passedTotal + failedTotal == 1000)
        #expect(passed[3] == Double(flow.rows[2].raw))
    }

    @Test func cutFlowRenderings() throws {
        let results = try Self.run()
        let table = results.cutFlowTable()
        #expect(table.contains("cut flow of mc") && table.contains("oppositeSign"))
        #expect(results.cutFlowTable(.markdown).contains("| selection | raw | weighted |"))
        let json = try JSONValue.parse(results.cutFlowTable(.json))
        #expect(json["data"]?["rows"]?[1]?["name"]?.string == "trigger")
        #expect(json["data"]?["rows"]?[1]?["raw"]?.integer == 630)
    }

    @Test(arguments: [
        [1e16, 1, -1e16], [0.1, 0.2, 0.3, -0.6], [1e-300, 1e300, -1e300, 3e-310], [-5, 2.5, 2.5], [.infinity, 1],
    ])
    func exactSumsAreExactlyRounded(_ terms: [Double]) throws {
        var sum = ExactSum()
        for t in terms { sum.add(t) }
        let fsum = try Self.fsum(terms)
        #expect(sum.value == fsum || (sum.value.isNaN && fsum.isNaN), "\(terms): \(sum.value) vs math.fsum \(fsum)")
    }

    @Test func exactSumOfManyRandomWeightsMatchesFsum() throws {
        var rng = SplitMix64(state: 7)
        var terms: [Double] = []
        var sum = ExactSum()
        for _ in 0..<2000 {
            let mantissa = Double(rng.next() >> 11) / Double(1 << 53)
            let exponent = Int(rng.next() % 80) - 40
            let t = (rng.next() & 1 == 0 ? 1 : -1) * mantissa * Double(sign: .plus, exponent: exponent, significand: 1)
            terms.append(t)
            sum.add(t)
        }
        var split = ExactSum(), other = ExactSum()
        for t in terms[..<700] { split.add(t) }
        for t in terms[700...] { other.add(t) }
        split.add(other)
        #expect(split.value == sum.value)
        #expect(sum.value == (try Self.fsum(terms)))
    }
}

extension AnalysisSemanticsTests {
    /// Python's `math.fsum`: the correctly rounded sum, the peer of ``ExactSum``.
    static func fsum(_ terms: [Double]) throws -> Double {
        let path = temporaryPath("fsum-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OutputFile.write(terms.map { "\($0)" }.joined(separator: "\n"), to: path)
        let run = try Peers.run(code: "import math, sys; print(repr(math.fsum(float(x) for x in open(sys.argv[1]).read().split())))", path)
        guard run.succeeded, let value = Double(run.output.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "inf", with: "infinity")) else { throw KaonError(.usage, run.failureMessage) }
        return value
    }
}

/// A thread-safe call counter for the caching test.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
