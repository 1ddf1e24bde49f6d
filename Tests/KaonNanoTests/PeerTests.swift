import Foundation
import KaonBenchmarks
import KaonNano
import KaonPhysics
import KaonTestSupport
import Testing

/// Computes object-view quantities on the shared NanoAOD files, writes them as JSON and has
/// `crosschecks/peers/nano_reference.py` recompute them with uproot + awkward + vector.
///
/// Output: `$KAON_NANO_OUT` (kept) or a fresh temporary directory. Interpreter:
/// `$PEERS_PYTHON` or `~/.cache/kaon/peers/bin/python`. A missing interpreter or data file
/// fails the test: a skipped comparison must not pass.
@Suite(.serialized) struct PeerTests {
    @Test func objectViewMatchesAwkwardAndVector() throws {
        let out = try OutputDirectory(environment: "KAON_NANO_OUT", name: "nano")
        try Self.fixture(path: ttbarPath, generator: true).write(toFile: out.path + "/ttbar.json", atomically: true, encoding: .utf8)
        try Self.fixture(path: adlPath, generator: false).write(toFile: out.path + "/adl.json", atomically: true, encoding: .utf8)

        let run = try Peers.run("nano_reference.py", out.path)
        #expect(run.status == 0, "\(run.failureMessage)")
        print(run.output)
        if run.succeeded { out.removeUnlessKept() }   // keep fixtures only when they failed
    }

    /// Everything computed through the object view, event by event.
    static func fixture(path: String, generator: Bool) throws -> String {
        let events = try Events(path: path)
        let f = { (x: Float) in JSON.number(x) }
        let d = { (x: Double) in JSON.number(x) }
        var counts: [String: [Int]] = [:]
        var muPt: [[Float]] = [], muEta: [[Float]] = [], muPhi: [[Float]] = [], muMass: [[Float]] = [], muCharge: [[Int32]] = []
        var dimuon: [[Double]] = [], deltaR: [[Double]] = [], eleJetPt: [[Float?]] = []
        var met: [Float] = [], run: [UInt32] = [], lumi: [UInt32] = [], number: [UInt64] = [], hlt: [Bool] = []
        var muGenPdg: [[Int32?]] = [], motherPdg: [[Int32?]] = [], childCount: [[Int]] = []
        var q6pt: [Double?] = [], q6btag: [Float?] = []
        var trijetMass: [[Double]] = [], trijetIndex: [[[Int]]] = []
        try events.forEachEvent { event in
            for (name, n) in [("Muon", event.muons.count), ("Electron", event.electrons.count), ("Jet", event.jets.count),
                              ("Photon", event.photons.count), ("Tau", event.taus.count)] {
                counts[name, default: []].append(n)
            }
            let muons = event.muons, jets = event.jets
            muPt.append(muons.map(\.pt)); muEta.append(muons.map(\.eta)); muPhi.append(muons.map(\.phi))
            muMass.append(muons.map(\.mass)); muCharge.append(muons.map(\.charge))
            var masses: [Double] = []
            for (a, b) in muons.pairs() where a.charge != b.charge { masses.append((a.p4 + b.p4).mass) }
            dimuon.append(masses)
            var table: [Double] = []
            for muon in muons { for jet in jets { table.append(muon.deltaR(jet)) } }
            deltaR.append(table)
            eleJetPt.append(event.electrons.map { $0.matchedJet?.pt })
            met.append(event.met.pt)
            run.append(event.run); lumi.append(event.luminosityBlock); number.append(event.event)
            hlt.append(generator ? event.flag("Flag_goodVertices") : event.hlt("IsoMu24"))
            if generator {
                muGenPdg.append(muons.map { $0.genParticle?.pdgId })
                motherPdg.append(event.genParticles.map { $0.mother?.pdgId })
                childCount.append(event.genParticles.map { $0.children.reduce(0) { n, _ in n + 1 } })
            } else {
                let best = ADLQuery6View.bestTrijet(jets)
                q6pt.append(best?.pt); q6btag.append(best?.maxBtag)
                var masses: [Double] = [], indices: [[Int]] = []
                for (a, b, c) in jets.triples() {
                    masses.append((a.p4 + b.p4 + c.p4.cartesian).mass)
                    indices.append([a.localIndex, b.localIndex, c.localIndex])
                }
                trijetMass.append(masses); trijetIndex.append(indices)
            }
        }
        func jag<T>(_ a: [[T]], _ g: (T) -> String) -> String { JSON.array(a) { JSON.array($0, g) } }
        var fields: [(String, String)] = [
            ("file", JSON.string(path)), ("entries", "\(events.count)"),
            ("counts", JSON.object(counts.sorted { $0.key < $1.key }.map { ($0.key, JSON.array($0.value, JSON.int)) })),
            ("muon_pt", jag(muPt, f)), ("muon_eta", jag(muEta, f)), ("muon_phi", jag(muPhi, f)), ("muon_mass", jag(muMass, f)),
            ("muon_charge", jag(muCharge, JSON.int)),
            ("dimuon_mass_opposite_charge", jag(dimuon, d)),
            ("muon_jet_deltaR", jag(deltaR, d)),
            ("electron_matched_jet_pt", jag(eleJetPt) { JSON.optional($0, f) }),
            ("met_pt", JSON.array(met, f)), ("run", JSON.array(run, JSON.int)), ("luminosityBlock", JSON.array(lumi, JSON.int)),
            ("event", JSON.array(number, JSON.int)),
            ("flag", JSON.object([("branch", JSON.string(generator ? "Flag_goodVertices" : "HLT_IsoMu24")),
                                  ("values", JSON.array(hlt) { $0 ? "true" : "false" })])),
        ]
        if generator {
            fields += [("muon_gen_pdgId", jag(muGenPdg) { JSON.optional($0, JSON.int) }),
                       ("genpart_mother_pdgId", jag(motherPdg) { JSON.optional($0, JSON.int) }),
                       ("genpart_children_count", jag(childCount, JSON.int))]
        } else {
            fields += [("q6_pt", JSON.array(q6pt) { JSON.optional($0, d) }), ("q6_max_btag", JSON.array(q6btag) { JSON.optional($0, f) }),
                       ("trijet_mass", jag(trijetMass, d)),
                       ("trijet_local_index", JSON.array(trijetIndex) { jag($0, JSON.int) })]
        }
        return JSON.object(fields)
    }
}
