import KaonADL
import KaonPhysics
import KaonTestSupport
import Testing

/// The pruned trijet search must choose exactly what the plain loop over all triples chooses
/// (the definition of Q6: lexicographic triples, strict `<`, first on ties), bit for bit.
@Suite("TrijetSearch")
struct TrijetSearchTests {

    func search(_ p4: [PxPyPzEVector], target: Double) -> TrijetSearch.Trijet {
        var room = [Double](repeating: 0, count: p4.count)
        return TrijetSearch.closest(px: p4.map(\.px), py: p4.map(\.py), pz: p4.map(\.pz), e: p4.map(\.e), count: p4.count,
                                    toMass: target, distances: &room)
    }

    func check(_ p4: [PxPyPzEVector], target: Double = 172.5) {
        let plain = plainTrijetLoop(p4, target: target), fast = search(p4, target: target)
        #expect([fast.i, fast.j, fast.k] == [plain.0, plain.1, plain.2], "\(p4)")
        #expect(fast.sum.px.bitPattern == plain.3.px.bitPattern && fast.sum.e.bitPattern == plain.3.e.bitPattern)
    }

    @Test("random jets, including space-like (negative mass) ones: same triple as the plain loop",
          arguments: [testSeed(0x7472_696A_6574)])
    func randomJets(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        for _ in 0..<3000 {
            let n = Int.random(in: 3...14, using: &generator)
            let jets = (0..<n).map { _ in
                PtEtaPhiMVector(pt: Double.random(in: 15...200, using: &generator), eta: Double.random(in: -4...4, using: &generator),
                                phi: Double.random(in: -.pi ... .pi, using: &generator),
                                mass: Double.random(in: -2...30, using: &generator)).cartesian
            }
            check(jets)
            check(jets, target: Double.random(in: 0...600, using: &generator))
        }
    }

    @Test("ties go to the first triple; a target below every mass; NaN first distance keeps the first triple")
    func edgeCases() {
        let jet = PtEtaPhiMVector(pt: 40.0, eta: 0.3, phi: 1.0, mass: 5.0).cartesian
        let same = Array(repeating: jet, count: 6)
        #expect([search(same, target: 172.5).i, search(same, target: 172.5).k] == [0, 2])
        let other = PtEtaPhiMVector(pt: 90.0, eta: -1.0, phi: -2.0, mass: 10.0).cartesian
        check([jet, other, jet, other, jet], target: 0)
        check([jet, other, jet, other, jet], target: 1e6)
        let nan = PxPyPzEVector(px: .nan, py: 0, pz: 0, e: 1)
        let first = search([nan, jet, other, jet, other], target: 172.5)
        #expect([first.i, first.j, first.k] == [0, 1, 2])
        check([jet, other, nan, jet, other, jet])
        let infinite = PxPyPzEVector(px: 0, py: 0, pz: 0, e: .infinity)
        check([infinite, jet, other, jet, other])
    }

    /// Where the mass window decides which square roots are taken: massless and boosted jets
    /// (E ≈ |p| up to rounding), many jets, targets near the masses that occur, exact ties.
    @Test("time-like jets (massless, boosted, up to 30 per event): same triple as the plain loop",
          arguments: [testSeed(0x7469_6D65)])
    func timeLikeJets(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        for round in 0..<1500 {
            let n = Int.random(in: 3...(round % 10 == 0 ? 30 : 12), using: &generator)
            var jets = (0..<n).map { _ in
                PtEtaPhiMVector(pt: Double(Float.random(in: 15...300, using: &generator)),
                                eta: Double(Float.random(in: -5...5, using: &generator)),
                                phi: Double(Float.random(in: -.pi ... .pi, using: &generator)),
                                mass: Bool.random(using: &generator) ? 0 : Double(Float.random(in: 0...40, using: &generator))).cartesian
            }
            if round % 7 == 0 { jets[n - 1] = jets[0] }  // a repeated jet: ties between triples
            check(jets)
            check(jets, target: Double.random(in: 20...400, using: &generator))
        }
    }
}
