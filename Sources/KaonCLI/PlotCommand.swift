import ArgumentParser
import KaonIO
import KaonPlot

/// `kaon plot results.root [--config plots.yml]`: publication plots of a results file.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw publication plots (data/simulation stacks, ratios, colour maps, cut flow) of a results file.",
        usage: "kaon plot <results> [--config <yaml>] [-o <dir>] [--format svg,png,pdf]",
        discussion: """
        Reads RESULTS as `kaon run`, `kaon adl` and `kaon demo` write it (one directory
        per sample; NAME nominal, NAME__VARIATION systematics; REGION/NAME in regions)
        and draws, in the CMS (default) or ATLAS style of mplhep:
          1D histograms  stacked simulation, data as points with Garwood (Poisson)
                         error bars, the prediction's stat ⊕ syst band (from the
                         Up/Down variations), and a data / prediction ratio panel
          2D histograms  colour maps of the summed simulation with a colour bar
          the cut flow   from cutflow.json beside RESULTS, when there is one
        The legend goes to the upper corner where it covers no data, or the y range
        grows to make room. Files are OUTPUT/NAME.svg (and .png, .pdf: those need
        rsvg-convert, Debian's librsvg2-bin). Every SVG carries a <metadata> block.

        Without --config every sample is its own group: a sample whose name contains
        "data" or starts like a primary dataset (SingleMuon, DoubleEG, EGamma, MuonEG,
        JetHT, Run…) is data, the others are stacked simulation (smallest yield at the
        bottom). A configuration (YAML, plotIt-like; every key optional):

          settings:
            experiment: CMS          # CMS, ATLAS or none
            label: Open Data         # after the experiment name ("Preliminary", …)
            luminosity: 10           # shown as "10 pb⁻¹ (13 TeV)"
            luminosity-unit: pb      # fb (default), pb or nb
            energy: 13               # √s in TeV
            cut-flow: true           # draw cutflow.json if present
          groups:                    # legend order: data, then the stack top down
            data: {type: data, samples: [SingleMuon]}
            DY: {legend: "Drell–Yan", colour: "#5790fc", order: 2,
                 samples: [DYJetsToMuMu]}   # directory names or globs; default [GROUP]
            ttbar: {legend: "tt̄", colour: "#f89c20", order: 1, samples: [TTbar]}
            Zprime: {type: signal, stacked: false}   # mc (default), data, signal
          plots:                     # only these are drawn (globs: "SR/*", "*pt*")
            mll: {x-title: "m(μμ) [GeV]", log: true, rebin: 2,
                  blind: [[85, 95]], ratio: true, normalize: none}
                                     # normalize: none, to-data (MC to the data
                                     # yield) or unit (areas 1)
        Every configuration error names the file, the line and the key.

        Examples:
          kaon plot out/results.root -o out/plots
          kaon plot out/results.root --config plots.yml --format svg,png,pdf
        """
    )

    @Argument(help: "The results file (results.root of kaon run).")
    var results: String

    @Option(name: .long, help: "A YAML file of settings, groups and plots (see above).")
    var config: String?

    @Option(name: .shortAndLong, help: "Folder to write the plots into (default: plots beside RESULTS).")
    var output: String?

    @Option(name: .long, help: "Comma-separated formats: svg, png, pdf.")
    var format: String = "svg"

    mutating func validate() throws {
        do {
            _ = try PlotFormat.list(format)
        } catch let error as KaonError {
            throw ValidationError("--format: \(error.message)")
        }
    }

    func run() throws {
        let formats = try PlotFormat.list(format)
        let configuration = try config.map { try PlotConfiguration.load(path: $0) } ?? PlotConfiguration()
        let folder = output ?? ((results.contains("/") ? String(results[..<results.lastIndex(of: "/")!]) : ".") + "/plots")
        var metadata = ["command": (["kaon"] + CommandLine.arguments.dropFirst()).joined(separator: " ")]
        // The record of the run that made the results travels with every figure, so that
        // `kaon provenance FIGURE` answers where a plot came from.
        if let record = try ProvenanceCommand.recorded(in: results) { metadata[Provenance.outputName] = record.json.text }
        let written = try ResultsPlotter.plot(results: results, configuration: configuration, to: folder, formats: formats,
                                              metadata: metadata)
        for path in written { print(path) }
    }
}
