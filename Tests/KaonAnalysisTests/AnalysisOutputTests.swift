import KaonAnalysis
import KaonIO
import KaonTestSupport
import Testing

/// results.root read by uproot and by PyROOT, and results.json read by hist, hold exactly the
/// engine's histograms (crosschecks/peers/analysis_outputs.py). Set `KAON_ANALYSIS_OUTPUT` to keep the files.
@Suite struct AnalysisOutputTests {
    @Test func rootAndUHIFilesReadBackInThePeers() throws {
        let results = try TestGraph.make(trigger: "IsoMu24", weightMode: "met")
            .run(samples: TestGraph.samples(file: TestGraph.adl), options: RunOptions(threads: 2, progress: false))
        let directory = try OutputDirectory(environment: "KAON_ANALYSIS_OUTPUT", name: "analysis-output")
        defer { directory.removeUnlessKept() }
        let rootPath = directory.path + "/results.root", jsonPath = directory.path + "/results.json"
        try results.writeROOT(to: rootPath)
        try results.writeUHI(to: jsonPath)
        let run = try Peers.run("analysis_outputs.py", rootPath, jsonPath)
        try #require(run.succeeded, "\(run.failureMessage)")
        let peers = try JSONValue.parse(run.output.split(separator: "\n").last.map(String.init) ?? "")
        var checked = 0
        for sample in ["data", "mc"] {
            for variation in try results.variations(sample: sample) {
                for name in results.histogramNames {
                    let h = try results.histogram(name, sample: sample, variation: variation)
                    let path = sample + "/" + AnalysisResults.objectName(name, variation: variation)
                    // hist: the same row-major cells.
                    let fromHist = try #require(peers["hist"]?[path], "hist has no \(path)")
                    #expect(fromHist["values"]!.array!.map { $0.number! } == h.bins.map(\.value), "hist \(path)")
                    #expect(fromHist["variances"]!.array!.map { $0.number! } == h.bins.map(\.variance), "hist \(path)")
                    // ROOT readers: x fastest — transpose Kaon's row-major 2D cells.
                    let rootOrder = Self.rootOrder(h)
                    for reader in ["uproot", "pyroot"] {
                        let seen = try #require(peers[reader]?[path], "\(reader) has no \(path)")
                        #expect(seen["values"]!.array!.map { $0.number! } == rootOrder.map(\.value), "\(reader) \(path)")
                        #expect(seen["variances"]!.array!.map { $0.number! } == rootOrder.map(\.variance), "\(reader) \(path)")
                        #expect(seen["entries"]!.number! == Double(try results.entries(name, sample: sample, variation: variation)))
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == (1 + 5) * 5)
    }

    /// Cells in ROOT's global-bin order (x fastest); the test histograms have flow bins on every axis.
    static func rootOrder(_ h: Histogram<WeightStorage>) -> [WeightedSum] {
        guard h.rank == 2 else { return h.bins }
        let nx = h.axes[0].extent, ny = h.axes[1].extent
        return (0..<ny).flatMap { y in (0..<nx).map { x in h.bins[x * ny + y] } }
    }
}
