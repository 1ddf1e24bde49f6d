import KaonHist
import KaonNano
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// What the documents' snippets compute, checked against the columns read directly. The
/// snippets themselves are compiled from the documents (their generated functions are named
/// by `<!-- snippet: name … -->` there); GeneratedSnippetTests runs every whole program.
@Suite struct SnippetValueTests {
    static let adlPath = sharedData + "/adl/Run2012B_SingleMu_1000.root"

    /// KaonNano.docc/ObjectLifetimes.md, "Keeping objects": the leading muon of each event,
    /// kept past its loop, still reads its own pt and isolation.
    @Test func keptMuonsReadTheirOwnValues() throws {
        let (pts, isolation) = try keepingObjects(events: Events(path: Self.adlPath))
        let tree = try Tree(file: ROOTFile(path: Self.adlPath), path: "Events")
        let pt = try tree.jagged("Muon_pt", as: Float.self), iso = try tree.jagged("Muon_pfRelIso04_all", as: Float.self)
        var expectedPt: [Float] = [], expectedIso: [Float] = []
        for entry in 0..<tree.entries {
            let p = Array(pt[entry]), i = Array(iso[entry])
            guard let best = p.indices.max(by: { p[$0] < p[$1] }) else { continue }
            expectedPt.append(p[best])
            expectedIso.append(i[best])
        }
        #expect(!pts.isEmpty)
        #expect(pts == expectedPt)
        #expect(isolation == expectedIso)
    }

    /// README, the object-view tour: one mass per opposite-charge muon pair, in event order,
    /// as the columnar kernels compute them from the same branches.
    @Test func tourFindsEveryOppositeChargePair() async throws {
        let directory = try SnippetDirectory.prepare()
        defer { SnippetDirectory.remove(directory) }
        await #expect(processExitsWith: .success) { [directory = directory as String] in
            await SnippetProcess.run(in: directory) {
                let masses = try readmeTour()
                let tree = try Tree(file: ROOTFile(path: SnippetValueTests.adlPath), path: "Events")
                let muons = try tree.p4("Muon")
                let charge = try tree.jagged("Muon_charge", as: Int32.self)
                let pairs = muons.pt.argcombinations(2)
                let opposite = pairs.values(slot: 0, of: charge).zipMap(pairs.values(slot: 1, of: charge)) { $0 != $1 }
                let expected = muons.mass(over: pairs[opposite]).values
                SnippetProcess.require(!expected.isEmpty && masses.count == expected.count,
                                       "the tour found \(masses.count) opposite-charge pairs, the columns \(expected.count)")
                for (mass, reference) in zip(masses, expected) {
                    SnippetProcess.require(abs(mass - reference) <= 1e-9 * max(1, abs(reference)),
                                           "a pair's mass is \(mass) in the tour, \(reference) from the columns")
                }
            }
        }
        SnippetProcess.report(directory, "README.md, the object-view tour")
    }

    /// README, the parallel pass: every event of `data/*.root` lands in the MET histogram
    /// (flow bins included), once.
    @Test func parallelPassFillsEveryEventOnce() async throws {
        let directory = try SnippetDirectory.prepare()
        defer { SnippetDirectory.remove(directory) }
        await #expect(processExitsWith: .success) { [directory = directory as String] in
            await SnippetProcess.run(in: directory) {
                let histogram = try readmeParallelPass()
                let sum = histogram.sum(flow: true).value
                SnippetProcess.require(sum == Double(SnippetDirectory.dataEntries),
                                       "the MET histogram holds \(sum) events, not \(SnippetDirectory.dataEntries)")
                SnippetProcess.require(!histogram.textPlot().isEmpty, "the MET histogram's text plot is empty")
            }
        }
        SnippetProcess.report(directory, "README.md, the parallel pass")
    }
}
