import KaonAnalysis

/// The Z → μμ analysis `kaon demo` runs: two tight, isolated, opposite-sign muons from
/// single-muon-triggered events, the dimuon mass spectrum, and a Z-peak region with jet
/// observables — with one weight systematic (muon scale factor ±2 %) and one object
/// systematic (jet energy scale ±3 %, which moves jets across the pt threshold).
///
/// It is written the way a physicist would write their own analysis with Kaon; `kaon new`
/// scaffolds a package around the same code.
///
/// ```swift
/// let analysis = try DimuonAnalysis.make()
/// let results = try analysis.run(samples: SampleSet(path: "samples.yml"), options: RunOptions(threads: 2))
/// print(results.cutFlowTable())
/// ```
public enum DimuonAnalysis {
    /// Histograms drawn as data/simulation plots by `kaon demo`.
    public static let plotted = ["mll", "leadingMuonPt", "nJets", "jetHT"]

    /// A `kaon workspace` spec for a fit of the Drell–Yan normalisation (`mu`) to the Z
    /// peak in `mllZ`, with the muon scale factor as a normalisation-plus-shape systematic.
    public static let workspaceSpec = """
        # kaon workspace workspace.yml --histograms results.root -o workspace.json
        measurement: zpeak
        poi: mu
        regions:
          - {name: zpeak, histogram: mllZ}
        samples:
          - {name: data, histogram-sample: SingleMuon, data: true}
          - {name: DY, histogram-sample: DYJetsToMuMu, signal: true}
          - {name: TTbar, histogram-sample: TTbar}
        systematics:
          - {name: muonSF, type: normplusshape, up: muonSFUp, down: muonSFDown, samples: [DY, TTbar]}

        """

    /// A `kaon plot` configuration for the demo's results: the CMS style with the toy's
    /// 10 pb⁻¹ at 13 TeV, the three simulated processes stacked under the data, and the
    /// Z peak also on a log scale.
    public static let plotSpec = """
        # kaon plot results.root --config plots.yml --format svg,png
        settings: {experiment: CMS, label: Toy data, luminosity: 10, luminosity-unit: pb, energy: 13}
        groups:
          data: {type: data, legend: Data, samples: [SingleMuon]}
          DY: {legend: "Z/γ* → μμ", colour: "#5790fc", order: 3, samples: [DYJetsToMuMu]}
          ttbar: {legend: "tt̄", colour: "#f89c20", order: 2, samples: [TTbar]}
          QCD: {legend: "QCD multijet", colour: "#9c9ca1", order: 1, samples: [QCD]}
        plots:
          mll: {x-title: "m(μμ) [GeV]", log: true}
          mllZ: {x-title: "m(μμ) [GeV]"}
          leadingMuonPt: {x-title: "Leading muon p_T [GeV]", log: true}
          nJets: {x-title: "Number of jets"}
          jetHT: {x-title: "H_T [GeV]", log: true}

        """

    /// Books the analysis (nothing is read until `run`); throws only if a booking is refused.
    public static func make() throws -> Analysis {
        let analysis = Analysis("dimuon")
        try analysis.vary("jes", branch: "Jet_pt", up: { $0 * 1.03 }, down: { $0 * 0.97 })

        let muons = try analysis.define("goodMuons") { (event: Event) -> [Muon] in
            event.muons.filter { $0.pt > 20 && abs($0.eta) < 2.4 && $0.tightId && $0.pfRelIso04_all < 0.15 }
        }
        let jets = try analysis.define("goodJets") { (event: Event) -> [Jet] in
            event.jets.filter { $0.pt > 30 && abs($0.eta) < 2.4 }
        }
        let mll = try analysis.define("mll") { (event: Event) -> Double in
            let m = event[muons]
            return m.count >= 2 ? (m[0].p4 + m[1].p4).mass : 0
        }

        let triggered = try analysis.all
            .filter("trigger") { $0.hlt("IsoMu24") }
            .weight("genWeight", mcOnly: true) { Double($0["genWeight", as: Float.self]) }
            .weight("muonSF", { _ in 1.0 }, up: { _ in 1.02 }, down: { _ in 0.98 })
        let dimuon = try triggered
            .filter("twoMuons") { $0[muons].count == 2 }
            .filter("oppositeSign") { event in event[muons][0].charge != event[muons][1].charge }
        try dimuon.histogram("mll", RegularAxis(bins: 70, lower: 50, upper: 190, metadata: .init(name: "mll", label: "m(μμ) [GeV]"))) {
            $0[mll]
        }
        try dimuon.histogram("leadingMuonPt", RegularAxis(bins: 40, lower: 20, upper: 220, metadata: .init(name: "pt", label: "leading muon p_T [GeV]"))) {
            Double($0[muons][0].pt)
        }

        let zPeak = try dimuon.filter("zWindow") { (76..<106).contains($0[mll]) }
        // The fit observable (cabinetry/pyhf): well populated in every bin.
        try zPeak.histogram("mllZ", RegularAxis(bins: 15, lower: 76, upper: 106, metadata: .init(name: "mll", label: "m(μμ) [GeV]"))) {
            $0[mll]
        }
        try zPeak.histogram("nJets", RegularAxis(bins: 6, lower: 0, upper: 6, metadata: .init(name: "nJets", label: "jets with p_T > 30 GeV"))) {
            Double($0[jets].count)
        }
        try zPeak.histogram("jetHT", RegularAxis(bins: 30, lower: 0, upper: 600, metadata: .init(name: "HT", label: "H_T of jets [GeV]"))) {
            $0[jets].reduce(0.0) { $0 + Double($1.pt) }
        }
        try zPeak.histogram("jetPt", RegularAxis(bins: 40, lower: 30, upper: 330, metadata: .init(name: "pt", label: "jet p_T [GeV]"))) { event, fill in
            for jet in event[jets] { fill(Double(jet.pt)) }
        }
        try zPeak.filter("bTagged") { $0[jets].contains { $0.btag > 0.5 } }
            .histogram("mllBTagged", RegularAxis(bins: 30, lower: 76, upper: 106, metadata: .init(name: "mll", label: "m(μμ) [GeV]"))) {
                $0[mll]
            }
        return analysis
    }
}
