import KaonADL
import KaonADLLanguage
import KaonAnalysis
import KaonEngine
import KaonHist
import KaonIO
import KaonTestSupport
import Testing

/// The ADL benchmark's first 1000 events (the file `kaon adl`'s published-reference tests use).
let benchmarkFile = sharedData + "/adl/Run2012B_SingleMu_1000.root"

/// Runs `examples/adl/NAME.adl` over `files` as one data sample.
func runExample(_ name: String, files: [String], threads: Int = 2, blockSize: Int = 100_000) throws -> AnalysisResults {
    let program = try ADLProgram(path: repositoryRoot + "/examples/adl/\(name).adl")
    let samples = SampleSet(luminosity: 1, samples: [Sample(name: "data", files: files, isMC: false)])
    return try program.analysis.run(samples: samples, blockSize: blockSize, options: RunOptions(threads: threads))
}

@Suite("The eight ADL benchmark queries written in ADL")
struct ADLBenchmarkQueryTests {
    /// The ADL histogram of each `kaon adl` histogram: (example file, result name).
    static let pairs: [(ADLHistogramKey, String, String)] = [
        (.q1, "q1", "q1/met"), (.q2, "q2", "q2/jetpt"), (.q3, "q3", "q3/jetpt"), (.q4, "q4", "q4/met"), (.q5, "q5", "q5/met"),
        (.q6pt, "q6", "q6/pt"), (.q6btag, "q6", "q6/btag"), (.q7, "q7", "q7/ht"), (.q8, "q8", "q8/mt"),
    ]

    @Test("examples/adl/q1…q8.adl give kaon adl's histograms bin for bin, flow bins included", arguments: [1, 2])
    func sameAsKaonADL(threads: Int) throws {
        let swift = try ADLAnalysis(binning: .rootProject).run(files: [benchmarkFile], threads: threads, blockSize: 250)
        var cache: [String: AnalysisResults] = [:]
        for (key, example, name) in Self.pairs {
            let results = try cache[example] ?? runExample(example, files: [benchmarkFile], threads: threads, blockSize: 250)
            cache[example] = results
            let adl = try results.histogram(name, sample: "data")
            let expected = swift.value[key].histogram.values(flow: true)
            #expect(adl.values(flow: true) == expected, "\(name) vs kaon adl \(key)")
            #expect(expected.reduce(0, +) > 0, "\(key) is not empty")
        }
    }

    @Test("examples/adl/all.adl computes the eight queries in one pass, each as its own file does")
    func allInOnePass() throws {
        let all = try runExample("all", files: [benchmarkFile])
        let swift = try ADLAnalysis(binning: .rootProject).run(files: [benchmarkFile], threads: 2)
        for (key, _, name) in Self.pairs {
            #expect(try all.histogram(name, sample: "data").values(flow: true) == swift.value[key].histogram.values(flow: true), "\(name)")
        }
    }

    @Test("mutated tutorials that compile also run on NanoAOD without trapping")
    func mutatedProgramsRun() throws {
        let nano = sharedData + "/root/nanoAOD_2015_CMS_Open_Data_ttbar.root"
        let samples = SampleSet(luminosity: 1, samples: [Sample(name: "data", files: [nano], isMC: false)])
        var ran = 0
        // ex07's six-jet χ² assignment tries ~10⁵ assignments per event: too slow to repeat in a debug build.
        // Every twelfth variant keeps the test short (each run opens the file anew).
        for (i, (name, variant)) in try tutorialMutations().enumerated() where name != "ex07_chi2optimize.adl" && i % 12 == 0 {
            guard let program = try? ADLProgram(source: variant) else { continue }
            let results = try program.analysis.run(samples: samples, options: RunOptions(threads: 1))
            #expect(results.samples.count == 1)
            ran += 1
        }
        #expect(ran > 20)
    }
}
