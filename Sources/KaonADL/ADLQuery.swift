/// The eight IRIS-HEP ADL functionality benchmark queries.
///
/// ```swift
/// let selected = ADLQuery.parse("q1,q5,q8")   // [.q1, .q5, .q8]
/// ADLQuery.q6.histograms                     // [.q6pt, .q6btag]
/// ```
public enum ADLQuery: String, CaseIterable, Sendable, Hashable, Comparable {
    /// MET of all events.
    case q1
    /// pt of all jets.
    case q2
    /// pt of jets with |η| < 1.
    case q3
    /// MET of events with at least two jets with pt > 40 GeV.
    case q4
    /// MET of events with an opposite-charge muon pair of mass in (60, 120) GeV.
    case q5
    /// pt and largest b-tag of the trijet with mass closest to 172.5 GeV.
    case q6
    /// Scalar sum of the pt of jets with pt > 30 GeV away from leptons with pt > 10 GeV.
    case q7
    /// Transverse mass of MET and the lepton not in the Z-like pair, in ≥ 3-lepton events.
    case q8

    /// The histograms the query fills (two for Q6, one otherwise).
    ///
    /// ```swift
    /// ADLQuery.q6.histograms   // [.q6pt, .q6btag]
    /// ```
    public var histograms: [ADLHistogramKey] {
        switch self {
        case .q1: [.q1]
        case .q2: [.q2]
        case .q3: [.q3]
        case .q4: [.q4]
        case .q5: [.q5]
        case .q6: [.q6pt, .q6btag]
        case .q7: [.q7]
        case .q8: [.q8]
        }
    }

    /// The branches the query's code reads (counters included): declared to the engine so
    /// that remote reads are planned from the first block on (`RunOptions.declaredBranches`).
    /// A test checks them against the branches a run actually reads.
    ///
    /// ```swift
    /// ADLQuery.q4.branches   // ["nJet", "Jet_pt", "MET_pt"]
    /// ```
    public var branches: [String] {
        let jets = ["nJet", "Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass"]
        let muons = ["nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge"]
        let electrons = ["nElectron", "Electron_pt", "Electron_eta", "Electron_phi", "Electron_mass", "Electron_charge"]
        switch self {
        case .q1: return ["MET_pt"]
        case .q2: return ["nJet", "Jet_pt"]
        case .q3: return ["nJet", "Jet_pt", "Jet_eta"]
        case .q4: return ["nJet", "Jet_pt", "MET_pt"]
        case .q5: return muons + ["MET_pt"]
        case .q6: return jets + ["Jet_btag"]
        case .q7: return Array(jets.prefix(4) + muons.prefix(4) + electrons.prefix(4))
        case .q8: return muons + electrons + ["MET_pt", "MET_phi"]
        }
    }

    /// A one-line description, for `--help` and reports.
    ///
    /// ```swift
    /// ADLQuery.q4.summary   // "MET_pt of events with >= 2 jets with pt > 40 GeV"
    /// ```
    public var summary: String {
        switch self {
        case .q1: "MET_pt of all events"
        case .q2: "pt of all jets"
        case .q3: "pt of jets with |eta| < 1"
        case .q4: "MET_pt of events with >= 2 jets with pt > 40 GeV"
        case .q5: "MET_pt of events with an opposite-charge muon pair, 60 < m < 120 GeV"
        case .q6: "pt and max btag of the trijet with mass closest to 172.5 GeV"
        case .q7: "sum of pt of jets (pt > 30) with dR >= 0.4 to all leptons with pt > 10"
        case .q8: "mT of MET and the leading lepton not in the SFOS pair nearest 91.2 GeV"
        }
    }

    /// Parses `all` or a comma-separated list such as `q1,q6` (case-insensitive), in
    /// query order without duplicates; nil for an unknown name.
    ///
    /// ```swift
    /// ADLQuery.parse("q8,q1")   // [.q1, .q8]
    /// ```
    public static func parse(_ text: String) -> [ADLQuery]? {
        var chosen = Set<ADLQuery>()
        for part in text.lowercased().split(separator: ",") {
            let name = String(part.filter { !$0.isWhitespace })
            if name == "all" { chosen.formUnion(allCases); continue }
            guard let query = ADLQuery(rawValue: name) else { return nil }
            chosen.insert(query)
        }
        return chosen.isEmpty ? nil : chosen.sorted()
    }

    /// Query order (q1 first).
    public static func < (a: ADLQuery, b: ADLQuery) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The names of the histograms the queries produce (the keys of `kaon adl --json`).
public enum ADLHistogramKey: String, CaseIterable, Sendable, Hashable {
    case q1, q2, q3, q4, q5, q6pt, q6btag, q7, q8

    /// The axis label of the histogram.
    ///
    /// ```swift
    /// ADLHistogramKey.q8.label   // "transverse mass [GeV]"
    /// ```
    public var label: String {
        switch self {
        case .q1, .q4, .q5: "MET pt [GeV]"
        case .q2, .q3: "jet pt [GeV]"
        case .q6pt: "trijet pt [GeV]"
        case .q6btag: "trijet max btag"
        case .q7: "scalar sum of jet pt [GeV]"
        case .q8: "transverse mass [GeV]"
        }
    }
}
