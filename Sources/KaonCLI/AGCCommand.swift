import ArgumentParser
import Foundation
import KaonAnalysis
import KaonEngine
import KaonExamples
import KaonInference
import KaonIO

/// `kaon agc`: the IRIS-HEP Analysis Grand Challenge (CMS 2015 open-data tt̄) end to end.
struct AGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agc",
        abstract: "The Analysis Grand Challenge (CMS tt̄): samples files, an AGC-like dataset, the analysis, workspace and fit.",
        discussion: """
        kaon agc samples nanoaod_inputs.json -o samples.yml [--files-per-sample N] [--replace PREFIX=LOCAL]
          writes the samples file of the AGC's inputs (URLs kept unless a prefix is replaced).
        kaon agc generate OUT --events N
          writes an AGC-like dataset (the nine samples, every branch the AGC reads) and OUT/samples.yml.
        kaon agc run samples.yml -o OUT [--threads N]
          runs the AGC in one pass (selection, the 4j1b/4j2b regions, every systematic, the BDT
          jet-parton assignment), writes OUT/histograms.root and histograms_ml.root in the
          reference's layout, builds OUT/workspace.json from cabinetry_config.yml and fits the
          tt̄ normalisation (`kaon fit OUT/workspace.json` repeats the fit).
        The AGC's own files (corrections.json, models/, cabinetry_config.yml) come from
        --agc-dir (default: $SHARED/data/agc, else ../shared/data/agc).
        """,
        subcommands: [AGCSamplesCommand.self, AGCGenerateCommand.self, AGCRunCommand.self]
    )
}

/// The AGC's own files (`--agc-dir`).
struct AGCDirectoryOption: ParsableArguments {
    @Option(name: .customLong("agc-dir"), help: "Folder with corrections.json, models/ and cabinetry_config.yml (default: $SHARED/data/agc or ../shared/data/agc).")
    var directory: String?

    var path: String {
        if let directory { return directory }
        if let shared = ProcessInfo.processInfo.environment["SHARED"], !shared.isEmpty { return shared + "/data/agc" }
        return "../shared/data/agc"
    }
}

struct AGCSamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Write a samples file for the AGC's nanoaod_inputs.json.",
        discussion: """
        Each AGC sample becomes `process__variation` with the AGC's cross-section and, as
        generated events, the sum of `nevts` over the files used. Example:
          kaon agc samples ../shared/data/agc/nanoaod_inputs.json -o agc.yml --files-per-sample 1 \\
            --replace https://xrootd-local.unl.edu:1094//store/user/AGC=/data/AGC
        """
    )

    @Argument(help: ArgumentHelp("The AGC's nanoaod_inputs.json.", valueName: "inputs"))
    var inputs: String

    @Option(name: .shortAndLong, help: "The samples file to write (default: standard output).")
    var output: String?

    @Option(name: .long, help: "Files per sample (default: all), as the reference's N_FILES_MAX_PER_SAMPLE.")
    var filesPerSample: Int?

    @Option(name: .long, help: "PREFIX=REPLACEMENT: read files whose URL starts with PREFIX from REPLACEMENT instead (repeatable).")
    var replace: [String] = []

    func validate() throws {
        if let filesPerSample, filesPerSample <= 0 { throw ValidationError("--files-per-sample must be positive, got \(filesPerSample)") }
        for r in replace where !r.contains("=") { throw ValidationError("--replace takes PREFIX=REPLACEMENT, got '\(r)'") }
    }

    func run() throws {
        let pairs = replace.map { r -> (String, String) in
            let parts = r.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]))
        }
        let text = try AGCSamples.yamlFromInputs(path: inputs, filesPerSample: filesPerSample, replacements: pairs)
        if let output { try OutputFile.write(Array(text.utf8), to: output) } else { print(text, terminator: "") }
    }
}

struct AGCGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write an AGC-like dataset (all nine samples, every branch the AGC reads) and its samples file."
    )

    @Argument(help: ArgumentHelp("Folder to write into.", valueName: "folder"))
    var folder: String

    @Option(name: .long, help: "Events per sample.")
    var events: Int = 3000

    @Option(name: .long, help: "Random seed (the same seed writes the same events).")
    var seed: UInt64 = 2015

    func validate() throws {
        if events <= 0 { throw ValidationError("--events must be positive, got \(events)") }
    }

    func run() throws {
        let dataset = try AGCDataset.write(to: folder, eventsPerSample: events, seed: seed)
        print("wrote \(dataset.samples.count) samples × \(events) events and \(dataset.samplesFile)")
    }
}

struct AGCRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the AGC on a samples file: histograms in the reference's layout, workspace, fit of the tt̄ normalisation."
    )

    @Argument(help: ArgumentHelp("The AGC samples file (from `kaon agc samples` or `kaon agc generate`).", valueName: "samples"))
    var samples: String

    @Option(name: .shortAndLong, help: "Folder for the outputs.")
    var output: String = "agc"

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: "The cabinetry config of the fit (default: AGC-DIR/cabinetry_config.yml).")
    var config: String?

    @Flag(name: .long, help: "Stop after the histograms (no workspace, no fit).")
    var noFit = false

    @OptionGroup var agc: AGCDirectoryOption

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
    }

    func run() throws {
        let inputs = try AGCInputs(directory: agc.path)
        let runs = try AGCAnalysis.run(inputs, samples: SampleSet(path: samples), options: RunOptions(threads: threadsToUse(threads)))
        try OutputFile.createDirectory(output)
        var written: [String] = []
        let layout = try AGCHistograms.layout(runs, histograms: AGCAnalysis.regions)
        try AGCHistograms.write(layout, to: output + "/histograms.root")
        try AGCHistograms.write(AGCHistograms.layout(runs, histograms: AGCJetAssignment.featureNames), to: output + "/histograms_ml.root")
        let cutFlows = runs.map { $0.cutFlowTable() }.joined(separator: "\n")
        try OutputFile.write(Array(cutFlows.utf8), to: output + "/cutflow.md")
        try OutputFile.write(Array(AGCInputs.resolutionCorrectionJSON.utf8), to: output + "/jet_pt_resolution.json")
        written += ["histograms.root", "histograms_ml.root", "cutflow.md", "jet_pt_resolution.json"].map { output + "/" + $0 }
        print(cutFlows)
        for results in runs { print(results.summary) }
        if !noFit {
            let configPath = config ?? agc.path + "/cabinetry_config.yml"
            let json = try AGCWorkspace.build(config: configPath, histograms: layout)
            try OutputFile.write(Array(json.text.utf8), to: output + "/workspace.json")
            written.append(output + "/workspace.json")
            let workspace = try Workspace(json: json)
            let model = try Model(workspace: workspace)
            let data = try workspace.data(for: model)
            let fit = try model.fit(data: data, uncertainties: true)
            let poi = model.parameterNames[model.poiIndex]
            print("\nfit of \(poi): \(HumanFormat.measurement(fit.parameters[model.poiIndex], uncertainty: fit.uncertainties[model.poiIndex]))"
                  + (fit.converged ? "" : " (not converged)"))
            print("post-fit yields (pre-fit, observed):")
            let prefit = model.expectedMain(model.inits), postfit = model.expectedMain(fit.parameters)
            for (name, bins) in model.channels {
                func total(_ xs: [Double]) -> String { HumanFormat.fixed(bins.reduce(0) { $0 + xs[$1] }, decimals: 2) }
                print("  \(name): \(total(postfit)) (\(total(prefit)), \(total(data.main)))")
            }
        }
        print("written: " + written.joined(separator: ", "))
    }
}
