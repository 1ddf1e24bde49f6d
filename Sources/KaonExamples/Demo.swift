import Foundation
import KaonIO
import KaonAnalysis

/// What `kaon demo` does, as a library call: write the toy dataset, run the dimuon
/// analysis over it on all cores, and write the results, cut flow and plots.
///
/// ```swift
/// let report = try Demo.run(in: "kaon-demo", threads: 2) { print($0) }
/// print(report.results.cutFlowTable())
/// ```
public enum Demo {
    /// The outcome of a demo run.
    public struct Report {
        /// The toy dataset that was written.
        public var toy: ToyDataset
        /// The analysis' results.
        public var results: AnalysisResults
        /// Files written, besides the dataset.
        public var outputs: [String]
        /// Seconds spent writing the dataset and running the analysis.
        public var generationSeconds: Double, analysisSeconds: Double
    }

    /// Runs the demo in `folder` (created; the dataset goes to `folder/data`).
    ///
    /// - Parameters:
    ///   - folder: Where the dataset and every output go.
    ///   - scale: Size of the toy (1 ≈ 320 000 events).
    ///   - seed: The toy's base seed.
    ///   - threads: Worker threads of the analysis.
    ///   - progress: Draw progress lines on standard error (when it is a terminal).
    ///   - log: Receives one line per step.
    ///   - provenance: Makes the provenance the outputs record (`kaon demo` passes its own).
    public static func run(in folder: String, scale: Double = 1, seed: UInt64 = 2026, threads: Int = 1,
                           progress: Bool = true, log: (String) -> Void = { _ in },
                           provenance: ((AnalysisResults, SampleSet) throws -> Provenance)? = nil) throws -> Report {
        let clock = ContinuousClock()
        var start = clock.now
        log("writing the toy NanoAOD dataset to \(folder)/data …")
        let toy = try ToyDataset.write(to: folder + "/data", scale: scale, seed: seed)
        let generationSeconds = (clock.now - start).inSeconds
        for spec in toy.samples {
            log("  \(spec.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(spec.isMC ? "MC  " : "data") \(spec.events) events in \(spec.files) file\(spec.files == 1 ? "" : "s")")
        }
        log("  \(toy.events) events in \(HumanFormat.duration(seconds: generationSeconds))")

        start = clock.now
        let samples = try SampleSet(path: toy.samplesFile)
        log("running the dimuon analysis on \(threads) thread\(threads == 1 ? "" : "s") …")
        var results = try DimuonAnalysis.make().run(samples: samples, options: RunOptions(threads: threads, progress: progress))
        results.provenance = try provenance?(results, samples)
        let analysisSeconds = (clock.now - start).inSeconds

        var outputs = try results.writeOutputs(to: folder)
        func write(_ text: String, _ name: String) throws {
            try OutputFile.write(text, to: "\(folder)/\(name)")
            outputs.append("\(folder)/\(name)")
        }
        try write(DimuonAnalysis.workspaceSpec, "workspace.yml")
        try write(DimuonAnalysis.plotSpec, "plots.yml")
        for (name, svg) in try StackedPlots.make(results, samples: samples, histograms: DimuonAnalysis.plotted).sorted(by: { $0.key < $1.key }) {
            try write(svg, "\(name).svg")
        }
        return Report(toy: toy, results: results, outputs: outputs, generationSeconds: generationSeconds,
                      analysisSeconds: analysisSeconds)
    }
}
