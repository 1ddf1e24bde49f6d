import Foundation
import KaonBenchmarks
import KaonColumns
import KaonNano
import KaonPhysics
import KaonTestSupport
import Testing

/// Computes columnar quantities with KaonColumns/KaonPhysics on the real shared files,
/// writes them as JSON, and has `crosschecks/peers/columns_reference.py` recompute every one of
/// them with awkward + vector and PyROOT GenVector and compare.
///
/// Output directory: `$KAON_COLUMNS_OUT` (kept, for `crosschecks/peers/test_columns.py`) or a
/// fresh temporary directory. Interpreter: `$PEERS_PYTHON` or `~/.cache/kaon/peers/bin/python`.
/// A missing interpreter or data file fails the test: a skipped comparison must not pass.
@Suite(.serialized) struct PeerFixtureTests {
    static let files: [(name: String, path: String, hasBtag: Bool)] = [
        ("ttbar", sharedData + "/root/nanoAOD_2015_CMS_Open_Data_ttbar.root", false),
        ("adl", sharedData + "/adl/Run2012B_SingleMu_1000.root", true),
    ]

    @Test func kaonMatchesAwkwardVectorAndROOT() throws {
        let out = try OutputDirectory(environment: "KAON_COLUMNS_OUT", name: "columns")
        for file in Self.files {
            let text = try Self.fixture(path: file.path, hasBtag: file.hasBtag)
            try text.write(toFile: out.path + "/\(file.name).json", atomically: true, encoding: .utf8)
        }

        let run = try Peers.run("columns_reference.py", out.path)
        #expect(run.status == 0, "\(run.failureMessage)")
        print(run.output)
        if run.succeeded { out.removeUnlessKept() }   // keep fixtures only when they failed
    }

    /// Q6 on the 1000 ADL events reproduces the published counts (notes/adl-benchmark.md):
    /// 274 events, 127 trijet pts in [15, 40), 251 max b-tags in [0, 1).
    @Test func query6PublishedCounts() throws {
        let events = try EventsFile(sharedData + "/adl/Run2012B_SingleMu_1000.root")
        let r = ADLQuery6.bestTrijet(jets: try events.tree.p4("Jet"), btag: try events.tree.jagged("Jet_btag", as: Float.self))
        let pts = r.pt.compactMap { $0 }
        #expect(pts.count == 274)
        #expect(pts.filter { $0 >= 15 && $0 < 40 }.count == 127)
        #expect(r.maxBtag.compactMap { $0 }.filter { $0 >= 0 && $0 < 1 }.count == 251)
    }

    static func fixture(path: String, hasBtag: Bool) throws -> String {
        let events = try EventsFile(path)
        let muons = try events.tree.p4("Muon"), jets = try events.tree.p4("Jet"), electrons = try events.tree.p4("Electron")
        let muCharge = try events.tree.jagged("Muon_charge", as: Int32.self)
        let eleJetIdx = try events.tree.jagged("Electron_jetIdx", as: Int32.self)
        let metPt = try events.tree.read(events.tree.branch("MET_pt")).values(as: Float.self)
        let jetPt = jets.pt
        var fields: [(String, String)] = [("file", JSON.string(path)), ("entries", "\(events.tree.entries)")]

        // Object counts.
        fields.append(("counts", JSON.object([
            ("Muon", JSON.array(muons.counts) { "\($0)" }), ("Jet", JSON.array(jets.counts) { "\($0)" }),
            ("Electron", JSON.array(electrons.counts) { "\($0)" }),
        ])))

        // Reductions over jet pt, empty lists included.
        let f = { (x: Float) in JSON.number(x) }
        let i = { (x: Int) in JSON.number(x) }
        fields.append(("reductions", JSON.object([
            ("sum", JSON.array(jetPt.sum(), f)), ("prod", JSON.array(jetPt.product(), f)),
            ("mean", JSON.array(jetPt.mean()) { JSON.number($0) }),
            ("min", JSON.array(jetPt.min()) { JSON.optional($0, f) }),
            ("max", JSON.array(jetPt.max()) { JSON.optional($0, f) }),
            ("argmin", JSON.array(jetPt.argmin()) { JSON.optional($0, i) }),
            ("argmax", JSON.array(jetPt.argmax()) { JSON.optional($0, i) }),
            ("firsts", JSON.array(jetPt.firsts()) { JSON.optional($0, f) }),
            ("lasts", JSON.array(jetPt.lasts()) { JSON.optional($0, f) }),
            ("any_gt40", JSON.array((jetPt .> 40).any(), JSON.bool)),
            ("all_gt40", JSON.array((jetPt .> 40).all(), JSON.bool)),
            ("count_gt40", JSON.array((jetPt .> 40).countTrue(), i)),
            ("charge_sum", JSON.array(muCharge.sum(), i)),
            ("charge_max", JSON.array(muCharge.max()) { JSON.optional($0) { JSON.number($0) } }),
        ])))

        // Sorting.
        fields.append(("sorting", JSON.object([
            ("argsort_asc", JSON.ints(jetPt.argsort())),
            ("argsort_desc", JSON.ints(jetPt.argsort(ascending: false))),
            ("sorted_desc", JSON.floats(jetPt.sorted(ascending: false))),
            ("eta_by_pt_desc", JSON.floats(jets.eta.reordered(by: jetPt.argsort(ascending: false)))),
            ("charge_argsort_desc", JSON.ints(muCharge.argsort(ascending: false))),
        ])))

        // Element-wise arithmetic, comparisons, masks and math (Float kernels).
        fields.append(("elementwise", JSON.object([
            ("pt2_plus_eta", JSON.floats(jetPt * 2 + jets.eta)),
            ("pt_over_mass", JSON.floats(jetPt / jets.mass)),
            ("pt_minus_met", JSON.floats(jetPt - metPt)),
            ("central_pt", JSON.floats(jetPt[abs(jets.eta) .< 1])),
            ("good_pt", JSON.floats(jetPt[(jetPt .> 30) .& (abs(jets.eta) .< 2.4)])),
            ("sqrt_pt", JSON.floats(sqrt(jetPt))), ("log_pt", JSON.floats(log(jetPt))),
            ("exp_eta", JSON.floats(exp(jets.eta))), ("sin_phi", JSON.floats(sin(jets.phi))),
            ("cos_phi", JSON.floats(cos(jets.phi))), ("atan2_eta_phi", JSON.floats(atan2(jets.eta, jets.phi))),
            ("hypot_eta_phi", JSON.floats(hypot(jets.eta, jets.phi))),
            ("local_index", JSON.ints(jetPt.localIndex())),
            ("leptons_pt", JSON.floats(muons.pt.concatenated(with: electrons.pt))),
            ("flatten_len", "\(jetPt.flattened.count)"),
        ])))

        // Combinations and cartesian products (local indices per slot).
        let c2 = jetPt.argcombinations(2), c3 = jetPt.argcombinations(3)
        fields.append(("combinations", JSON.object([
            ("k2", JSON.array([0, 1]) { JSON.ints(c2.localIndices(slot: $0)) }),
            ("k3", JSON.array([0, 1, 2]) { JSON.ints(c3.localIndices(slot: $0)) }),
        ])))

        // Cross-reference: electron → jet pt, none for -1.
        fields.append(("electron_jet_pt", JSON.jagged(jetPt.take(eleJetIdx)) { JSON.optional($0, f) }))

        // Per-object kinematics (Double, ROOT conventions), muons and electrons (negative masses).
        func kinematics(_ p: PtEtaPhiMColumns<Float>) -> String {
            let c = p.cartesian()
            return JSON.object([
                ("px", JSON.doubles(c.px)), ("py", JSON.doubles(c.py)), ("pz", JSON.doubles(c.pz)),
                ("e", JSON.doubles(c.e)), ("m2", JSON.doubles(c.mass2)), ("mass", JSON.doubles(c.mass)),
                ("pt", JSON.doubles(c.pt)), ("eta", JSON.doubles(c.eta)), ("phi", JSON.doubles(c.phi)),
                ("rapidity", JSON.doubles(c.rapidity)), ("mt", JSON.doubles(c.mt)),
            ])
        }
        fields.append(("muon_kinematics", kinematics(muons)))
        fields.append(("electron_kinematics", kinematics(electrons)))

        // Opposite-charge dimuons and all dielectron pairs (space-like sums possible).
        let pairs = muons.pt.argcombinations(2)
        let os = pairs[pairs.values(slot: 0, of: muCharge) .!= pairs.values(slot: 1, of: muCharge)]
        let dimuons = muons.sum(over: os)
        fields.append(("dimuon_os", JSON.object([
            ("i", JSON.ints(os.localIndices(slot: 0))), ("j", JSON.ints(os.localIndices(slot: 1))),
            ("mass", JSON.doubles(dimuons.mass)), ("pt", JSON.doubles(dimuons.pt)),
            ("eta", JSON.doubles(dimuons.eta)), ("phi", JSON.doubles(dimuons.phi)),
        ])))
        let ee = electrons.sum(over: electrons.pt.argcombinations(2))
        // Each electron added to itself: 2p has m² = 4·m², so a negative stored mass gives a
        // space-like sum whose mass ROOT reports as -sqrt(-m²) (real pairs here are time-like).
        let selfPairs = JaggedTuples(offsets: electrons.offsets, slots: [Array(0..<electrons.pt.values.count), Array(0..<electrons.pt.values.count)],
                                     sourceOffsets: [electrons.offsets, electrons.offsets])
        let doubled = electrons.sum(over: selfPairs)
        fields.append(("dielectron", JSON.object([
            ("mass", JSON.doubles(ee.mass)), ("m2", JSON.doubles(ee.mass2)),
            ("self_mass", JSON.doubles(doubled.mass)), ("self_m2", JSON.doubles(doubled.mass2)),
        ])))

        // Muon × jet ΔR / Δφ tables and each jet's nearest muon.
        let (mj, dr) = muons.deltaRTable(jets)
        fields.append(("muon_jet", JSON.object([
            ("mu", JSON.ints(mj.localIndices(slot: 0))), ("jet", JSON.ints(mj.localIndices(slot: 1))),
            ("dr", JSON.doubles(dr)), ("dphi", JSON.doubles(muons.deltaPhi(jets, pairs: mj))),
            ("jet_min_dr_mu", JSON.jagged(jets.minDeltaR(to: muons)) { JSON.optional($0) { JSON.number($0) } }),
        ])))

        // Per-event sum of all jets.
        let jetSum = jets.cartesian().sumPerList()
        fields.append(("jet_sum", JSON.object([
            ("mass", JSON.array(jetSum) { JSON.number($0.mass) }), ("pt", JSON.array(jetSum) { JSON.number($0.pt) }),
        ])))

        // Muons boosted into the rest frame of the event's first opposite-charge dimuon.
        let firstPair = (0..<os.count).map { l in os.offsets[l] < os.offsets[l + 1] ? dimuons.vector(at: os.offsets[l]) : nil }
        let frames = firstPair.map { $0 ?? PxPyPzEVector(px: 0.0, py: 0.0, pz: 0.0, e: 1.0) }
        let boosted = muons.cartesian().boostedToRestFrames(frames)
        fields.append(("boost", JSON.object([
            ("has_frame", JSON.array(firstPair) { JSON.bool($0 != nil) }),
            ("px", JSON.doubles(boosted.px)), ("py", JSON.doubles(boosted.py)),
            ("pz", JSON.doubles(boosted.pz)), ("e", JSON.doubles(boosted.e)),
        ])))

        if hasBtag {
            let r = ADLQuery6.bestTrijet(jets: jets, btag: try events.tree.jagged("Jet_btag", as: Float.self))
            fields.append(("q6", JSON.object([
                ("pt", JSON.array(r.pt) { JSON.optional($0) { JSON.number($0) } }),
                ("btag", JSON.array(r.maxBtag) { JSON.optional($0, f) }),
            ])))
        }
        return JSON.object(fields) + "\n"
    }
}
