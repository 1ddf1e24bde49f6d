import KaonADL
import KaonEngine
import KaonROOT
import KaonTree
import Testing

/// The default work items of `ADLAnalysis.run` must be whole clusters: a cluster cut in two is
/// decompressed by both halves (it made the 1M-event benchmark decompress nearly twice).
@Suite("ADL block size")
struct BlockSizeTests {
    @Test("the default block size covers the longest cluster, so no work item cuts one")
    func wholeClusters() throws {
        let clusters = try Tree(file: ROOTFile(path: adlFile), path: "Events").clusters
        let longest = try #require(clusters.map(\.count).max())
        // A small minimum must grow to the longest cluster; a large one is kept.
        #expect(try ADLAnalysis.wholeClusterBlockSize(files: [adlFile], tree: "Events", atLeast: 10) == max(10, longest))
        #expect(try ADLAnalysis.wholeClusterBlockSize(files: [adlFile], tree: "Events", atLeast: 1_000_000) == 1_000_000)
        let size = try ADLAnalysis.wholeClusterBlockSize(files: [adlFile, adlFile], tree: "Events", atLeast: 10)
        let items = try Dataset(files: [adlFile], tree: "Events").workItems(blockSize: size)
        let boundaries = Set(clusters.flatMap { [$0.lowerBound, $0.upperBound] })
        for item in items {
            #expect(boundaries.contains(item.entries.lowerBound) && boundaries.contains(item.entries.upperBound), "\(item.entries)")
        }
    }
}
