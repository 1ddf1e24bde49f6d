import Foundation
import KaonIO
import KaonNano
import KaonTestSupport
import KaonTree
import Testing

/// `tree.jagged(_:as:)` and `tree.p4(_:)` against uproot (the columns) and scikit-hep
/// `vector` (the four-momenta, in float64) on the ADL sample.
@Suite struct TreeBridgeTests {
    /// What the peers compute for one collection, flattened over events.
    struct Reference: Decodable {
        var counts: [Int]
        var pt, eta, phi, mass: [Double]
        var px, py, pz, energy: [Double]
        var pairMass: [Double]
    }

    static let code = """
    import sys, json, uproot, awkward as ak, numpy as np, vector
    vector.register_awkward()
    tree = uproot.open(sys.argv[1])["Events"]
    out = {}
    for c in sys.argv[2].split(","):
        a = tree.arrays([f"{c}_pt", f"{c}_eta", f"{c}_phi", f"{c}_mass"])
        p = ak.zip({k: ak.values_astype(a[f"{c}_{k}"], np.float64) for k in ["pt", "eta", "phi", "mass"]},
                   with_name="Momentum4D")
        pairs = ak.combinations(p, 2)
        flat = lambda x: ak.flatten(x).to_list()
        out[c] = {"counts": ak.num(p).to_list(),
                  "pt": flat(a[f"{c}_pt"]), "eta": flat(a[f"{c}_eta"]), "phi": flat(a[f"{c}_phi"]), "mass": flat(a[f"{c}_mass"]),
                  "px": flat(p.px), "py": flat(p.py), "pz": flat(p.pz), "energy": flat(p.E),
                  "pairMass": flat((pairs["0"] + pairs["1"]).mass)}
    print(json.dumps(out))
    """

    /// As the peers' scripts compare float64 physics: 1e-9 relative plus 1e-9 absolute.
    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 + 1e-9 * max(abs($0), abs($1)) }
    }

    @Test func jaggedAndP4MatchUprootAndVector() throws {
        let tree = try openTree(adlPath)
        let collections = ["Muon", "Jet"]
        let run = try Peers.run(code: Self.code, adlPath, collections.joined(separator: ","))
        try #require(run.succeeded, "\(run.failureMessage)")
        let json = try #require(run.output.split(separator: "\n").last.map { Data($0.utf8) })
        let references = try JSONDecoder().decode([String: Reference].self, from: json)
        for name in collections {
            let peer = try #require(references[name])
            #expect(peer.pt.count > 100, "\(name): too few objects for the comparison to mean anything")

            // The columns themselves: exactly uproot's (float32 widened to double on both sides).
            let pt = try tree.jagged(name + "_pt", as: Float.self)
            #expect(pt.counts == peer.counts, "\(name)_pt counts")
            #expect(pt.values.map(Double.init) == peer.pt, "\(name)_pt")

            let p4 = try tree.p4(name)
            #expect(p4.counts == peer.counts, "\(name) counts")
            #expect(p4.pt.values.map(Double.init) == peer.pt, "\(name) pt")
            #expect(p4.eta.values.map(Double.init) == peer.eta, "\(name) eta")
            #expect(p4.phi.values.map(Double.init) == peer.phi, "\(name) phi")
            #expect(p4.mass.values.map(Double.init) == peer.mass, "\(name) mass")

            // The physics: vector's Cartesian components and pair masses.
            let cartesian = p4.cartesian()
            #expect(Self.close(cartesian.px.values, peer.px), "\(name) px")
            #expect(Self.close(cartesian.py.values, peer.py), "\(name) py")
            #expect(Self.close(cartesian.pz.values, peer.pz), "\(name) pz")
            #expect(Self.close(cartesian.e.values, peer.energy), "\(name) energy")
            let pairMass = p4.mass(over: p4.pt.argcombinations(2))
            #expect(Self.close(pairMass.values, peer.pairMass), "\(name) pair masses")
        }
    }

    /// An entry range reads those entries only, with the same values as the full read.
    @Test func entryRangeIsASliceOfTheFullRead() throws {
        let tree = try openTree(adlPath)
        let all = try tree.p4("Jet"), part = try tree.p4("Jet", entries: 100..<200)
        #expect(part.count == 100)
        let first = all.offsets[100], last = all.offsets[200]
        #expect(part.pt.values == Array(all.pt.values[first..<last]))
        #expect(part.mass.values == Array(all.mass.values[first..<last]))
    }

    /// Wrong type, wrong shape, missing branch: errors that name the branch.
    @Test func refusalsNameTheBranch() throws {
        let tree = try openTree(adlPath)
        let wrongType = try #require(throws: KaonError.self) { try tree.jagged("Muon_pt", as: Int32.self) }
        #expect(wrongType.description.contains("Muon_pt: holds float32 values, not Int32"), "\(wrongType)")
        let notJagged = try #require(throws: KaonError.self) { try tree.jagged("nMuon", as: UInt32.self) }
        #expect(notJagged.object == "nMuon" && notJagged.message.contains("not a branch of one list"), "\(notJagged)")
        let missing = try #require(throws: KaonError.self) { try tree.p4("Nothing") }
        #expect(missing.description.contains("Nothing_pt"), "\(missing)")
    }
}

/// The README's columnar snippet ("Kaon from Swift"), run on the ADL sample.
@Test func readmeColumnarSnippet() throws {
    let tree = try openTree(adlPath)
    let nMuon = try tree.read(tree.branch("nMuon")).values(as: UInt32.self)
    let pt = try tree.jagged("Muon_pt", as: Float.self)
    let muons = try tree.p4("Muon")
    let dimuonMass = muons.mass(over: muons.pt.argcombinations(2))
    #expect(nMuon.map(Int.init) == pt.counts)
    #expect(dimuonMass.counts == pt.counts.map { $0 * ($0 - 1) / 2 })
}
