import Foundation
import KaonBenchmarks
import KaonColumns
import KaonPhysics
import KaonTestSupport
import Testing

// Reference numbers in these tests come from PyROOT 6.40 (`ROOT.Math.PtEtaPhiMVector`).

@Suite struct LorentzVectorTests {
    @Test func negativeStoredMassIsSpaceLike() {
        let a = PtEtaPhiMVector(pt: 10.0, eta: 0.5, phi: 0.1, mass: -2.0)
        let b = PtEtaPhiMVector(pt: 10.0, eta: 0.5, phi: 0.1, mass: -3.0)
        #expect(Swift.abs(a.energy - 11.0974786208743) < 1e-12)
        #expect(Swift.abs(a.mass2 - -4.0) < 1e-12)
        #expect(Swift.abs(a.mt - 9.797958971132712) < 1e-12)
        #expect(Swift.abs(a.rapidity - 0.5095081590598934) < 1e-12)
        let s = a + b
        #expect(Swift.abs(s.mass - -5.104097037219178) < 1e-9)   // ROOT: -sqrt(-m²)
        #expect(Swift.abs(s.pt - 20) < 1e-12)
        #expect(Swift.abs(s.e - 21.967346685426055) < 1e-12)
    }

    @Test func energyIsClampedAtZero() {
        let c = PtEtaPhiMVector(pt: 1e-3, eta: 0.5, phi: 0.1, mass: -5.0)
        #expect(c.energy == 0)
        #expect(Swift.abs(c.mass2 - -1.2715403174076217e-06) < 1e-18)
    }

    @Test func roundTripBetweenForms() {
        let v = PtEtaPhiMVector(pt: 45.0, eta: -1.3, phi: 2.9, mass: 4.2)
        let back = v.cartesian.ptEtaPhiM
        #expect(Swift.abs(back.pt - 45) < 1e-12 && Swift.abs(back.eta - -1.3) < 1e-12)
        #expect(Swift.abs(back.phi - 2.9) < 1e-12 && Swift.abs(back.mass - 4.2) < 1e-9)
    }

    @Test func deltaPhiWrapsToHalfOpenInterval() {
        #expect(Swift.abs(deltaPhi(3.0, -3.0) - (6 - 2 * Double.pi)) < 1e-15)
        #expect(Swift.abs(deltaPhi(-3.0, 3.0) - (2 * Double.pi - 6)) < 1e-15)
        #expect(deltaPhi(Double.pi, 0) == -Double.pi)   // [-π, π): +π maps to -π
        #expect(Swift.abs(deltaPhi(10.0, 0) - (10 - 4 * Double.pi)) < 1e-14)
        #expect(Swift.abs(deltaR(eta1: 0.1, phi1: 0.2, eta2: 0.4, phi2: 0.6) - 0.5) < 1e-15)
    }

    /// The one-turn shortcut gives the general formula's value bit for bit (random φ pairs
    /// in [-π, π], and differences on and around ±π and ±2π).
    @Test func deltaPhiShortcutEqualsGeneralFormula() {
        func general(_ a: Double, _ b: Double) -> Double {
            let twoPi = 2 * Double.pi, d = a - b
            if d >= -Double.pi && d < Double.pi { return d }
            var r = d - twoPi * ((d + Double.pi) / twoPi).rounded(.down)
            if r >= Double.pi { r -= twoPi }
            return r
        }
        var rng = SplitMix64(state: 7)
        var pairs: [(Double, Double)] = (0..<200_000).map { _ in
            (Double(Float(rng.uniform(-Double.pi, Double.pi))), Double(Float(rng.uniform(-Double.pi, Double.pi))))
        }
        for edge in [Double.pi, 2 * Double.pi, -Double.pi, -2 * Double.pi] {
            var d = edge
            for _ in 0..<8 { d = d.nextDown }
            for _ in 0..<16 { pairs.append((d, 0)); pairs.append((0, d)); pairs.append((d / 2, -d / 2)); d = d.nextUp }
        }
        let different = pairs.filter { deltaPhi($0.0, $0.1).bitPattern != general($0.0, $0.1).bitPattern }
        #expect(different.isEmpty, "\(different.prefix(5))")
    }

    @Test func boostToRestFrameGivesMassAtRest() {
        let p = PtEtaPhiMVector(pt: 30.0, eta: 0.7, phi: -1.0, mass: 91.0).cartesian
        let rest = p.boostedToRestFrame(of: p)
        #expect(Swift.abs(rest.px) < 1e-9 && Swift.abs(rest.py) < 1e-9 && Swift.abs(rest.pz) < 1e-9)
        #expect(Swift.abs(rest.e - 91) < 1e-9)
        let mu = PtEtaPhiMVector(pt: 20.0, eta: -0.4, phi: 2.0, mass: 0.1057).cartesian
        let there = mu.boostedToRestFrame(of: p), back = there.boostedFromRestFrame(of: p)
        #expect(Swift.abs(back.px - mu.px) < 1e-9 && Swift.abs(back.pz - mu.pz) < 1e-9 && Swift.abs(back.e - mu.e) < 1e-9)
        let moving = PxPyPzEVector(px: 0.0, py: 0.0, pz: 0.0, e: 1.0).boosted(by: BoostVector(x: 0, y: 0, z: 0.6))
        #expect(Swift.abs(moving.pz - 0.75) < 1e-15 && Swift.abs(moving.e - 1.25) < 1e-15)
        // Boosting there and back is the identity.
        let q = PtEtaPhiMVector(pt: 12.0, eta: 2.1, phi: 0.4, mass: 0.5).cartesian
        let beta = BoostVector(x: 0.2, y: -0.3, z: 0.5)
        let r = q.boosted(by: beta).boosted(by: -beta)
        #expect(Swift.abs(r.px - q.px) < 1e-12 && Swift.abs(r.e - q.e) < 1e-12)
    }

    @Test func transverseMassOfLeptonAndMET() {
        #expect(Swift.abs(transverseMass(pt1: 40, phi1: 0, pt2: 30, phi2: .pi) - (2 * 40 * 30 * 2.0).squareRoot()) < 1e-12)
    }
}

@Suite struct LorentzColumnTests {
    let muons = PtEtaPhiMColumns(
        pt: JaggedArray([[Float(40), 35, 10], [20], []]),
        eta: JaggedArray([[Float(0.5), -0.3, 1.0], [0.1], []]),
        phi: JaggedArray([[Float(1.0), -2.0, 0.3], [0.2], []]),
        mass: JaggedArray([[Float(0.1057), 0.1057, 0.1057], [0.1057], []]))

    @Test func pairMassesMatchScalarVectors() {
        let pairs = muons.pt.argcombinations(2)
        let masses = muons.sum(over: pairs).mass
        #expect(masses.counts == [3, 0, 0])
        let expected = (muons.vector(at: 0) + muons.vector(at: 1)).mass
        #expect(masses.values[0] == expected)
        #expect(masses.values[2] == (muons.vector(at: 1) + muons.vector(at: 2)).mass)
    }

    @Test func deltaRTableAndMin() {
        let jets = PtEtaPhiMColumns(
            pt: JaggedArray([[Float(50), 30], [], [25]]),
            eta: JaggedArray([[Float(0.4), -0.3], [], [0.0]]),
            phi: JaggedArray([[Float(1.1), 3.0], [], [0.0]]),
            mass: JaggedArray([[Float(5), 4], [], [3]]))
        let (pairs, dr) = muons.deltaRTable(jets)
        #expect(dr.counts == [6, 0, 0])
        #expect(pairs.localIndices(slot: 1).lists[0] == [0, 1, 0, 1, 0, 1])
        #expect(dr.values[0] == muons.vector(at: 0).deltaR(jets.vector(at: 0)))
        let m = jets.minDeltaR(to: muons)
        #expect(m.lists[0][0] == Swift.min(dr.values[0], dr.values[2], dr.values[4]))
        #expect(m.lists[2] == [nil])
    }

    @Test func query6PicksClosestTrijet() {
        // Event 0: four jets; event 1: two jets (no trijet).
        let jets = PtEtaPhiMColumns(
            pt: JaggedArray([[Float(120), 80, 60, 20], [50, 40]]),
            eta: JaggedArray([[Float(0.1), -0.5, 1.2, 0.3], [0, 0]]),
            phi: JaggedArray([[Float(0.2), 2.5, -1.9, 1.0], [0, 1]]),
            mass: JaggedArray([[Float(10), 8, 6, 4], [5, 5]]))
        let btag = JaggedArray([[Float(0.1), 0.9, 0.3, 0.5], [0.2, 0.4]])
        let r = ADLQuery6.bestTrijet(jets: jets, btag: btag)
        #expect(r.pt[1] == nil && r.maxBtag[1] == nil)
        // Brute force over the four triplets.
        var best: (Double, Double, Float)? = nil
        for (i, j, k) in [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)] {
            let s = jets.vector(at: i) + jets.vector(at: j) + jets.vector(at: k).cartesian
            let d = Swift.abs(s.mass - 172.5)
            if best == nil || d < best!.0 { best = (d, s.pt, Swift.max(btag.values[i], btag.values[j], btag.values[k])) }
        }
        // The fused argmin agrees with the materialised one.
        let p4 = jets.cartesian(), trijets = jets.pt.argcombinations(3)
        #expect(p4.argmin(over: trijets) { Swift.abs($0.mass - 172.5) } == p4.mass(over: trijets).map { Swift.abs($0 - 172.5) }.argmin())
        #expect(r.pt[0] == best!.1)
        #expect(r.maxBtag[0] == best!.2)
    }
}
