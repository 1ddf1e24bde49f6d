import KaonEngine
import KaonHist
import KaonNano
import KaonTestSupport
import Testing

/// The README's Swift tour, run on the ADL sample so that the README stays true.
@Suite struct ReadmeTourTests {
    let path = sharedData + "/adl/Run2012B_SingleMu_1000.root"

    @Test func objectViewSnippet() throws {
        var hardMuons = 0
        var oppositePairs = 0
        var massSum = 0.0
        let events = try Events(path: path)
        try events.forEachEvent { event in
            for muon in event.muons where muon.pt > 30 {
                hardMuons += 1
                if let jet = muon.matchedJet, jet.btag > 0.5 { _ = jet }
            }
            for (mu1, mu2) in event.muons.pairs() where mu1.charge != mu2.charge {
                massSum += (mu1.p4 + mu2.p4).mass
                oppositePairs += 1
            }
        }
        #expect(hardMuons > 0 && oppositePairs > 0 && massSum > 0)
    }

    struct Fill: Accumulator, Sendable {
        var h: Histogram<WeightStorage>
        mutating func merge(_ o: Fill) { h += o.h }
    }

    @Test func engineSnippet() throws {
        let items = try Dataset(files: [path], tree: "Events").workItems()
        let met = Histogram<WeightStorage>(axes: [.regular(RegularAxis(bins: 50, lower: 0, upper: 200))])
        let result = try Executor.run(items, options: RunOptions(threads: 2, progress: false),
                                      makeAccumulator: { Fill(h: met) }) { acc, block in
            let values = try block.column("MET_pt").values(as: Float.self).map(Double.init)
            try acc.h.fill(column: values)
        }
        #expect(result.value.h.sum(flow: true).value == 1000)
        #expect(!result.value.h.textPlot().isEmpty)
    }
}
