import Foundation
import KaonADL
import KaonEngine
import KaonHist
import KaonNano
import KaonTestSupport
import Testing

/// The first 1000 events of the ADL dataset and the paper's published histograms of them.
let adlFile = sharedData + "/adl/Run2012B_SingleMu_1000.root"
let referenceFolder = sharedData + "/adl/reference"

/// The CSV file of each histogram (the paper names Q6's two histograms q6a and q6b).
func referenceName(_ key: ADLHistogramKey) -> String {
    switch key {
    case .q6pt: "q6a"
    case .q6btag: "q6b"
    default: key.rawValue
    }
}

/// The rows (lower edge, upper edge, content) of a published CSV.
func readReference(_ key: ADLHistogramKey) throws -> [(lower: Double, upper: Double, content: Int64)] {
    let text = try String(contentsOfFile: "\(referenceFolder)/\(referenceName(key)).csv", encoding: .utf8)
    return try text.split(separator: "\n").dropFirst().map { line in
        let fields = line.split(separator: ",").map { String($0) }
        return (try #require(Double(fields[0])), try #require(Double(fields[1])), try #require(Int64(fields[2])))
    }
}

@Suite("ADL queries against the paper's published histograms")
struct PublishedReferenceTests {
    @Test("every bin of every query equals the published CSV (paper binning)", arguments: [1, 2])
    func publishedHistograms(threads: Int) throws {
        // Small blocks so that two threads really split the file.
        let result = try ADLAnalysis(binning: .paper).run(files: [adlFile], threads: threads, blockSize: 100)
        #expect(result.summary.entries == 1000)
        for key in ADLHistogramKey.allCases {
            let reference = try readReference(key)
            let bins = result.value[key]
            let edges = bins.axis.edges
            #expect(reference.count == bins.axis.size, "\(key)")
            for (i, row) in reference.enumerated() {
                #expect(abs(row.lower - edges[i]) < 1e-9 && abs(row.upper - edges[i + 1]) < 1e-9, "\(key) bin \(i) edges")
                #expect(bins.counts[i + 1] == row.content, "\(key) bin \(i) [\(row.lower), \(row.upper))")
            }
        }
    }

    @Test("in-range totals quoted in the notes")
    func quotedTotals() throws {
        let h = try ADLAnalysis(binning: .paper).run(files: [adlFile]).value
        func inRange(_ key: ADLHistogramKey) -> Int64 { h[key].counts.dropFirst().dropLast().reduce(0, +) }
        #expect(inRange(.q2) == 1491)
        #expect(inRange(.q3) == 555)
        #expect(h.q4.counts.reduce(0, +) == 116)
        #expect(h.q5.counts.reduce(0, +) == 57)
        #expect(h.q6pt.counts.reduce(0, +) == 274)
        #expect(inRange(.q6pt) == 127)
        #expect(inRange(.q6btag) == 251)
        #expect(inRange(.q7) == 328)
        #expect(h.q8.counts.reduce(0, +) == 73)
        // The paper's Q7 fills every event: sums of 0 land in the underflow.
        #expect(h.q7.counts.reduce(0, +) == 1000)
    }
}

@Suite("ADL analysis mechanics")
struct ADLAnalysisTests {
    @Test("root-project Q7 drops the events the paper fills with 0; other queries only change binning")
    func rootProjectVariant() throws {
        let paper = try ADLAnalysis(binning: .paper).run(files: [adlFile]).value
        let root = try ADLAnalysis(binning: .rootProject).run(files: [adlFile]).value
        #expect(root.q7.counts[0] == 0)
        #expect(root.q7.counts.reduce(0, +) == paper.q7.counts.reduce(0, +) - paper.q7.counts[0])
        #expect(root.q2 == paper.q2)
        #expect(root.q1.counts.reduce(0, +) == 1000)
    }

    @Test("one pass over all queries equals each query alone, and 1 thread equals 2")
    func onePassEqualsSeparate() throws {
        let all = try ADLAnalysis(binning: .rootProject).run(files: [adlFile], threads: 2, blockSize: 128).value
        for query in ADLQuery.allCases {
            let alone = try ADLAnalysis(queries: [query]).run(files: [adlFile], threads: 1).value
            for key in query.histograms { #expect(alone[key] == all[key], "\(key)") }
            #expect(alone.histograms.map(\.key) == query.histograms)
        }
    }

    @Test("the object view without the engine gives the same histograms")
    func forEachEventLoop() throws {
        let analysis = ADLAnalysis(binning: .paper)
        var histograms = analysis.makeHistograms()
        let scratch = ADLScratch()
        try Events(path: adlFile).forEachEvent { analysis.fill(&histograms, from: $0, scratch: scratch) }
        #expect(histograms == (try analysis.run(files: [adlFile], threads: 2, blockSize: 250).value))
    }

    @Test("query lists parse")
    func parsing() {
        #expect(ADLQuery.parse("all") == ADLQuery.allCases)
        #expect(ADLQuery.parse("q8, Q1,q1") == [.q1, .q8])
        #expect(ADLQuery.parse("q9") == nil)
        #expect(ADLQuery.parse("") == nil)
    }

    @Test("UHI JSON has the selected keys with flow bins")
    func json() throws {
        let h = try ADLAnalysis(queries: [.q6, .q1], binning: .paper).run(files: [adlFile]).value
        let decoded = try UHIJSON.histograms(in: h.uhiJSONText)
        #expect(decoded.map(\.0) == ["q1", "q6pt", "q6btag"])
        guard case .int(let q1) = decoded[0].1 else { Issue.record("q1 is not an int histogram"); return }
        #expect(q1.values(flow: true).count == 102)
        #expect(q1.values(flow: true).reduce(0, +) == 1000)
    }
}

@Suite("README showcase")
struct ReadmeShowcaseTests {
    @Test("the README's ADL snippet runs and gives the published totals")
    func showcase() throws {
        let analysis = ADLAnalysis(queries: ADLQuery.allCases, binning: .paper)
        let result = try analysis.run(files: [adlFile], threads: 2)
        var totals: [String: Int64] = [:]
        for (key, histogram) in result.value.histograms { totals[key.rawValue] = histogram.sum(flow: true) }
        #expect(totals == ["q1": 1000, "q2": 1699, "q3": 680, "q4": 116, "q5": 57, "q6pt": 274, "q6btag": 274, "q7": 1000, "q8": 73])
        #expect(result.summary.entries == 1000)
    }
}
