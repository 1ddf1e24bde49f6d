import KaonADL
import KaonEngine
import Testing

/// `ADLQuery.branches` is what the engine prefetches from the first block on; it must be
/// exactly what each query's code reads (a missing branch costs a round trip per block on a
/// remote file, an extra one its bytes). The engine records the branches blocks really read.
@Suite struct ADLQueryBranchesTests {
    @Test(arguments: ADLQuery.allCases)
    func declaredBranchesAreTheBranchesTheQueryReads(query: ADLQuery) throws {
        let result = try ADLAnalysis(queries: [query]).run(files: [adlFile], readPlanning: .never)
        #expect(result.summary.branchesRead == query.branches.sorted())
    }

    @Test func plannedRunWithDeclaredBranchesEqualsUnplanned() throws {
        let analysis = ADLAnalysis()
        let planned = try analysis.run(files: [adlFile], threads: 2, blockSize: 200, readPlanning: .always)
        let unplanned = try analysis.run(files: [adlFile], threads: 1, blockSize: 200, readPlanning: .never)
        #expect(planned.value.uhiJSONText == unplanned.value.uhiJSONText)
    }
}
