import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// Request planning at the tree level: `Tree.prefetch` reads every basket of several branches
/// in one vectored read, and reading the branches from what it fetched needs no further read
/// and gives the same columns as reading them directly (whose values are checked against
/// uproot elsewhere).
@Suite struct PrefetchedBasketsTests {
    static let path = sharedData + "/adl/Run2012B_SingleMu_1000.root"

    /// A local file that counts vectored reads.
    final class CountingSource: ByteSource, @unchecked Sendable {
        let file: LocalFileSource
        private(set) var calls = 0
        init(path: String) throws { file = try LocalFileSource(path: path) }
        var name: String { file.name }
        var size: Int { file.size }
        func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
            calls += 1
            return try file.read(ranges)
        }
    }

    @Test(arguments: [0..<1000, 100..<350])
    func prefetchedBranchesNeedNoFurtherReadAndEqualDirectReads(entries: Range<Int>) throws {
        let source = try CountingSource(path: Self.path)
        let tree = try Tree(file: ROOTFile(source: source), path: "Events")
        let names = ["nMuon", "Muon_pt", "Muon_charge", "Jet_pt", "MET_pt"]
        let branches = try names.map { try tree.branch($0) }
        let before = source.calls
        let baskets = try tree.prefetch(branches, entries: entries)
        #expect(source.calls == before + 1)
        #expect(baskets.branchPaths == Set(names))
        let planned = try branches.map { try tree.read($0, entries: entries, prefetched: baskets) }
        #expect(source.calls == before + 1)
        let direct = try branches.map { try tree.read($0, entries: entries) }
        #expect(source.calls == before + 1 + names.count)
        for (a, b) in zip(planned, direct) {
            #expect(a.entryCount == entries.count)
            #expect(a.offsets == b.offsets)
            guard case .primitive(let typeA, let bytesA) = a.values, case .primitive(let typeB, let bytesB) = b.values else {
                Issue.record("\(a.branch ?? "?") is not primitive"); continue
            }
            #expect(typeA == typeB && bytesA == bytesB, "\(a.branch ?? "?")")
        }
    }

    @Test func aBranchNotPrefetchedIsReadFromTheSource() throws {
        let source = try CountingSource(path: Self.path)
        let tree = try Tree(file: ROOTFile(source: source), path: "Events")
        let baskets = try tree.prefetch([tree.branch("nMuon")], entries: 0..<1000)
        let before = source.calls
        let pt = try tree.read(tree.branch("Muon_pt"), entries: 0..<1000, prefetched: baskets)
        #expect(source.calls == before + 1)
        #expect(try pt.values(as: Float.self) == tree.read(tree.branch("Muon_pt")).values(as: Float.self))
    }

    @Test func basketsByClusterHoldsEveryBasketOnce() throws {
        let tree = try Tree(file: ROOTFile(path: Self.path), path: "Events")
        let branches = tree.dataBranches
        let groups = tree.basketsByCluster(branches)
        #expect(groups.count <= max(1, tree.clusters.count))
        #expect(groups.reduce(0) { $0 + $1.count } == branches.reduce(0) { $0 + $1.basketCount })
    }
}
