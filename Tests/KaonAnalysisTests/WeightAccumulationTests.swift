import KaonAnalysis
import KaonIO
import KaonTestSupport
import Testing

/// The event loop counts weight-1 fills as integers and adds other weights with TwoSum into
/// exact sums; a mix of both, split into blocks of any size, must give the correctly rounded
/// sum of the weights (Python's `math.fsum`), bit for bit.
@Suite struct WeightAccumulationTests {
    /// A weight per event mixing exact ones (two events in three), values with rounding
    /// errors, large and tiny magnitudes, and negatives.
    static func weight(entry: Int) -> Double {
        switch entry % 6 {
        case 0, 2, 4: 1
        case 1: 0.1 * Double(entry % 97) + 1e-3
        case 3: -1e12 / Double(entry + 1)
        default: 1e-9 * Double(entry)
        }
    }

    static func run(blockSize: Int, threads: Int) throws -> AnalysisResults {
        let analysis = Analysis("weights")
        let weighted = try analysis.all.weight("w") { Self.weight(entry: $0.entry) }
        try weighted.count("n")
        try weighted.sum("sumMET") { Double($0.met.pt) }
        try weighted.histogram("met", RegularAxis(10, 0, 100)) { Double($0.met.pt) }
        try weighted.take("w") { Self.weight(entry: $0.entry) }
        try weighted.take("wMET") { Self.weight(entry: $0.entry) * Double($0.met.pt) }
        return try analysis.run(dataset: Dataset(files: [TestGraph.adl], tree: "Events"), sample: "data", isMC: false,
                                blockSize: blockSize, options: RunOptions(threads: threads, progress: false))
    }

    @Test func mixedUnitAndOtherWeightsSumExactlyForAnyBlockSplit() throws {
        let reference = try Self.run(blockSize: 1000, threads: 1)
        let weights = try reference.take("w", sample: "data", as: Double.self)
        #expect(weights.count == 1000)
        #expect(try reference.weightedCount("n", sample: "data") == AnalysisSemanticsTests.fsum(weights))
        #expect(try reference.sum("sumMET", sample: "data") == AnalysisSemanticsTests.fsum(try reference.take("wMET", sample: "data", as: Double.self)))
        #expect(try reference.count("n", sample: "data") == 1000)
        for (blockSize, threads) in [(7, 1), (137, 2), (333, 2)] {
            let split = try Self.run(blockSize: blockSize, threads: threads)
            let label = "block size \(blockSize), \(threads) threads"
            #expect(try split.weightedCount("n", sample: "data").bitPattern == reference.weightedCount("n", sample: "data").bitPattern, "\(label)")
            #expect(try split.sum("sumMET", sample: "data").bitPattern == reference.sum("sumMET", sample: "data").bitPattern, "\(label)")
            #expect(try split.histogram("met", sample: "data") == reference.histogram("met", sample: "data"), "\(label)")
            #expect(try split.entries("met", sample: "data") == reference.entries("met", sample: "data"), "\(label)")
            #expect(try split.cutFlow(sample: "data") == reference.cutFlow(sample: "data"), "\(label)")
        }
    }
}
