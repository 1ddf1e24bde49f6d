import ArgumentParser
import Foundation
import KaonAnalysis
import KaonExamples
import KaonIO

/// `kaon demo`: the whole chain on data Kaon writes itself.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a toy NanoAOD dataset, run a Z → μμ analysis on it, and write results and plots.",
        discussion: """
        Kaon's writer generates a toy dataset in OUTPUT/data (Drell–Yan Z → μμ signal,
        tt̄-like and QCD-like backgrounds, and a "data" sample drawn from their
        mixture; about 320 000 events at --scale 1, deterministic for a --seed) with a
        samples file. The dimuon example analysis (kaon run --analysis dimuon) then runs
        over all samples in one pass, with the muon scale-factor (±2 %) and jet energy
        scale (±3 %) systematics, and writes into OUTPUT:

          results.root   one directory per sample; histogram NAME is the nominal,
                         NAME__VARIATION the systematic variations (ROOT, uproot,
                         cabinetry read it)
          results.json   the same histograms as UHI JSON {sample: {name: {variation: …}}}
          cutflow.md     the cut flow of every sample (also printed; cutflow.json too)
          *.svg          data/simulation plots of mll, leadingMuonPt, nJets, jetHT
          workspace.yml  a spec for `kaon workspace` (a fit of the Drell–Yan
                         normalisation to the Z peak; then `kaon fit`)
          plots.yml      a `kaon plot` configuration (CMS style, stacked
                         processes, data, ratio panels)

        Examples:
          kaon demo
          kaon demo --output /tmp/demo --scale 0.1 --threads 2
        """
    )

    @Option(name: .shortAndLong, help: "Folder to write the dataset and results into.")
    var output: String = "kaon-demo"

    @Option(name: .long, help: "Dataset size relative to the default (~320 000 events).")
    var scale: Double = 1

    @Option(name: .long, help: "Random seed of the toy dataset.")
    var seed: UInt64 = 2026

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        guard scale > 0, scale <= 100 else { throw ValidationError("--scale must be in (0, 100]") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
    }

    func run() throws {
        let threads = threadsToUse(threads)
        let report = try Demo.run(in: output, scale: scale, seed: seed, threads: threads, progress: true, log: { print($0) }) { results, samples in
            var configuration = Provenance.Configuration()
            configuration.add("analysis", Array(results.analysisName.utf8))
            configuration.add("samples", Array(try String(contentsOfFile: output + "/data/samples.yml", encoding: .utf8).utf8))
            return try RunCommand.provenance(of: results, samples: samples, configuration: configuration, threads: threads)
        }
        print("")
        print(report.results.cutFlowTable())
        print(report.results.summary)
        print("\nwritten:")
        for path in report.outputs { print("  \(path)") }
        print("dataset \(HumanFormat.duration(seconds: report.generationSeconds)), analysis \(HumanFormat.duration(seconds: report.analysisSeconds))")
    }
}
