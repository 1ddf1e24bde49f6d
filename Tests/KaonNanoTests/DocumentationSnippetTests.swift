import KaonNano
import Testing

/// The code of the README's Swift tour and of the DocC article ObjectLifetimes.md, on the
/// shared ADL file: it must compile and run (the path is the only change).
@Suite struct DocumentationSnippetTests {
    @Test func readmeTour() throws {
        var muonsAbove30 = 0, opposite = 0
        // -- README "Kaon from Swift" (path changed) --
        let events = try Events(path: adlPath)
        try events.forEachEvent { event in
            for muon in event.muons where muon.pt > 30 {
                if let jet = muon.matchedJet, jet.btag > 0.5 { /* … */ }
                muonsAbove30 += 1
            }
            for (mu1, mu2) in event.muons.pairs() where mu1.charge != mu2.charge {
                let mass = (mu1.p4 + mu2.p4).mass
                #expect(mass > 0)
                opposite += 1
            }
        }
        // -- end --
        #expect(muonsAbove30 > 0 && opposite > 0)
    }

    @Test func keepingObjects() throws {
        var events: Events? = try Events(path: adlPath)
        // -- ObjectLifetimes.md "Keeping objects" --
        var leading: [Muon] = []
        try events!.forEachEvent { event in
            if let muon = event.muons.max(by: { $0.pt < $1.pt }) { leading.append(muon) }
        }
        events = nil
        let pts = leading.map(\.pt)
        let isolation = leading.map(\.pfRelIso04_all)
        // -- end --
        // Against the columns read directly.
        let tree = try openTree(adlPath)
        let pt = try tree.jagged("Muon_pt", as: Float.self), iso = try tree.jagged("Muon_pfRelIso04_all", as: Float.self)
        var expectedPt: [Float] = [], expectedIso: [Float] = []
        for entry in 0..<tree.entries {
            let p = Array(pt[entry]), i = Array(iso[entry])
            guard let best = p.indices.max(by: { p[$0] < p[$1] }) else { continue }
            expectedPt.append(p[best]); expectedIso.append(i[best])
        }
        #expect(pts == expectedPt)
        #expect(isolation == expectedIso)
    }
}
