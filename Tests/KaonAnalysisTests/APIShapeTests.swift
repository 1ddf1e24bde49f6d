import KaonAnalysis
import KaonTestSupport
import Testing

/// The API exactly as the engine's brief (issue 5) spells it, end to end on the real NanoAOD
/// file as an MC sample "DY" and a data sample: a compile-time guard for code written against it.
@Suite struct APIShapeTests {
    @Test func theDocumentedExampleRuns() throws {
        let analysis = Analysis("dimuon")
        try analysis.vary("jes", branch: "Jet_pt", up: { $0 * 1.03 }, down: { $0 * 0.97 })
        let goodMuons = try analysis.define("goodMuons") { (event: Event) -> [Muon] in
            event.muons.filter { $0.pt > 5 }   // this file has no tight muons
        }
        let trigger = try analysis.all.filter("trigger") { $0.hlt("IsoMu18") }
        let weighted = try trigger.weight("genWeight", mcOnly: true) { Double($0["genWeight", as: Float.self]) }
        let muonSF = try weighted.weight("muonSF", { _ in 1.0 }, up: { _ in 1.02 }, down: { _ in 0.98 })
        let oneMuon = try muonSF.filter("oneMuon") { event in event[goodMuons].count >= 1 }
        let os = try oneMuon.filter("central") { e in let m = e[goodMuons]; return abs(m[0].eta) < 2.1 }
        let muonEta = try os.histogram("muonEta", RegularAxis(10, -2.5, 2.5, label: "η")) { e -> Double? in Double(e[goodMuons][0].eta) }
        try os.histogram("muonPt", RegularAxis(50, 0, 200)) { e, fill in for m in e[goodMuons] { fill(Double(m.pt)) } }
        let ptEta = try os.histogram2D("ptEta", RegularAxis(20, 0, 200), RegularAxis(10, -2.5, 2.5)) { e -> (Double, Double)? in
            let m = e[goodMuons][0]; return (Double(m.pt), Double(m.eta))
        }
        let nEvents = try os.count("nEvents")
        try os.sum("sumPt") { e in Double(e[goodMuons][0].pt) }
        let runs = try os.take("runs") { e in Int(e.run) }

        let sampleSet = try SampleSet(yaml: """
        luminosity: 100
        samples:
          DY: {files: [\(TestGraph.nano)], type: mc, cross-section: 5, sum-of-weights-from: {tree: Events, branch: genWeight}}
          data: {files: [\(TestGraph.nano)], type: data}
        """)
        let results = try analysis.run(samples: sampleSet, options: RunOptions(threads: 2, progress: false))
        let h: Histogram<WeightStorage> = try results[muonEta, sample: "DY", variation: "nominal"]
        let flow: CutFlow = try results.cutFlow(sample: "DY")
        #expect(flow.rows.map(\.name) == ["all", "trigger", "genWeight", "muonSF", "oneMuon", "central"])
        #expect(flow.rows[5].raw > 0)
        // Normalised MC: the `all` row is 200 events × 100 × 5 / Σ genWeight.
        let norm = try #require(results.samples.first { $0.name == "DY" }).normalisation
        #expect(flow.rows[0].weighted == 200 * norm)
        #expect(try results[nEvents, sample: "DY"] == flow.rows[5].raw)
        #expect(abs(h.bins.map(\.value).reduce(0, +) - flow.rows[5].weighted) <= 1e-9 * abs(flow.rows[5].weighted))
        #expect(try results[runs, sample: "data"].count == flow.rows[5].raw)
        let up = try results[muonEta, sample: "DY", variation: "muonSFUp"].bins.map(\.value).reduce(0, +)
        let nominal = h.bins.map(\.value).reduce(0, +)
        #expect(abs(up - nominal * 1.02) <= 1e-9 * abs(nominal))  // the SF factor replaced by 1.02
        print(results.cutFlowTable())
        let directory = try OutputDirectory(environment: "KAON_API_OUTPUT", name: "api-shape")
        defer { directory.removeUnlessKept() }
        try results.writeROOT(to: directory.path + "/results.root")
        try results.writeUHI(to: directory.path + "/results.json")
        let items = try analysis.workItems(samples: sampleSet, blockSize: 100)
        let partial = try analysis.run(workItems: Array(items.prefix(1)), samples: sampleSet, options: RunOptions(progress: false))
        let other = try analysis.run(workItems: Array(items.dropFirst()), samples: sampleSet, options: RunOptions(progress: false))
        let bytes = try partial.serialized()
        var r = try AnalysisResults(serialized: bytes)
        try r.merge(other)
        #expect(try r.histogram("ptEta", sample: "DY", variation: "jesUp") == results[ptEta, sample: "DY", variation: "jesUp"])
        #expect(try r.cutFlow(sample: "data") == results.cutFlow(sample: "data"))
        print(results.summary)
        _ = try analysis.run(dataset: Dataset(files: [TestGraph.nano], tree: "Events"), sample: "data", isMC: false,
                             options: RunOptions(progress: false))
    }
}
