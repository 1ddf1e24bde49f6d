import KaonColumns
import KaonNano
import KaonTree
import Testing

/// A user-defined object declares its fields once, as a `Field` enum, and reads the branches
/// its cases name (or the first present of a case's candidates) — the same values as the
/// tree's own columns.
@Suite struct UserObjectTests {
    /// The ADL file's jets seen through a user type: the shared kinematic properties come
    /// from `PtEtaPhiMFields` cases declared in any order, `btag` has two candidate branches
    /// (`Jet_btagDeepB` is absent in this file, so `Jet_btag` is read), `pileUpId` a branch
    /// named differently from the case.
    struct TaggedJet: PtEtaPhiMObject {
        static let defaultPrefix = "Jet"
        enum Field: Int, PtEtaPhiMFields {
            case btag, pileUpId, phi, eta, mass, pt
            var branchSuffixes: [String] {
                switch self {
                case .btag: ["btagDeepB", "btag"]
                case .pileUpId: ["puId"]
                default: [name]
                }
            }
        }
        let handle: ObjectHandle
        init(handle: ObjectHandle) { self.handle = handle }
        var btag: Float { field(.btag, as: Float.self) }
        var pileUpId: Bool { field(.pileUpId, as: Bool.self) }
    }

    /// One per event, with a field stored as `MET_sumEt` in NanoAOD and `MET_sumet` here.
    struct MissingET: NanoObject {
        static let defaultPrefix = "MET"
        static var kind: ObjectKind { .singleton }
        enum Field: Int, NanoField {
            case significance, sumEt
            var branchSuffixes: [String] { self == .sumEt ? ["sumEt", "sumet"] : [name] }
        }
        let handle: ObjectHandle
        init(handle: ObjectHandle) { self.handle = handle }
        var sumEt: Float { field(.sumEt, as: Float.self) }
        var significance: Float { field(.significance, as: Float.self) }
    }

    /// A type without typed fields: only by-name reads.
    struct Pileup: NanoObject {
        static let defaultPrefix = "Jet"
        let handle: ObjectHandle
        init(handle: ObjectHandle) { self.handle = handle }
    }

    @Test func aUserObjectReadsTheBranchesItsFieldsName() throws {
        let tree = try openTree(adlPath)
        let expected = (pt: try tree.jagged("Jet_pt", as: Float.self), eta: try tree.jagged("Jet_eta", as: Float.self),
                        phi: try tree.jagged("Jet_phi", as: Float.self), mass: try tree.jagged("Jet_mass", as: Float.self),
                        btag: try tree.jagged("Jet_btag", as: Float.self), puId: try tree.jagged("Jet_puId", as: Bool.self))
        let sumet = try tree.read(tree.branch("MET_sumet")).values(as: Float.self)
        let significance = try tree.read(tree.branch("MET_significance")).values(as: Float.self)
        var events = 0, jets = 0
        try Events(tree: tree).forEachEvent { event in
            let e = event.entry
            let mine = event.objects(TaggedJet.self)
            #expect(mine.map(\.pt) == Array(expected.pt[e]))
            #expect(mine.map(\.eta) == Array(expected.eta[e]))
            #expect(mine.map(\.phi) == Array(expected.phi[e]))
            #expect(mine.map(\.mass) == Array(expected.mass[e]))
            #expect(mine.map(\.btag) == Array(expected.btag[e]))
            #expect(mine.map(\.pileUpId) == Array(expected.puId[e]))
            #expect(event.objects(Pileup.self).map { $0["puId", as: Bool.self] } == Array(expected.puId[e]))
            let met = event.single(MissingET.self)
            #expect(met.sumEt == sumet[e])
            #expect(met.significance == significance[e])
            events += 1
            jets += mine.count
        }
        #expect(events == tree.entries)
        #expect(jets == expected.pt.values.count && jets > 0)
    }

    @Test func aTypedFieldsBufferIsTheFirstCandidatePresent() throws {
        let tree = try openTree(adlPath)
        let view = Events(tree: tree).chunk(0)
        let store = view.store(for: Jet.self)
        #expect(store.branchNames(Jet.Field.btag) == ["Jet_btagDeepB", "Jet_btag"])
        #expect(store.branchName("pt") == "Jet_pt")
        let btag = try store.buffer(Jet.Field.btag, as: Float.self)
        #expect(Array(btag) == Array(try tree.jagged("Jet_btag", as: Float.self).values))
        // No '|' mini-language: a name is one branch suffix, and "btagDeepB" alone is missing here.
        #expect(throws: (any Error).self) { try store.buffer("btagDeepB|btag", as: Float.self) }
        #expect(throws: (any Error).self) { try store.buffer("btagDeepB", as: Float.self) }
    }

    /// Raw values are the slots: an enum numbered by hand out of declaration order is refused.
    @Test func fieldsWithHandNumberedSlotsTrap() async {
        await #expect(processExitsWith: .failure, "raw values that are not the slots") {
            struct Numbered: NanoObject {
                static let defaultPrefix = "Jet"
                enum Field: Int, NanoField { case eta = 1, pt = 0 }
                let handle: ObjectHandle
                init(handle: ObjectHandle) { self.handle = handle }
            }
            guard let tree = try? openTree(adlPath) else { return }   // exits normally: the test fails
            let view = Events(tree: tree).chunk(0)
            for e in 0..<view.count { for jet in view[e].objects(Numbered.self) { _ = jet.field(.pt, as: Float.self) } }
        }
    }
}
