import ArgumentParser
import Foundation
import KaonEngine
import KaonHist
import KaonInference
import KaonIO
import KaonROOT

/// `kaon workspace SPEC.yml --histograms H -o ws.json`: a pyhf workspace from histograms.
struct WorkspaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Build a pyhf JSON workspace from histograms and a small YAML spec.",
        discussion: """
        The spec, a YAML (or JSON) mapping, says how histograms become a workspace:

          measurement: meas      # optional, default "measurement"
          poi: mu                # the signal's normfactor, the parameter of interest
          lumi: 0.017            # optional: relative luminosity uncertainty (lumi
                                 # modifier on every MC sample)
          regions:               # one channel each
            - name: SR
              histogram: mjj     # the histogram's name in --histograms
              bins: [2, 10]      # optional: bins 2..9 (0-based, no flow bins)
          samples:
            - {name: data, data: true}       # exactly one: the observation
            - {name: signal, signal: true}   # carries the POI's normfactor
            - {name: ttbar, histogram-sample: tt, normfactors: [mu_tt]}
            - {name: fakes, staterror: false}
          systematics:
            - {name: jes, type: normplusshape, up: jes_up, down: jes_down,
               samples: [ttbar], regions: [SR]}
            - {name: xsec, type: normsys, up: xsec_up, down: xsec_down}

        Samples: histogram-sample is the sample's key in --histograms (default: its \
        name); normfactors adds further free normalisation factors; every MC sample gets \
        a staterror modifier from √sumw2 unless staterror: false.

        Systematics: up and down name variations of the nominal histograms. Their kind is \
        normsys (the variations' overall effect on the yield), histosys (their shape, \
        scaled to the nominal yield) or normplusshape (both, under one parameter). samples \
        and regions restrict them (default: every MC sample, every region).

        --histograms is either a JSON file {sample: {histogram: {variation: UHI \
        histogram}}} (the nominal variation is called "nominal"), or a ROOT file with one \
        directory per sample holding TH1s named HIST (nominal) and HIST__VARIATION, as \
        `kaon run` writes them.

        Examples:
          kaon workspace analysis.yml --histograms results.root -o ws.json
          kaon workspace analysis.yml --histograms results.json -o ws.json
          kaon fit ws.json
        """
    )

    @Argument(help: "The workspace spec (YAML or JSON).")
    var spec: String

    @Option(name: .long, help: "The histograms: a UHI JSON dictionary (.json) or a ROOT file (.root).")
    var histograms: String

    @Option(name: [.short, .long], help: "Write the workspace to this file (default: print it).")
    var output: String?

    func run() throws {
        guard let specData = FileManager.default.contents(atPath: spec) else { throw KaonError(.notFound, "cannot read file", file: spec) }
        let tree = try YAMLJSON.parse(String(decoding: specData, as: UTF8.self), name: spec)
        let parsed = try WorkspaceSpec(json: tree, name: spec)
        let inputs = try withContext(file: histograms) {
            histograms.hasSuffix(".root") ? try Self.readROOT(histograms) : try Self.readUHI(histograms)
        }
        let workspace = try withContext(file: histograms) { try WorkspaceBuilder(spec: parsed, histograms: inputs).workspace() }
        if let output {
            try OutputFile.write(workspace.text + "\n", to: output)
        } else {
            print(workspace.text)
        }
    }

    /// {sample: {histogram: {variation: UHI histogram}}}.
    static func readUHI(_ path: String) throws -> WorkspaceBuilder.Histograms {
        guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read file", file: path) }
        let json = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        func members(_ v: JSONValue, _ what: String) throws -> [(String, JSONValue)] {
            guard case .object(let m) = v else { throw KaonError(.malformed, "expected an object of \(what)") }
            return m
        }
        var out: WorkspaceBuilder.Histograms = [:]
        for (sample, byHistogram) in try members(json, "samples") {
            for (histogram, byVariation) in try members(byHistogram, "histograms (sample '\(sample)')") {
                for (variation, uhi) in try members(byVariation, "variations (\(sample)/\(histogram))") {
                    let binned = try withContext(file: path, object: "\(sample)/\(histogram)/\(variation)") { try counts(UHIJSON.decode(uhi)) }
                    out[sample, default: [:]][histogram, default: [:]][variation] = binned
                }
            }
        }
        return out
    }

    /// The in-range bins' values and variances of a UHI histogram of any storage.
    static func counts(_ h: UHIJSON.AnyHistogram) throws -> BinnedCounts {
        func make<S>(_ h: Histogram<S>) throws -> BinnedCounts {
            guard h.rank == 1 else { throw KaonError(.unsupported, "a workspace histogram must be one-dimensional") }
            return BinnedCounts(values: h.values(), sumw2: h.variances())
        }
        switch h {
        case .int(let h): return try make(h)
        case .double(let h): return try make(h)
        case .weighted(let h): return try make(h)
        case .mean, .weightedMean: throw KaonError(.unsupported, "a workspace histogram must count (not a mean storage)")
        }
    }

    /// Directories per sample with TH1s `HIST` and `HIST__VARIATION`.
    static func readROOT(_ path: String) throws -> WorkspaceBuilder.Histograms {
        let file = try ROOTFile(path: path)
        var out: WorkspaceBuilder.Histograms = [:]
        for (keyPath, key) in try file.root.walk() where key.className.hasPrefix("TH1") {
            let parts = keyPath.split(separator: "/").map(String.init)
            guard parts.count == 2 else { continue }
            let nameParts = parts[1].components(separatedBy: "__")
            let histogram = nameParts[0]
            let variation = nameParts.count > 1 ? nameParts[1...].joined(separator: "__") : "nominal"
            let h = try withContext(file: path, object: keyPath) { try ROOTHistogram(file.readObject(key)) }
            let n = h.axes[0].nbins
            let values = Array(h.contents[1...n])
            let sumw2 = h.sumw2.isEmpty ? values : Array(h.sumw2[1...n])
            out[parts[0], default: [:]][histogram, default: [:]][variation] = BinnedCounts(values: values, sumw2: sumw2)
        }
        return out
    }
}
