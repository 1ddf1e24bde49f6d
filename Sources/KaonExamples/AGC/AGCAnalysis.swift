import KaonAnalysis

/// The IRIS-HEP Analysis Grand Challenge: the CMS 2015 open-data tt̄ analysis, as a Kaon
/// analysis graph (the reference is the coffea pipeline `ttbar_analysis_pipeline.py`).
///
/// Objects: electrons (pt > 30, |η| < 2.1, `cutBased == 4`, `sip3d < 4`), muons (pt > 30,
/// |η| < 2.1, tight, `sip3d < 4`, `pfRelIso04_all < 0.15`), jets (pt > 30, |η| < 2.4, tight
/// lepton veto: bit 2 of `jetId`); b-tag: `btagCSVV2 > 0.5`. Events with exactly one lepton
/// and at least four jets fall in region 4j1b (exactly one b-tag; observable H_T) or 4j2b
/// (at least two; observable m_bjj, the mass of the highest-pt three-jet system with a b-tag,
/// and the 20 features of the BDT jet-parton assignment, ``AGCJetAssignment``).
///
/// Systematics (variation names of the results): `pt_scale` (jet pt × 1.03, Up; × 0.97,
/// Down), `pt_res` (jet pt × (1 ± 0.05 N), see ``AGCInputs/resolutionCorrectionJSON``),
/// `btag_var_0…3` (weight 1 ± 0.075 pt/50 of the i-th jet, from `corrections.json`) and
/// `scale_var` (1 ± 0.025, meant for W+jets). Only the Up of the jet variations is in the
/// AGC's layout (cabinetry symmetrises it); ``AGCHistograms`` picks what the layout holds.
///
/// ```swift
/// let inputs = try AGCInputs(directory: "../shared/data/agc")
/// let results = try AGCAnalysis.run(inputs, samples: SampleSet(path: "agc-samples.yml"), options: RunOptions(threads: 2))
/// ```
public enum AGCAnalysis {
    /// The two regions, which are also the names of their observable's histogram.
    public static let regions = ["4j1b", "4j2b"]
    /// The observables' binning: 25 bins in [50, 550] GeV.
    public static let observableAxis = (bins: 25, lower: 50.0, upper: 550.0)
    /// The b-tag threshold on `btagCSVV2`.
    public static let bTagThreshold: Float = 0.5
    /// The weight systematics from `corrections.json`, by variation name.
    public static let bTagVariations = (0..<4).map { "btag_var_\($0)" }

    /// A selected jet with the fields the analysis uses.
    struct SelectedJet {
        var p4: PtEtaPhiMVector
        var pt: Float
        var btag: Float
        var qgl: Float
    }

    /// One event's selected objects.
    struct Objects {
        var jets: [SelectedJet] = []
        var leptons: [PtEtaPhiMVector] = []
        var bTags = 0
    }

    /// Runs the AGC on `samples` (named `process__variation`): the nominal samples with every
    /// systematic, the alternative ones (`ttbar__ME_var`, …) nominal only — the reference
    /// varies only nominal samples, and a graph's variations apply to every sample it runs —
    /// as two graphs, one pass each. Returns the results of each pass that had samples.
    public static func run(_ inputs: AGCInputs, samples: SampleSet, options: RunOptions) throws -> [AnalysisResults] {
        let nominal = samples.samples.filter { AGCSamples.split($0.name).variation == "nominal" }
        let alternative = samples.samples.filter { AGCSamples.split($0.name).variation != "nominal" }
        var results: [AnalysisResults] = []
        for (subset, systematics) in [(nominal, true), (alternative, false)] where !subset.isEmpty {
            results.append(try make(inputs, systematics: systematics)
                .run(samples: SampleSet(luminosity: samples.luminosity, samples: subset), options: options))
        }
        return results
    }

    /// Books the AGC graph (with its systematic variations unless `systematics` is false);
    /// nothing is read until `run`.
    public static func make(_ inputs: AGCInputs, systematics: Bool = true) throws -> Analysis {
        let analysis = Analysis(systematics ? "agc" : "agc-alternative-samples")
        if systematics { try addJetVariations(to: analysis, inputs) }

        let objects = try analysis.define("objects") { (event: Event) -> Objects in
            var selected = Objects()
            for e in event.electrons where e.pt > 30 && abs(e.eta) < 2.1 && e.cutBased == 4 && e["sip3d", as: Float.self] < 4 {
                selected.leptons.append(e.p4)
            }
            for m in event.muons where m.pt > 30 && abs(m.eta) < 2.1 && m.tightId && m["sip3d", as: Float.self] < 4
                && m.pfRelIso04_all < 0.15 {
                selected.leptons.append(m.p4)
            }
            for j in event.jets where j.pt > 30 && abs(j.eta) < 2.4 && j.jetId & 4 != 0 {
                let btag = j["btagCSVV2", as: Float.self]
                if btag > bTagThreshold { selected.bTags += 1 }
                selected.jets.append(SelectedJet(p4: j.p4, pt: j.pt, btag: btag, qgl: j["qgl", as: Float.self]))
            }
            return selected
        }

        var preselected = try analysis.all
            .filter("exactly_1l") { $0[objects].leptons.count == 1 }
            .filter("atleast_4j") { $0[objects].jets.count >= 4 }
        if systematics {
            for (i, name) in bTagVariations.enumerated() {
                preselected = try preselected.weight(name, { _ in 1 },
                                                     up: { inputs.eventWeight("btag_var", "up", pt: $0[objects].jets[i].pt) },
                                                     down: { inputs.eventWeight("btag_var", "down", pt: $0[objects].jets[i].pt) })
            }
            preselected = try preselected.weight("scale_var", { _ in 1 },
                                                 up: { inputs.eventWeight("scale_var", "up", pt: $0[objects].jets[0].pt) },
                                                 down: { inputs.eventWeight("scale_var", "down", pt: $0[objects].jets[0].pt) })
        }

        let axis = { (label: String) in
            RegularAxis(bins: observableAxis.bins, lower: observableAxis.lower, upper: observableAxis.upper,
                        metadata: .init(name: "observable", label: label))
        }
        let oneB = try preselected.filter("4j1b") { $0[objects].bTags == 1 }
        try oneB.histogram("4j1b", axis("H_T [GeV]")) { event in
            event[objects].jets.reduce(0.0) { $0 + Double($1.pt) }
        }

        let twoB = try preselected.filter("4j2b") { $0[objects].bTags >= 2 }
        try twoB.histogram("4j2b", axis("m_bjj [GeV]")) { event in
            trijetMass(event[objects].jets)
        }
        let assignment = try analysis.define("jetAssignment") { (event: Event) -> [Double]? in
            let selected = event[objects]
            let jets = selected.jets.map { AGCJetAssignment.JetInput(p4: $0.p4, btag: $0.btag, qgl: $0.qgl) }
            // The models take well-formed rows, so prediction cannot fail here.
            return try? AGCJetAssignment.best(jets: jets, lepton: selected.leptons[0], eventNumber: event.event,
                                              modelEven: inputs.modelEven, modelOdd: inputs.modelOdd)
        }
        for (f, name) in AGCJetAssignment.featureNames.enumerated() {
            let range = AGCJetAssignment.featureRanges[f]
            try twoB.histogram(name, RegularAxis(bins: 25, lower: range.0, upper: range.1, metadata: .init(name: "observable", label: name))) {
                $0[assignment]?[f]
            }
        }
        return analysis
    }

    /// The jet pt scale (× 1.03 up, × 0.97 down) and resolution (× (1 ± 0.05 N)) variations:
    /// computed as the reference computes the varied pt (in double precision), stored as float32.
    static func addJetVariations(to analysis: Analysis, _ inputs: AGCInputs) throws {
        try analysis.vary("pt_scale", branch: "Jet_pt", up: { Float(Double($0) * 1.03) }, down: { Float(Double($0) * 0.97) })
        try analysis.vary("pt_res", branch: "Jet_pt",
                          up: { Float(Double($0) * inputs.resolutionFactor(pt: $0)) },
                          down: { Float(Double($0) * (2 - inputs.resolutionFactor(pt: $0))) })
    }

    /// m_bjj: the mass of the three-jet combination with the highest pt among those with
    /// at least one b-tagged jet (the first such on equal pt, in combination order); nil if none.
    static func trijetMass(_ jets: [SelectedJet]) -> Double? {
        var bestPt = -Double.infinity, bestMass: Double?
        let n = jets.count
        for a in 0..<n {
            for b in (a + 1)..<n {
                for c in (b + 1)..<n {
                    guard max(jets[a].btag, jets[b].btag, jets[c].btag) > bTagThreshold else { continue }
                    let p4 = jets[a].p4.cartesian + jets[b].p4.cartesian + jets[c].p4.cartesian
                    if p4.pt > bestPt { bestPt = p4.pt; bestMass = p4.mass }
                }
            }
        }
        return bestMass
    }
}
