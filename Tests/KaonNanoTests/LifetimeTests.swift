import KaonColumns
import KaonNano
import KaonTree
import Testing

/// Objects, collections and events kept after their loop — after the `Events`, its chunks
/// and every loop variable are gone — still read the right values, and release their chunk
/// once the last of them goes (no cycle). References are read directly with KaonTree.
///
/// Run once under the address sanitizer (a dangling view would be a heap-use-after-free):
/// `swift test -c debug --sanitize=address --filter LifetimeTests`. Against the earlier
/// unretained views (commit 02a92ea) the kept-muons check is exactly that: ASan reports a
/// heap-use-after-free in `ObjectHandle.field` (checked 2026-11-29).
@Suite struct LifetimeTests {
    /// What a loop leaves behind.
    struct Kept {
        var muons: [Muon] = []
        var jetCollections: [ObjectCollection<Jet>] = []
        var events: [Event] = []
        var mothers: [() -> Int32?] = []
        var muonPairs: [(Muon, Muon)] = []
        var pairSequences: [ObjectCollection<Muon>.Pairs] = []
        var firstJetTriples: [(Jet, Jet, Jet)] = []
    }

    /// Runs a loop over a fresh `Events` (several chunks) that keeps views in arrays and
    /// closures; the `Events` goes out of scope on return.
    static func loopKeepingViews(_ path: String) throws -> Kept {
        var kept = Kept()
        let events = try Events(path: path, chunkSize: 1)   // one chunk per cluster
        try events.forEachEvent { event in
            kept.muons += event.muons.filter { _ in true }
            kept.jetCollections.append(event.jets)
            kept.events.append(event)
            if let particle = event.genParticles.last { kept.mothers.append { particle.mother?.pdgId } }
            kept.muonPairs += event.muons.pairs().map { $0 }
            kept.pairSequences.append(event.muons.pairs())
            var triples = event.jets.triples().makeIterator()
            if let first = triples.next() { kept.firstJetTriples.append(first) }
        }
        return kept
    }

    @Test func viewsOutliveTheirLoopAndChunks() throws {
        let tree = try openTree(ttbarPath)
        let muPt = try tree.jagged("Muon_pt", as: Float.self), muDxy = try tree.jagged("Muon_dxy", as: Float.self)
        let jetPt = try tree.jagged("Jet_pt", as: Float.self)
        let genPdg = try tree.jagged("GenPart_pdgId", as: Int32.self)
        let genMother = try tree.jagged("GenPart_genPartIdxMother", as: Int32.self)

        var kept = try Self.loopKeepingViews(ttbarPath)
        // Churn the heap so that freed column buffers would be reused by other data.
        let churn = (0..<200).map { [Float](repeating: .nan, count: 1000 + $0) }
        #expect(churn.count == 200)

        #expect(kept.muons.map(\.pt) == Array(muPt.values))
        // A branch first touched after the loop is read then, through the kept chunk.
        #expect(kept.muons.map(\.dxy) == Array(muDxy.values))
        #expect(kept.jetCollections.count == tree.entries)
        for (entry, jets) in kept.jetCollections.enumerated() {
            #expect(jets.map(\.pt) == Array(jetPt[entry]))
        }
        for (entry, event) in kept.events.enumerated() {
            #expect(event.entry == entry)
            #expect(event.muons.map(\.pt) == Array(muPt[entry]))
        }
        // Pairs and triples (their iterators hold the chunk themselves, not a collection).
        let pairs = (0..<tree.entries).flatMap { entry in
            let pt = Array(muPt[entry])
            return pt.indices.flatMap { i in pt.indices.filter { $0 > i }.map { j in [pt[i], pt[j]] } }
        }
        #expect(!pairs.isEmpty)
        #expect(kept.muonPairs.map { [$0.0.pt, $0.1.pt] } == pairs)
        #expect(kept.pairSequences.flatMap { $0.map { [$0.0.pt, $0.1.pt] } } == pairs)
        let triples = (0..<tree.entries).compactMap { entry -> [Float]? in
            let pt = Array(jetPt[entry])
            return pt.count >= 3 ? Array(pt[0..<3]) : nil
        }
        #expect(!triples.isEmpty)
        #expect(kept.firstJetTriples.map { [$0.0.pt, $0.1.pt, $0.2.pt] } == triples)
        // The closures captured the last particle of each event with generator particles.
        let expected = (0..<tree.entries).compactMap { entry -> Int32?? in
            let pdg = Array(genPdg[entry]), mother = Array(genMother[entry])
            guard let last = mother.last else { return nil }
            return last >= 0 && Int(last) < pdg.count ? .some(pdg[Int(last)]) : .some(nil)
        }
        #expect(kept.mothers.map { $0() } == expected)
        #expect(!kept.mothers.isEmpty)

        // The chunks are freed with the last view that holds them (no reference cycle).
        weak let chunk = kept.muons.first?.handle.chunk
        #expect(chunk != nil)
        kept = Kept()
        #expect(chunk == nil)
    }

    /// The leading muon of the first event with one, read through a chain of temporaries:
    /// the muon is the only owner of its chunk when `pt` and `dxy` are read. Views have no
    /// lexical lifetime (`@_eagerMove`), so this is correct only because every read extends
    /// the chunk's lifetime itself; meant for optimised builds under the address sanitizer
    /// (`swift test -c release -Xswiftc -enable-testing --sanitize=address --filter LifetimeTests`).
    /// With Swift 6.3.1 it also passes when `ObjectHandle.field` does not extend the
    /// lifetime (the optimiser happens not to move the release above the load), so it is a
    /// guard for the rule, not a proof that the rule is needed.
    @inline(never)
    static func leadingMuonValues(_ path: String) throws -> (pt: Float, dxy: Float)? {
        let view = try Events(path: path).chunk(0)
        guard let e = (0..<view.count).first(where: { view[$0].muons.count > 0 }) else { return nil }
        return (Events(tree: try openTree(path)).chunk(0)[e].muons[0].pt,
                lastOwnerRead(Events(tree: try openTree(path)).chunk(0)[e].muons[0]))
    }

    /// Reads `dxy` twice from a muon that is the only owner of its chunk: the second read
    /// is the plain load (branch already decoded) and the muon's last use.
    @inline(never)
    static func lastOwnerRead(_ muon: consuming Muon) -> Float {
        let first = muon.dxy
        // Churn the heap between the reads, so that a chunk released early is reused.
        let churn = (0..<64).map { [Float](repeating: .nan, count: 4096 + $0) }
        let second = muon.dxy
        return churn.count == 64 && first.bitPattern == second.bitPattern ? second : .nan
    }

    @Test func temporaryChainsKeepTheirChunkUntilTheRead() throws {
        let tree = try openTree(adlPath)
        let pt = try tree.jagged("Muon_pt", as: Float.self), dxy = try tree.jagged("Muon_dxy", as: Float.self)
        let e = try #require((0..<tree.entries).first { pt[$0].count > 0 })
        let values = try #require(try Self.leadingMuonValues(adlPath))
        #expect(values.pt == pt[e].first)
        #expect(values.dxy == dxy[e].first)
    }

    @Test func publicConstructorsCheckTheirIndices() throws {
        let events = try Events(path: adlPath)
        let view = events.chunk(0)
        let muons = view.store(for: Muon.self)
        let first = try #require((0..<view.count).first { view[$0].muons.count > 0 })
        let handle = ObjectHandle(store: muons, index: muons.offsetsBuffer[first], event: first)
        #expect(Muon(handle: handle).pt == view[first].muons[0].pt)
        #expect(ObjectCollection<Muon>(store: muons, event: first).map(\.pt) == view[first].muons.map(\.pt))
    }

    /// A user type whose slots are Muon branches, read here as two different types.
    struct MuonTrack: NanoObject {
        static let defaultPrefix = "Muon"
        enum Field: Int, NanoField { case pt, charge }
        let handle: ObjectHandle
        init(handle: ObjectHandle) { self.handle = handle }
    }

    /// A slot past the store's fields traps instead of reading: below
    /// `CollectionStore.uncheckedSlots` (no bounds check in the read) the cell is nil and the
    /// loader stops; above it the read's own check does.
    @Test(arguments: [2, 8, 63, 64, 1000, -1])
    func aSlotPastTheFieldsTraps(slot: Int) async {
        await #expect(processExitsWith: .failure, "slot \(slot) of a 2-field store") { [slot] in
            guard let tree = try? openTree(adlPath) else { return }   // exits normally: the test fails
            let view = Events(tree: tree).chunk(0)
            for e in 0..<view.count {
                for track in view[e].objects(MuonTrack.self) { _ = track.handle.field(slot, as: Float.self) }
            }
        }
    }

    /// A slot read as two types of different size must not read one type's buffer as the
    /// other (that would run past its end): each type gets the branch's values.
    @Test func aSlotReadAsTwoTypesReadsEachCorrectly() throws {
        let tree = try openTree(adlPath)
        let pt = try tree.jagged("Muon_pt", as: Float.self)
        let view = Events(tree: tree).chunk(0)
        var asFloat: [Float] = [], asDouble: [Double] = [], asInt8: [Int8] = []
        for e in 0..<view.count {
            for track in view[e].objects(MuonTrack.self) {
                asFloat.append(track.field(.pt, as: Float.self))
                asDouble.append(track.field(.pt, as: Double.self))
                asInt8.append(track.field(.charge, as: Int8.self))
            }
        }
        try view.check()
        #expect(view.count == tree.entries)
        #expect(asFloat == Array(pt.values))
        #expect(asDouble == asFloat.map(Double.init))
        #expect(!asInt8.isEmpty && asInt8.allSatisfy { $0 == 1 || $0 == -1 })
    }
}
