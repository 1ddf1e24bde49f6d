import KaonAnalysis
import KaonIO
import KaonTestSupport

/// The graph the peer tests compare: the same selections, weights, variations and results
/// as `crosschecks/peers/analysis_reference.py` computes with uproot + awkward + vector + boost-histogram.
enum TestGraph {
    static let adl = sharedData + "/adl/Run2012B_SingleMu_1000.root"
    static let nano = sharedData + "/root/nanoAOD_2015_CMS_Open_Data_ttbar.root"

    /// `weightMode`: "genWeight" (the branch) or "met" (1 + MET/100, for a file without generator weights).
    static func make(trigger: String, weightMode: String) throws -> Analysis {
        let analysis = Analysis("test")
        try analysis.vary("jes", branch: "Jet_pt", up: { $0 * 1.03 }, down: { $0 * 0.97 })
        let goodMuons = try analysis.define("goodMuons") { (event: Event) -> [Muon] in
            event.muons.filter { $0.pt > 10 && abs($0.eta) < 2.4 }
        }
        let goodJets = try analysis.define("goodJets") { (event: Event) -> [Jet] in
            event.jets.filter { $0.pt > 30 && abs($0.eta) < 2.4 }
        }
        let triggered = try analysis.all.filter("trigger") { $0.hlt(trigger) }
        let weighted: Selection
        if weightMode == "genWeight" {
            weighted = try triggered.weight("genWeight", mcOnly: true) { Double($0["genWeight", as: Float.self]) }
        } else {
            weighted = try triggered.weight("genWeight", mcOnly: true) { 1 + Double($0.met.pt) / 100 }
        }
        let sf = try weighted.weight("muonSF", { e in 1 + 0.01 * Double(e[goodMuons].count) },
                                 up: { e in 1 + 0.02 * Double(e[goodMuons].count) }, down: { _ in 1.0 })
        let twoMuons = try sf.filter("twoMuons") { $0[goodMuons].count >= 2 }
        let os = try twoMuons.filter("oppositeSign") { e in let m = e[goodMuons]; return m[0].charge != m[1].charge }
        try os.histogram("mll", RegularAxis(60, 60, 120, label: "m_{μμ} [GeV]")) { e -> Double? in
            let m = e[goodMuons]
            return (m[0].p4 + m[1].p4).mass
        }
        try os.count("nOS")
        try os.sum("sumMll") { e in let m = e[goodMuons]; return (m[0].p4 + m[1].p4).mass }
        try os.take("events") { e in Int(e.event) }
        try sf.histogram("muonPt", RegularAxis(50, 0, 200)) { e, fill in for m in e.muons { fill(Double(m.pt)) } }
        try sf.histogram("met", RegularAxis(40, 0, 200)) { Double($0.met.pt) }
        let twoJets = try sf.filter("twoJets") { $0[goodJets].count >= 2 }
        try twoJets.histogram("jetPt", RegularAxis(40, 0, 400)) { e, fill in for j in e[goodJets] { fill(Double(j.pt)) } }
        try twoJets.histogram2D("leadJet", RegularAxis(20, 0, 400), RegularAxis(10, -2.5, 2.5)) { e -> (Double, Double)? in
            let j = e[goodJets][0]
            return (Double(j.pt), Double(j.eta))
        }
        return analysis
    }

    /// "data" and "mc" reading the same file; mc normalised to 10 × 2 / 500 = 0.04.
    static func samples(file: String) throws -> SampleSet {
        try SampleSet(yaml: """
        luminosity: 10
        samples:
          data: {files: [\(file)], type: data}
          mc: {files: [\(file)], type: mc, cross-section: 2, generated-events: 500}
        """)
    }

    static let mcNormalisation = 10.0 * 2.0 / 500.0
}
