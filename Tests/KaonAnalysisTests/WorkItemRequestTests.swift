import Foundation
import KaonAnalysis
import KaonIO
import KaonTestSupport
import Testing

/// A run planned by `WorkItemRequest`, its work items run one at a time from JSON (as
/// `kaon.dask` tasks do) and merged after the plan's head, equals the local run: every
/// histogram of every sample and variation, and the cut flows.
@Suite struct WorkItemRequestTests {
    static func spec(blockSize: Int, onFailure: String = "fail", samples: SampleSet) -> JSONValue {
        .object([("block_size", .integer(Int64(blockSize))), ("on_failure", .string(onFailure)), ("samples", samples.resolvedJSON)])
    }

    @Test func itemsRunFromJSONMergeToTheLocalRun() throws {
        let samples = try TestGraph.samples(file: TestGraph.adl)
        let analysis = try TestGraph.make(trigger: "IsoMu24", weightMode: "met")
        let local = try analysis.run(samples: samples, blockSize: 100, options: RunOptions(threads: 2, progress: false))
        let plan = try WorkItemRequest.plan(analysis, spec: Self.spec(blockSize: 100, samples: samples))
        let items = try #require(plan["items"]?.array)
        #expect(items.count == 3)  // the file's three clusters of about 333 entries
        let spec = try #require(plan["spec"])
        var merged = try AnalysisResults(serialized: try #require(plan["head"]?.array).map { UInt8($0.integer!) })
        for item in items {
            // Through the same JSON a task receives.
            let fromJSON = try JSONValue.parse(item.text)
            try merged.merge(AnalysisResults(serialized: WorkItemRequest.run(analysis, spec: JSONValue.parse(spec.text), item: fromJSON)))
        }
        #expect(merged.cutFlowTable(.json) == local.cutFlowTable(.json))
        #expect(merged.summary.entries == local.summary.entries)
        for sample in local.samples {
            for variation in sample.variations {
                for name in local.histogramNames {
                    let mine = try merged.histogram(name, sample: sample.name, variation: variation)
                    let theirs = try local.histogram(name, sample: sample.name, variation: variation)
                    #expect(mine.bins == theirs.bins, "\(sample.name) \(name) \(variation)")
                }
            }
        }
    }

    @Test func anExecutableServesRequestsGivenTheArgumentOnly() throws {
        let analysis = try TestGraph.make(trigger: "IsoMu24", weightMode: "met")
        #expect(try analysis.serveWorkItemRequest(["analysis", "samples.yml"]) == false)
        let output = temporaryPath("work-item-plan", suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let samples = try TestGraph.samples(file: TestGraph.adl)
        let request = JSONValue.object([("action", .string("plan")), ("spec", Self.spec(blockSize: 100, samples: samples)),
                                        ("output", .string(output))])
        #expect(try analysis.serveWorkItemRequest(["analysis", WorkItemRequest.argument, request.text]))
        let plan = try JSONValue.parse(String(contentsOfFile: output, encoding: .utf8))
        #expect(plan["items"]?.array?.count == 3)
        let wrong = JSONValue.object([("action", .string("dance")), ("spec", Self.spec(blockSize: 100, samples: samples)),
                                      ("output", .string(output))])
        #expect(throws: KaonError.self) { try analysis.serveWorkItemRequest([WorkItemRequest.argument, wrong.text]) }
        #expect(throws: KaonError.self) {
            try WorkItemRequest.plan(analysis, spec: .object([("block_size", .integer(0)), ("samples", samples.resolvedJSON)]))
        }
    }

    @Test func resolvedSamplesKeepEveryNumberExactly() throws {
        var samples = try TestGraph.samples(file: TestGraph.adl)
        samples.luminosity = 0.1 + 0.2
        samples.samples[1].crossSection = 1.0 / 3.0
        let back = try SampleSet(resolvedJSON: JSONValue.parse(samples.resolvingWeightSums().resolvedJSON.text))
        #expect(back.luminosity == samples.luminosity)
        #expect(back.samples.map(\.name) == ["data", "mc"])
        #expect(back.samples[1].crossSection == 1.0 / 3.0)
        #expect(try back.normalisations() == samples.normalisations())
    }
}
