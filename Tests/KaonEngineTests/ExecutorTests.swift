import Foundation
import KaonEngine
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// The shared data folder beside the repository (`../shared`), as CI lays it out.
let sharedDataURL = URL(fileURLWithPath: sharedData)
let adlFile = sharedDataURL.appendingPathComponent("adl/Run2012B_SingleMu_1000.root").path

/// Counts accumulated over the ADL sample; integers so that sums are exact.
struct MuonCounts: Accumulator, Equatable {
    var events = 0
    var dimuonEvents = 0
    var hardMuons = 0
    var jets = 0

    mutating func merge(_ other: MuonCounts) {
        events += other.events
        dimuonEvents += other.dimuonEvents
        hardMuons += other.hardMuons
        jets += other.jets
    }
}

func countMuons(_ counts: inout MuonCounts, _ block: EventBlock) throws {
    let nMuon = try block.column("nMuon").values(as: UInt32.self)
    let pt = try block.column("Muon_pt").values(as: Float.self)
    let nJet = try block.column("nJet").values(as: UInt32.self)
    counts.events += block.count
    counts.dimuonEvents += nMuon.filter { $0 >= 2 }.count
    counts.hardMuons += pt.filter { $0 > 20 }.count
    counts.jets += nJet.reduce(0) { $0 + Int($1) }
}

@Suite struct ExecutorTests {
    // Expected values from crosschecks/references/engine_counts.py (uproot + awkward).
    let expected = MuonCounts(events: 1000, dimuonEvents: 234, hardMuons: 936, jets: 1699)

    @Test(arguments: [1, 2, 3], [64, 250, 1000, 100_000])
    func resultsDoNotDependOnThreadsOrBlocks(threads: Int, blockSize: Int) throws {
        try #require(FileManager.default.fileExists(atPath: adlFile), "shared data missing at \(adlFile)")
        let items = try Dataset(files: [adlFile], tree: "Events").workItems(blockSize: blockSize)
        #expect(items.map(\.entries.count).reduce(0, +) == 1000)
        let result = try Executor.run(items, options: RunOptions(threads: threads, progress: false),
                                      makeAccumulator: { MuonCounts() }, process: countMuons)
        #expect(result.value == expected)
        #expect(result.summary.entries == 1000)
        #expect(result.summary.bytesLoaded > 0)
    }

    @Test func blocksAreWholeClusters() {
        let clusters = [0..<100, 100..<200, 200..<700, 700..<750]
        // The 500-entry cluster stays whole (≤ 4 × 250): cutting it would decompress it twice.
        #expect(Dataset.blocks(clusters: clusters, blockSize: 250) == [0..<200, 200..<700, 700..<750])
        #expect(Dataset.blocks(clusters: clusters, blockSize: 10_000) == [0..<750])
        // ROOT's ~100k-entry clusters with the default block size: one block each.
        let root = [0..<103_740, 103_740..<207_480, 207_480..<250_000]
        #expect(Dataset.blocks(clusters: root, blockSize: 100_000) == root)
        // Only a cluster longer than 4 blocks is cut, into equal parts of at most 4 blocks.
        #expect(Dataset.blocks(clusters: [0..<1_000_000], blockSize: 100_000) == [0..<333_333, 333_333..<666_666, 666_666..<1_000_000])
    }

    @Test func realFileWorkItemsNeverCutAClusterOfTheFile() throws {
        let clusters = try Tree(file: ROOTFile(path: adlFile), path: "Events").clusters
        let boundaries = Set(clusters.flatMap { [$0.lowerBound, $0.upperBound] })
        let longest = clusters.map(\.count).max() ?? 1
        for blockSize in [max(longest / 3, 1), longest, 100_000] {
            for item in try Dataset(files: [adlFile], tree: "Events").workItems(blockSize: blockSize) {
                #expect(boundaries.contains(item.entries.lowerBound) && boundaries.contains(item.entries.upperBound), "\(item.entries)")
            }
        }
    }

    @Test func unreadableFileIsSkippedAndListedOrFailsTheRun() throws {
        try #require(FileManager.default.fileExists(atPath: adlFile), "shared data missing at \(adlFile)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: adlFile))
        let broken = URL(fileURLWithPath: temporaryPath("engine-broken", suffix: ".root"))
        // Keep the header and metadata but cut the baskets: opening works, reading fails.
        try bytes.prefix(bytes.count / 3).write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        var items = try Dataset(files: [adlFile], tree: "Events").workItems(blockSize: 500)
        // The broken file cannot be opened for planning, so give its items by hand.
        items += [WorkItem(file: broken.path, tree: "Events", entries: 0..<500)]

        let skipped = try Executor.run(items, options: RunOptions(threads: 2, onFailure: .skip, progress: false),
                                       makeAccumulator: { MuonCounts() }, process: countMuons)
        #expect(skipped.value == expected)
        #expect(skipped.summary.skipped.map(\.file) == [broken.path])
        #expect(skipped.summary.description.contains(broken.path))

        #expect {
            try Executor.run(items, options: RunOptions(threads: 2, onFailure: .fail, progress: false),
                             makeAccumulator: { MuonCounts() }, process: countMuons)
        } throws: { error in
            "\(error)".contains(broken.path)
        }
    }
}
