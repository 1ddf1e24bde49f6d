import Foundation
import KaonEngine
import KaonIO
import KaonTestSupport
import Testing

/// Request planning in the executor (`RunOptions.readPlanning`): blocks after the first read
/// the learned branches in one vectored read, the next block ahead of time; results must not
/// change, however threads and blocks fall, nor when a branch is first touched late.
@Suite struct ReadPlanningTests {
    // From crosschecks/references/engine_counts.py (uproot + awkward), as in ExecutorTests.
    let expected = MuonCounts(events: 1000, dimuonEvents: 234, hardMuons: 936, jets: 1699)

    @Test(arguments: [1, 2, 3], [64, 250, 1000])
    func plannedRunsGiveThePeersCounts(threads: Int, blockSize: Int) throws {
        try #require(FileManager.default.fileExists(atPath: adlFile), "shared data missing at \(adlFile)")
        let items = try Dataset(files: [adlFile], tree: "Events").workItems(blockSize: blockSize)
        let result = try Executor.run(items, options: RunOptions(threads: threads, progress: false, readPlanning: .always),
                                      makeAccumulator: { MuonCounts() }, process: countMuons)
        #expect(result.value == expected)
        #expect(result.summary.entries == 1000)
        #expect(result.summary.io.roundTrips > 0)
    }

    /// A branch the first blocks never touch is read on demand where the plan lacks it, and
    /// joins the plan for the blocks after.
    @Test(arguments: [1, 2])
    func aBranchFirstTouchedLateIsStillRead(threads: Int) throws {
        try #require(FileManager.default.fileExists(atPath: adlFile), "shared data missing at \(adlFile)")
        let items = try Dataset(files: [adlFile], tree: "Events").workItems(blockSize: 100)
        let process: @Sendable (inout MuonCounts, EventBlock) throws -> Void = { counts, block in
            counts.events += block.count
            _ = try block.column("nMuon")
            if block.item.firstEntry >= 500 {
                counts.jets += try block.column("nJet").values(as: UInt32.self).reduce(0) { $0 + Int($1) }
            }
        }
        let planned = try Executor.run(items, options: RunOptions(threads: threads, progress: false, readPlanning: .always),
                                       makeAccumulator: { MuonCounts() }, process: process)
        let unplanned = try Executor.run(items, options: RunOptions(threads: threads, progress: false, readPlanning: .never),
                                         makeAccumulator: { MuonCounts() }, process: process)
        #expect(planned.value == unplanned.value)
        #expect(planned.value.events == 1000 && planned.value.jets > 0)
    }
}
