import KaonADL
import KaonPhysics
import KaonTestSupport
import Testing

/// The screened trijet search (fast conversions without libm, candidates, exact decision) must
/// choose what the plain loop over all triples of the libm-converted jets chooses, bit for bit,
/// with every kernel this processor runs.
@Suite("TrijetSearch screening")
struct TrijetScreeningTests {
    struct Jets {
        var pt: [Float] = [], eta: [Float] = [], phi: [Float] = [], mass: [Float] = []
        var count: Int { pt.count }
        mutating func append(_ pt: Float, _ eta: Float, _ phi: Float, _ mass: Float) {
            self.pt.append(pt); self.eta.append(eta); self.phi.append(phi); self.mass.append(mass)
        }
        var p4: [PxPyPzEVector] { (0..<count).map { PtEtaPhiMVector(pt: pt[$0], eta: eta[$0], phi: phi[$0], mass: mass[$0]).cartesian } }
    }

    func check(_ jets: Jets, target: Double = 172.5, sourceLocation: SourceLocation = #_sourceLocation) {
        let plain = plainTrijetLoop(jets.p4, target: target)
        for screening in Screening.allCases where screening.isAvailable {
            let search = TrijetSearch(capacity: 4, screening: screening)
            let found = search.closest(pt: jets.pt, eta: jets.eta, phi: jets.phi, mass: jets.mass, count: jets.count, toMass: target)!
            #expect([found.i, found.j, found.k] == [plain.0, plain.1, plain.2], "\(screening) \(jets)", sourceLocation: sourceLocation)
            #expect(found.sum.px.bitPattern == plain.3.px.bitPattern && found.sum.e.bitPattern == plain.3.e.bitPattern,
                    sourceLocation: sourceLocation)
        }
    }

    @Test("random jets like NanoAOD's (3 to 40 per event): same triple and sum as the plain loop",
          arguments: [testSeed(0x7269_6A65_7431)])
    func randomJets(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        for round in 0..<3000 {
            var jets = Jets()
            let n = Int.random(in: 3...(round % 20 == 0 ? 40 : 12), using: &generator)
            for _ in 0..<n {
                jets.append(Float.random(in: 15...400, using: &generator), Float.random(in: -5...5, using: &generator),
                            Float.random(in: -.pi ... .pi, using: &generator),
                            Bool.random(using: &generator) ? 0 : Float.random(in: 0...40, using: &generator))
            }
            if round % 7 == 0 {  // a repeated jet: exact ties between triples
                jets.append(jets.pt[0], jets.eta[0], jets.phi[0], jets.mass[0])
            }
            check(jets)
            check(jets, target: Double.random(in: 0...600, using: &generator))
        }
    }

    @Test("ties, far targets, inputs the fast conversion refuses (negative mass, NaN, huge η): the plain loop's choice")
    func edgeCases() {
        var same = Jets()
        for _ in 0..<6 { same.append(40, 0.3, 1.0, 5) }
        check(same)
        var mixed = Jets()
        for l in 0..<7 { mixed.append(l % 2 == 0 ? 40 : 90, l % 2 == 0 ? 0.3 : -1, l % 2 == 0 ? 1 : -2, l % 2 == 0 ? 5 : 10) }
        check(mixed, target: 0)
        check(mixed, target: 1e6)
        for (l, bad) in [(2, Float(-3)), (4, Float.nan)] {
            var refused = mixed
            refused.mass[l] = bad
            check(refused)
        }
        var forward = mixed
        forward.eta[1] = 35
        check(forward)
        var wrapped = mixed
        wrapped.phi[3] = 6.4   // beyond π: still converted (reduced by 2π)
        wrapped.phi[5] = -6.4
        check(wrapped)
    }

    @Test("φ at multiples of π/2 and η at multiples of ln 2 (the fast reductions' switch points)")
    func reductionEdges() {
        var jets = Jets()
        for q in -4...4 {
            let phi = Float(Double(q) * .pi / 2)
            for step in [-1, 0, 1] {
                let nudged = step < 0 ? phi.nextDown : step > 0 ? phi.nextUp : phi
                jets.append(50 + Float(jets.count), Float(Double(q) * 0.6931471805599453), nudged, 10)
            }
        }
        check(jets)
        check(jets, target: 300)
    }
}
