import Foundation
import KaonNano
import KaonTestSupport
import Testing

/// The NanoAOD object view over the shared NanoAOD RNTuple (`Events(path:)` opens it as an
/// RNTuple): muons, jets and MET per event equal uproot's reading of the same fields.
@Suite struct ObjectViewTests {
    static let path = sharedData + "/rntuple/cmsopendata2015_ttbar_19980_NANOAOD_RNTupleImporter_rntuple_v1-0-0-1.root"

    @Test func eventsOverTheRNTupleEqualUproot() throws {
        let code = """
            import sys, json, uproot
            events = uproot.open(sys.argv[1])["Events"]
            out = {name: [[repr(float(x)) for x in entry] for entry in events[name].array().tolist()]
                   for name in ("Muon_pt", "Muon_eta", "Jet_pt", "Jet_phi")}
            out["MET_pt"] = [repr(float(x)) for x in events["MET_pt"].array().tolist()]
            out["nJet"] = events["nJet"].array().tolist()
            print(json.dumps(out))
            """
        let run = try Peers.run(code: code, Self.path)
        try #require(run.succeeded, "\(run.failureMessage)")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        func jagged(_ name: String) -> [[Float]] {
            ((reference[name] as? [[String]]) ?? []).map { $0.map { Float(Double($0)!) } }
        }
        var muonPt: [[Float]] = [], muonEta: [[Float]] = [], jetPt: [[Float]] = [], jetPhi: [[Float]] = []
        var met: [Float] = [], nJet: [Int] = []
        let events = try Events(path: Self.path)
        try events.forEachEvent { event in
            muonPt.append(event.muons.map(\.pt))
            muonEta.append(event.muons.map(\.eta))
            jetPt.append(event.jets.map(\.pt))
            jetPhi.append(event.jets.map(\.phi))
            met.append(event.met.pt)
            nJet.append(event.value("nJet", as: Int.self))
        }
        #expect(events.count == 10)
        #expect(muonPt == jagged("Muon_pt"))
        #expect(muonEta == jagged("Muon_eta"))
        #expect(jetPt == jagged("Jet_pt"))
        #expect(jetPhi == jagged("Jet_phi"))
        #expect(met == ((reference["MET_pt"] as? [String]) ?? []).map { Float(Double($0)!) })
        #expect(nJet == (reference["nJet"] as? [Int]) ?? [])
        #expect(jetPt.joined().count > 0)
    }
}
