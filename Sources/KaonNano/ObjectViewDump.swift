import KaonIO

/// Per-event quantities computed through the object view, as one JSON document: what
/// `kaon nano-dump` prints and what the peer tests compare with coffea's NanoEvents.
///
/// Every quantity is read the way an analysis would read it (`event.muons`, `muon.p4`,
/// `electron.matchedJet`, `particle.mother`), so the dump tests the view, not the columns.
/// Generator-level entries are present only when the source has `nGenPart`.
///
/// ```swift
/// let doc = try ObjectViewDump.json(Events(path: "nano.root"))
/// print(doc.text)       // {"entries": 200, "counts": {"Muon": [...], ...}, ...}
/// ```
public enum ObjectViewDump {
    /// The collections whose per-event counts are dumped.
    public static let countedCollections = ["Muon", "Electron", "Jet", "Photon", "Tau"]

    /// The dump of every event of `events` (`entries` limits it to the first N).
    ///
    /// Members: `entries`; `counts` (per collection, per event); `muon_pt/eta/phi/mass/charge`,
    /// `jet_pt`, `electron_pt` (jagged); `dimuon_mass` (every pair i < j, lexicographic,
    /// as `ak.combinations(muons, 2)`) and `dimuon_charge_product`; `muon_jet_deltaR` (the
    /// muon × jet table per event, muon-major, as `ak.cartesian`); `muon_matched_jet_pt`,
    /// `electron_matched_jet_pt` (null where the index is -1); `met_pt`; and with generator
    /// particles `genpart_parent_pdgId` and `muon_gen_pdgId`.
    public static func json(_ events: Events, entries: Int? = nil) throws -> JSONValue {
        let hasGen = events.sources.first?.hasColumn("nGenPart") ?? false
        var counts = [[JSONValue]](repeating: [], count: countedCollections.count)
        var columns: [String: [JSONValue]] = [:]
        func add(_ name: String, _ value: JSONValue) { columns[name, default: []].append(value) }
        func floats<S: Sequence>(_ s: S) -> JSONValue where S.Element == Float { .array(s.map { .float($0) }) }
        var seen = 0
        let limit = entries ?? events.count
        try events.forEachEvent { event in
            guard seen < limit else { return }
            seen += 1
            let muons = event.muons, jets = event.jets, electrons = event.electrons
            let sizes = [muons.count, electrons.count, jets.count, event.photons.count, event.taus.count]
            for (i, n) in sizes.enumerated() { counts[i].append(.integer(Int64(n))) }
            add("muon_pt", floats(muons.map(\.pt)))
            add("muon_eta", floats(muons.map(\.eta)))
            add("muon_phi", floats(muons.map(\.phi)))
            add("muon_mass", floats(muons.map(\.mass)))
            add("muon_charge", .array(muons.map { .integer(Int64($0.charge)) }))
            add("jet_pt", floats(jets.map(\.pt)))
            add("electron_pt", floats(electrons.map(\.pt)))
            add("dimuon_mass", .array(muons.pairs().map { .number(($0.0.p4 + $0.1.p4).mass) }))
            add("dimuon_charge_product", .array(muons.pairs().map { .integer(Int64($0.0.charge * $0.1.charge)) }))
            var table: [JSONValue] = []
            for muon in muons { for jet in jets { table.append(.number(muon.deltaR(jet))) } }
            add("muon_jet_deltaR", .array(table))
            add("muon_matched_jet_pt", .array(muons.map { $0.matchedJet.map { .float($0.pt) } ?? .null }))
            add("electron_matched_jet_pt", .array(electrons.map { $0.matchedJet.map { .float($0.pt) } ?? .null }))
            add("met_pt", .float(event.met.pt))
            if hasGen {
                add("genpart_parent_pdgId", .array(event.genParticles.map { $0.mother.map { .integer(Int64($0.pdgId)) } ?? .null }))
                add("muon_gen_pdgId", .array(muons.map { $0.genParticle.map { .integer(Int64($0.pdgId)) } ?? .null }))
            }
        }
        var members: [(String, JSONValue)] = [
            ("entries", .integer(Int64(seen))),
            ("counts", .object(zip(countedCollections, counts).map { ($0, .array($1)) })),
        ]
        let order = ["muon_pt", "muon_eta", "muon_phi", "muon_mass", "muon_charge", "jet_pt", "electron_pt",
                     "dimuon_mass", "dimuon_charge_product", "muon_jet_deltaR", "muon_matched_jet_pt",
                     "electron_matched_jet_pt", "met_pt", "genpart_parent_pdgId", "muon_gen_pdgId"]
        for name in order { if let values = columns[name] { members.append((name, .array(values))) } }
        return .object(members)
    }
}
