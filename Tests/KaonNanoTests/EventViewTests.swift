import Foundation
import KaonBenchmarks
import KaonColumns
import KaonIO
import KaonNano
import KaonPhysics
import KaonTestSupport
import KaonTree
import Testing

@Suite struct EventViewTests {
    @Test func collectionCountsMatchCounters() throws {
        for path in [ttbarPath, adlPath] {
            let tree = try openTree(path)
            let events = Events(tree: tree)
            #expect(events.count == tree.entries)
            let muPt = try tree.jagged("Muon_pt", as: Float.self), jetPt = try tree.jagged("Jet_pt", as: Float.self)
            var seen = 0
            try events.forEachEvent { event in
                #expect(event.muons.count == muPt.counts[event.entry])
                #expect(event.jets.count == jetPt.counts[event.entry])
                #expect(event.muons.map(\.pt) == Array(muPt[event.entry]))
                #expect(event.muons.count == event.value("nMuon", as: Int.self))
                seen += 1
            }
            #expect(seen == tree.entries)
        }
    }

    /// The README tour: a cut in `where`, pair masses.
    @Test func loopAndPairs() throws {
        let events = try Events(path: adlPath)
        var selected = 0, pairs = 0
        try events.forEachEvent { event in
            for muon in event.muons where muon.pt > 30 { selected += 1 }
            for (a, b) in event.muons.pairs() where a.charge != b.charge {
                let m = (a.p4 + b.p4).mass
                #expect(m.isFinite)
                pairs += 1
            }
        }
        #expect(selected > 0 && pairs > 0)
    }

    @Test func onlyTouchedBranchesAreReadOncePerChunk() throws {
        let tree = try openTree(adlPath)
        let source = RecordingSource(TreeChunk(tree: tree, entries: 0..<tree.entries))
        let view = ChunkView(source: source)
        #expect(source.requested.isEmpty)
        var sum: Float = 0
        for e in 0..<view.count {
            for muon in view[e].muons where muon.pt > 10 { sum += muon.pt }
        }
        #expect(source.requested == ["nMuon", "Muon_pt"])
        for e in 0..<view.count { _ = view[e].muons.first?.eta; _ = view[e].muons.first?.pt }
        #expect(source.requested == ["nMuon", "Muon_pt", "Muon_eta"])
        try view.check()
        #expect(sum > 0)
    }

    @Test func missingBranchIsAnErrorAtFirstUseNamingIt() throws {
        // Opening never fails on branches: nothing is read until used.
        let events = try Events(path: adlPath)
        var visited = 0
        let error = #expect(throws: KaonError.self) {
            try events.forEachEvent { event in
                visited += 1
                for muon in event.muons { _ = muon.value("noSuchBranch", as: Float.self) }
            }
        }
        #expect(error?.kind == .missingBranch)
        #expect(error?.object == "Muon_noSuchBranch")
        #expect(error?.message.contains("Run2012B_SingleMu_1000.root") == true)
        // It stopped at the first event with a muon, not at the end.
        #expect(visited < 10)

        // A typed property on a file that lacks it (the 2012 file has no Muon_mediumId).
        var loops = 0
        let typed = #expect(throws: KaonError.self) {
            try events.forEachEvent { event in
                loops += 1
                for muon in event.muons { _ = muon.mediumId }
            }
        }
        #expect(loops < 10)
        #expect(typed?.object == "Muon_mediumId")

        // A missing collection (no nFatJet): the counter is named, the collection is empty.
        let view = events.chunk(0)
        #expect(view[0].fatJets.isEmpty)
        #expect(view.error?.object == "nFatJet")
    }

    @Test func typeConversionIsExactOrAnError() throws {
        let events = try Events(path: adlPath)
        let view = events.chunk(0)
        // `run` is int32 in this file, read as UInt32; Jet_puId is bool here, read as Int32.
        #expect(view[0].run > 0)
        _ = view[0].jets.first?.puId
        try view.check()
        // Floats never silently become integers.
        let other = events.chunk(0)
        var index = 0
        while other[index].muons.isEmpty { index += 1 }
        _ = other[index].muons[0].value("pt", as: Int32.self)
        #expect(other.error?.kind == .usage)
        #expect(other.error?.object == "Muon_pt")
    }

    @Test func btagAndSumEtFollowTheFile() throws {
        let adl = try openTree(adlPath), ttbar = try openTree(ttbarPath)
        let adlBtag = try adl.jagged("Jet_btag", as: Float.self)
        let ttbarBtag = try ttbar.jagged("Jet_btagDeepB", as: Float.self)
        try Events(tree: adl).forEachEvent { #expect($0.jets.map(\.btag) == Array(adlBtag[$0.entry])); _ = $0.met.sumEt }
        try Events(tree: ttbar).forEachEvent { #expect($0.jets.map(\.btag) == Array(ttbarBtag[$0.entry])); _ = $0.met.sumEt }
    }

    @Test func crossReferences() throws {
        let tree = try openTree(ttbarPath)
        let jetPt = try tree.jagged("Jet_pt", as: Float.self)
        let eleJet = try tree.jagged("Electron_jetIdx", as: Int32.self)
        let motherIdx = try tree.jagged("GenPart_genPartIdxMother", as: Int32.self)
        var matched = 0, unmatched = 0, withMother = 0, childLinks = 0
        try Events(tree: tree).forEachEvent { event in
            let l = event.entry
            for (k, electron) in event.electrons.enumerated() {
                let idx = Int(eleJet[l][eleJet.offsets[l] + k])
                if idx >= 0 {
                    #expect(electron.matchedJet?.pt == jetPt[l][jetPt.offsets[l] + idx])
                    matched += 1
                } else {
                    #expect(electron.matchedJet == nil)
                    unmatched += 1
                }
            }
            let particles = event.genParticles
            for particle in particles {
                let m = Int(motherIdx[l][motherIdx.offsets[l] + particle.localIndex])
                #expect(particle.mother?.localIndex == (m >= 0 ? m : nil))
                if m >= 0 { withMother += 1 }
                for child in particle.children {
                    #expect(child.mother?.localIndex == particle.localIndex)
                    childLinks += 1
                }
            }
            for jet in event.jets {
                if let mu = jet.muon1 { #expect(mu.localIndex == Int(jet.muonIdx1)) } else { #expect(jet.muonIdx1 < 0) }
            }
        }
        #expect(matched > 0 && unmatched > 0)
        #expect(childLinks == withMother)
    }

    @Test func singletonsFlagsAndScalars() throws {
        let tree = try openTree(adlPath)
        let view = Events(tree: tree).chunk(0)
        let met = try tree.read(tree.branch("MET_pt")).values(as: Float.self)
        for e in 0..<view.count {
            #expect(view[e].met.pt == met[e])
            #expect(view[e]["MET_pt", as: Float.self] == met[e])
            #expect(view[e].hlt("IsoMu24") == view[e].flag("HLT_IsoMu24"))
        }
        #expect(view[0].pv.npvs > 0)
        #expect(view[0].event > 0 && view[0].luminosityBlock > 0)
        try view.check()
    }

    @Test func sourceWithOnlyColumnAndCount() throws {
        let tree = try openTree(adlPath)
        let view = ChunkView(source: MinimalSource(TreeChunk(tree: tree, entries: 0..<100)))
        var n = 0
        for e in 0..<view.count { for jet in view[e].jets where jet.btag >= 0 { n += 1 } }
        try view.check()
        #expect(n > 0)
    }

    /// Branches without a typed property, by name; typed views under other prefixes.
    @Test func byNameAccessAndOtherPrefixes() throws {
        let tree = try openTree(ttbarPath)
        let dxy = try tree.jagged("Muon_dxy", as: Float.self)
        let ak8 = try tree.jagged("GenJetAK8_pt", as: Float.self)
        let puppiPt = try tree.read(tree.branch("PuppiMET_pt")).values(as: Float.self)
        try Events(tree: tree).forEachEvent { event in
            #expect(event.muons.map { $0["dxy", as: Float.self] } == Array(dxy[event.entry]))
            #expect(event.muons.map { $0.value("dxy", as: Double.self) } == dxy[event.entry].map(Double.init))
            #expect(event.objects(GenJet.self, prefix: "GenJetAK8").map(\.pt) == Array(ak8[event.entry]))
            #expect(event.single(MET.self, prefix: "PuppiMET").pt == puppiPt[event.entry])
            #expect(event.collection("SV").count == event.value("nSV", as: Int.self))
        }
    }

    /// A tree that is not NanoAOD: counters `NMuon`, branches `Muon_Px`, … and flat `MET_px`.
    @Test func genericTree() throws {
        let tree = try openTree(sharedData + "/root/uproot-HZZ.root", "events")
        let px = try tree.jagged("Muon_Px", as: Float.self)
        struct HZZMuon: NanoObject {
            static let defaultPrefix = "Muon"
            enum Field: Int, NanoField { case Px, Py, Pz, E, Charge }
            let handle: ObjectHandle
            init(handle: ObjectHandle) { self.handle = handle }
            var px: Float { field(.Px, as: Float.self) }
            var p4: PxPyPzEVector { PxPyPzEVector(px: px, py: field(.Py, as: Float.self), pz: field(.Pz, as: Float.self), e: field(.E, as: Float.self)) }
            var charge: Int32 { field(.Charge, as: Int32.self) }
        }
        var pairs = 0
        try Events(tree: tree).forEachEvent { event in
            let generic = event.collection("Muon", counter: "NMuon")
            #expect(generic.map { $0["Px", as: Float.self] } == Array(px[event.entry]))
            let typed = event.objects(HZZMuon.self, prefix: "Muon", counter: "NMuon")
            #expect(typed.map(\.px) == Array(px[event.entry]))
            for (a, b) in typed.pairs() where a.charge != b.charge {
                #expect((a.p4 + b.p4).mass.isFinite)
                pairs += 1
            }
            _ = event.singleton("MET")["px", as: Float.self]
            _ = event.value("NJet", as: Int.self)
        }
        #expect(pairs > 0)
    }

    /// ADL query 6 with the object view equals the columnar KaonPhysics version exactly.
    @Test func query6MatchesColumnar() throws {
        let tree = try openTree(adlPath)
        let jets = try tree.p4("Jet")
        let columnar = ADLQuery6.bestTrijet(jets: jets, btag: try tree.jagged("Jet_btag", as: Float.self))
        var pts: [Double?] = [], btags: [Float?] = []
        try Events(tree: tree).forEachEvent { event in
            let best = ADLQuery6View.bestTrijet(event.jets)
            pts.append(best?.pt)
            btags.append(best?.maxBtag)
        }
        #expect(pts == columnar.pt)
        #expect(btags == columnar.maxBtag)
        // The published counts on these 1000 events (notes/adl-benchmark.md).
        let found = pts.compactMap { $0 }
        #expect(found.count == 274)
        #expect(found.filter { $0 >= 15 && $0 < 40 }.count == 127)
        #expect(btags.compactMap { $0 }.filter { $0 >= 0 && $0 < 1 }.count == 251)
    }

    @Test func sharedKinematicFieldsReadTheirOwnBranches() {
        // KinematicObject reads the Field cases pt, eta, phi, PtEtaPhiMObject mass: each must
        // read its own branch (a typed field's suffix is its case name unless overridden).
        func names<O: PtEtaPhiMObject>(_: O.Type) -> [[String]] { [O.Field.pt, .eta, .phi, .mass].map(\.branchSuffixes) }
        let ptEtaPhiM = [["pt"], ["eta"], ["phi"], ["mass"]]
        #expect(names(Muon.self) == ptEtaPhiM)
        #expect(names(Electron.self) == ptEtaPhiM)
        #expect(names(Photon.self) == ptEtaPhiM)
        #expect(names(Tau.self) == ptEtaPhiM)
        #expect(names(Jet.self) == ptEtaPhiM)
        #expect(names(FatJet.self) == ptEtaPhiM)
        #expect(names(GenJet.self) == ptEtaPhiM)
        #expect(names(GenParticle.self) == ptEtaPhiM)
        #expect([TrigObj.Field.pt, .eta, .phi].map(\.branchSuffixes) == [["pt"], ["eta"], ["phi"]])
        // ChargedLepton adds charge, pdgId, dxy, dz, pfRelIso03_all.
        func lepton<L: ChargedLepton>(_: L.Type) -> [[String]] { [L.Field.charge, .pdgId, .dxy, .dz, .pfRelIso03_all].map(\.branchSuffixes) }
        let leptonFields = [["charge"], ["pdgId"], ["dxy"], ["dz"], ["pfRelIso03_all"]]
        #expect(lepton(Muon.self) == leptonFields)
        #expect(lepton(Electron.self) == leptonFields)
    }

    @Test func benchmarkLoopsAgree() throws {
        let views = try NanoBenchmarks.load(Events(path: adlPath))
        let (objects, raw) = try NanoBenchmarks.results(views)
        #expect(objects == raw)
        #expect(objects.jets > 0 && objects.zCandidates > 0)
        #expect(NanoBenchmarks.objectLoop(views, repetitions: 1) > 0)
        #expect(try NanoBenchmarks.rawLoop(views, repetitions: 1) > 0)
    }
}
