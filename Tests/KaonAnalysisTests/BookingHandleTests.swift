import Foundation
import KaonAnalysis
import KaonIO
import KaonTestSupport
import Testing

/// Booked results come back through typed handles, and a refused booking throws at its own
/// line and leaves the graph as it was. Values are checked against uproot + boost-histogram.
@Suite struct BookingHandleTests {
    /// Events with at least two muons in the ADL file, as uproot reads them: their count,
    /// `math.fsum` of their MET_pt, their event numbers, and boost-histogram's 20 × [0, 200)
    /// MET_pt histogram with flow bins.
    static let peerCode = """
        import json, math, sys, uproot, numpy as np, boost_histogram as bh
        t = uproot.open(sys.argv[1])["Events"].arrays(["nMuon", "MET_pt", "event"], library="np")
        keep = t["nMuon"] >= 2
        met = t["MET_pt"][keep].astype(np.float64)
        h = bh.Histogram(bh.axis.Regular(20, 0, 200)); h.fill(met)
        print(json.dumps({"count": int(keep.sum()), "sum": math.fsum(met), "events": [int(e) for e in t["event"][keep]],
                          "met": h.values(flow=True).tolist()}))
        """

    /// The small graph the handle tests read: a two-muon selection with one result of each kind.
    struct Graph {
        let analysis = Analysis("handles")
        let twoMuons: Selection
        let met: Booked<Histogram<WeightStorage>>
        let n: Booked<Int>
        let sumMET: Booked<Double>
        let events: Booked<[Int]>

        init() throws {
            twoMuons = try analysis.all.filter("twoMuons") { $0.muons.count >= 2 }
            met = try twoMuons.histogram("met", RegularAxis(20, 0, 200)) { Double($0.met.pt) }
            n = try twoMuons.count("n")
            sumMET = try twoMuons.sum("sumMET") { Double($0.met.pt) }
            events = try twoMuons.take("events") { Int($0.event) }
        }

        func run(threads: Int = 2) throws -> AnalysisResults {
            try analysis.run(dataset: Dataset(files: [TestGraph.adl], tree: "Events"), sample: "data", isMC: false,
                             blockSize: 300, options: RunOptions(threads: threads, progress: false))
        }
    }

    @Test func handlesReadTypedValuesThatAgreeWithUproot() throws {
        let graph = try Graph()
        let results = try graph.run()
        let run = try Peers.run(code: Self.peerCode, TestGraph.adl)
        #expect(run.succeeded, "\(run.failureMessage)")
        let peer = try JSONValue.parse(String(try #require(run.output.split(separator: "\n").last)))

        let n: Int = try results[graph.n, sample: "data"]
        let sum: Double = try results[graph.sumMET, sample: "data"]
        let events: [Int] = try results[graph.events, sample: "data"]
        let met: Histogram<WeightStorage> = try results[graph.met, sample: "data"]
        #expect(n == peer["count"]?.integer.map(Int.init))
        #expect(try results.weightedCount(graph.n, sample: "data") == Double(n))  // data: weight 1
        #expect(sum == peer["sum"]?.number)
        #expect(events == peer["events"]?.array?.compactMap { $0.integer.map(Int.init) })
        #expect(met.values(flow: true) == peer["met"]?.array?.compactMap(\.number))
        #expect(try results.entries(graph.met, sample: "data") == n)
        #expect(try results[graph.met, sample: "data", variation: "nominal"] == results.histogram("met", sample: "data"))
        #expect(try results.histogramWithVariations(graph.met, sample: "data").values(flow: true).count
                == met.values(flow: true).count)  // data: "nominal" only, and the new axis has no flow bin
        #expect(graph.met.name == "met" && graph.events.name == "events")
    }

    @Test func aHandleIsRefusedByResultsOfAnotherAnalysisOrReadBackFromBytes() throws {
        let mine = try Graph(), other = try Graph()   // the same graph and names, another analysis
        let results = try other.run(threads: 1)
        #expect { try results[mine.n, sample: "data"] } throws: { error in
            guard let error = error as? KaonError else { return false }
            return "\(error)".contains("result 'n' was booked on analysis 'handles', not on the analysis")
        }
        #expect(throws: KaonError.self) { try results.weightedCount(mine.n, sample: "data") }
        #expect(throws: KaonError.self) { try results.entries(mine.met, sample: "data") }
        #expect(throws: KaonError.self) { try results.histogramWithVariations(mine.met, sample: "data") }

        let readBack = try AnalysisResults(serialized: try results.serialized())
        #expect { try readBack[other.n, sample: "data"] } throws: { "\($0)".contains("read them by name") }
        #expect(try readBack.count("n", sample: "data") == results[other.n, sample: "data"])

        // Two runs of one analysis (shares of its work items) merge into results that still
        // accept its handles.
        let samples = SampleSet(luminosity: 1, samples: [Sample(name: "data", files: [TestGraph.adl], isMC: false)])
        let items = try other.analysis.workItems(samples: samples, blockSize: 300)
        var merged = try other.analysis.run(workItems: Array(items.prefix(1)), samples: samples, options: RunOptions(progress: false))
        try merged.merge(other.analysis.run(workItems: Array(items.dropFirst()), samples: samples, options: RunOptions(progress: false)))
        #expect(try merged[other.events, sample: "data"] == results[other.events, sample: "data"])
        // A take holds nominal values only.
        #expect { try results[other.events, sample: "data", variation: "jesUp"] } throws: { "\($0)".contains("nominal values only") }
    }

    @Test func aRefusedSelectionThrowsAtItsLineAndLeavesTheGraphUnchanged() throws {
        let graph = try Graph()
        // A duplicate selection name: refused with the selection, its parent and the reason.
        #expect { try graph.twoMuons.filter("twoMuons") { $0.muons.count >= 3 } } throws: { error in
            guard let error = error as? KaonError else { return false }
            return "\(error)".contains("selection 'twoMuons' below 'twoMuons' is booked twice")
        }
        // An up without a down, and a variation called "nominal".
        #expect { try graph.analysis.all.weight("sf", { _ in 1 }, up: { _ in 2 }) } throws: {
            "\($0)".contains("weight 'sf' below 'all': give both up and down")
        }
        #expect { try graph.analysis.all.weight("nominal", { _ in 1 }, up: { _ in 2 }, down: { _ in 0.5 }) } throws: {
            "\($0)".contains("a variation needs a name other than 'nominal'")
        }
        #expect(throws: KaonError.self) { try graph.analysis.vary("nominal", branch: "Jet_pt", up: { $0 }, down: { $0 }) }
        // A result booked on a refused chain: the chain stops at the refused link, so nothing
        // reaches the root (before, it was booked there and its name taken).
        #expect(throws: KaonError.self) {
            try graph.analysis.all.filter("twoMuons") { _ in true }.count("onRefused")
        }
        // A refused result: a duplicate name, and axes the engine cannot merge.
        #expect { try graph.twoMuons.count("n") } throws: { "\($0)".contains("result 'n' on selection 'twoMuons' is booked twice") }
        #expect(throws: KaonError.self) {
            try graph.twoMuons.histogram("grown", RegularAxis(bins: 2, lower: 0, upper: 1, growth: true)) { _ in 0.5 }
        }

        // None of them left a trace: the cut flow, the results and their values are the graph's own.
        let results = try graph.run()
        #expect(try results.cutFlow(sample: "data").rows.map(\.name) == ["all", "twoMuons"])
        #expect(results.resultNames == ["met", "n", "sumMET", "events"])
        #expect(try results.variations(sample: "data") == ["nominal"])
        let flow = try results.cutFlow(sample: "data")
        #expect(try results[graph.n, sample: "data"] == flow.rows[1].raw)
        // The root row still counts every event: the refused "twoMuons" with `{ _ in true }` was not added.
        #expect(flow.rows[0].raw == 1000)
    }
}
