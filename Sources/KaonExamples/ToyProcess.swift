import KaonIO
import KaonPhysics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A physics process of the toy dataset: how one event of it is drawn.
///
/// These are caricatures meant to make plots that look like a dimuon analysis (a Z peak on
/// top of tt̄ and QCD backgrounds), not physics predictions: the kinematics come from a
/// handful of textbook distributions, smeared by a detector resolution.
public enum ToyProcess: String, CaseIterable, Sendable {
    /// Z/γ* → μμ: two isolated opposite-sign muons with a Breit–Wigner mass, a few ISR jets.
    case drellYan
    /// tt̄-like: four or more jets, two of them b-tagged, 0–2 leptonic W decays, real MET.
    case ttbar
    /// QCD multijet: several soft jets and non-isolated muons from heavy-flavour decays.
    case qcd

    /// Muon mass in GeV.
    static let muonMass = 0.105_658
    static let electronMass = 0.000_511

    /// Draws one event's objects (muons, electrons, jets in decreasing pt; MET; the trigger).
    func generate(using rng: inout SplitMix64) -> ToyEventContent {
        var content = ToyEventContent()
        switch self {
        case .drellYan: drellYan(&content, &rng)
        case .ttbar: ttbar(&content, &rng)
        case .qcd: qcd(&content, &rng)
        }
        content.finish(using: &rng)
        return content
    }

    private func drellYan(_ c: inout ToyEventContent, _ rng: inout SplitMix64) {
        let mass = rng.breitWigner(mean: 91.1876, width: 2.4952, in: 50...200)
        let pt = rng.exponential(mean: 12)
        let rapidity = rng.gaussian(mean: 0, sigma: 1.3)
        let z = Self.boson(mass: mass, pt: pt, rapidity: rapidity, phi: rng.uniform(-.pi, .pi))
        let (a, b) = Self.twoBodyDecay(of: z, daughterMass: Self.muonMass, using: &rng)
        let sign: Int32 = rng.bernoulli(0.5) ? 1 : -1
        c.addMuon(a, charge: sign, isolation: rng.exponential(mean: 0.03), tight: rng.bernoulli(0.97), using: &rng)
        c.addMuon(b, charge: -sign, isolation: rng.exponential(mean: 0.03), tight: rng.bernoulli(0.97), using: &rng)
        for _ in 0..<rng.poisson(0.9) { c.addJet(pt: 20 + rng.exponential(mean: 25), bQuark: rng.bernoulli(0.03), using: &rng) }
        c.neutrinos = PxPyPzEVector.zero
    }

    private func ttbar(_ c: inout ToyEventContent, _ rng: inout SplitMix64) {
        for _ in 0..<2 { c.addJet(pt: 30 + rng.exponential(mean: 60), bQuark: true, using: &rng) }
        var hadronicW = 2
        var neutrinos = PxPyPzEVector.zero
        for _ in 0..<2 where rng.bernoulli(0.32) {
            hadronicW -= 1
            let pt = 15 + rng.exponential(mean: 45)
            let eta = rng.gaussian(mean: 0, sigma: 1.2), phi = rng.uniform(-.pi, .pi)
            let lepton = PtEtaPhiMVector(pt: pt, eta: eta, phi: phi, mass: Self.muonMass)
            let charge: Int32 = rng.bernoulli(0.5) ? 1 : -1
            if rng.bernoulli(0.5) {
                c.addMuon(lepton, charge: charge, isolation: rng.exponential(mean: 0.05), tight: rng.bernoulli(0.95), using: &rng)
            } else {
                c.addElectron(lepton, charge: charge, using: &rng)
            }
            neutrinos += PtEtaPhiMVector(pt: 15 + rng.exponential(mean: 40), eta: rng.gaussian(mean: 0, sigma: 1.5),
                                         phi: rng.uniform(-.pi, .pi), mass: 0).cartesian
        }
        for _ in 0..<(2 * hadronicW) { c.addJet(pt: 25 + rng.exponential(mean: 40), bQuark: false, using: &rng) }
        for _ in 0..<rng.poisson(0.7) { c.addJet(pt: 20 + rng.exponential(mean: 20), bQuark: false, using: &rng) }
        c.neutrinos = neutrinos
    }

    private func qcd(_ c: inout ToyEventContent, _ rng: inout SplitMix64) {
        let jets = 2 + rng.poisson(1.5)
        for _ in 0..<jets { c.addJet(pt: 20 + rng.exponential(mean: 30), bQuark: rng.bernoulli(0.1), using: &rng) }
        let muons = rng.bernoulli(0.2) ? 2 : 1
        for _ in 0..<muons where !c.jets.isEmpty {
            // A muon inside one of the jets: soft, non-isolated.
            let jetIndex = rng.below(c.jets.count)
            let jet = c.jets[jetIndex]
            let direction = (eta: jet.eta + rng.gaussian(mean: 0, sigma: 0.05), phi: jet.phi + rng.gaussian(mean: 0, sigma: 0.05))
            let muon = PtEtaPhiMVector(pt: 3 + rng.exponential(mean: 12), eta: direction.eta, phi: direction.phi, mass: Self.muonMass)
            c.addMuon(muon, charge: rng.bernoulli(0.5) ? 1 : -1, isolation: rng.exponential(mean: 0.4),
                      tight: rng.bernoulli(0.6), jet: Int32(jetIndex), using: &rng)
        }
        c.neutrinos = PtEtaPhiMVector(pt: rng.exponential(mean: 8), eta: 0, phi: rng.uniform(-.pi, .pi), mass: 0).cartesian
    }

    /// A boson of `mass` with transverse momentum `pt`, rapidity and azimuth.
    static func boson(mass: Double, pt: Double, rapidity: Double, phi: Double) -> PxPyPzEVector {
        let mt = (mass * mass + pt * pt).squareRoot()
        return PxPyPzEVector(px: pt * cos(phi), py: pt * sin(phi), pz: mt * sinh(rapidity), e: mt * cosh(rapidity))
    }

    /// An isotropic two-body decay of `parent` into equal-mass daughters, in the lab frame.
    static func twoBodyDecay(of parent: PxPyPzEVector, daughterMass: Double,
                             using rng: inout SplitMix64) -> (PtEtaPhiMVector, PtEtaPhiMVector) {
        let m = parent.mass
        let p = (max(m * m / 4 - daughterMass * daughterMass, 0)).squareRoot()
        let cosTheta = rng.uniform(-1, 1), phi = rng.uniform(-.pi, .pi)
        let sinTheta = (1 - cosTheta * cosTheta).squareRoot()
        let e = (p * p + daughterMass * daughterMass).squareRoot()
        let a = PxPyPzEVector(px: p * sinTheta * cos(phi), py: p * sinTheta * sin(phi), pz: p * cosTheta, e: e)
        let b = PxPyPzEVector(px: -a.px, py: -a.py, pz: -a.pz, e: e)
        let labA = a.boostedFromRestFrame(of: parent), labB = b.boostedFromRestFrame(of: parent)
        return (PtEtaPhiMVector(pt: labA.pt, eta: labA.eta, phi: labA.phi, mass: daughterMass),
                PtEtaPhiMVector(pt: labB.pt, eta: labB.eta, phi: labB.phi, mass: daughterMass))
    }
}

/// The objects of one toy event as they come out of the detector simulation.
struct ToyEventContent {
    var muons: [ToyEventBatch.Object] = []
    var electrons: [ToyEventBatch.Object] = []
    var jets: [ToyEventBatch.Object] = []
    /// Invisible momentum (neutrinos), which the MET measures.
    var neutrinos = PxPyPzEVector.zero
    var met = (pt: 0.0, phi: 0.0)
    var trigger = false

    /// Adds a muon within the tracker acceptance, smeared by 1.5 % in pt.
    mutating func addMuon(_ p: PtEtaPhiMVector, charge: Int32, isolation: Double, tight: Bool, jet: Int32 = -1,
                          using rng: inout SplitMix64) {
        guard abs(p.eta) < 2.4 else { return }
        let pt = p.pt * rng.gaussian(mean: 1, sigma: 0.015)
        guard pt > 3 else { return }
        muons.append(.init(pt: pt, eta: p.eta, phi: p.phi, mass: ToyProcess.muonMass, charge: charge,
                           isolation: Float(isolation), tightId: tight, jetIndex: jet))
    }

    /// Adds an electron within acceptance, smeared by 2.5 %.
    mutating func addElectron(_ p: PtEtaPhiMVector, charge: Int32, using rng: inout SplitMix64) {
        guard abs(p.eta) < 2.5 else { return }
        let pt = p.pt * rng.gaussian(mean: 1, sigma: 0.025)
        guard pt > 5 else { return }
        electrons.append(.init(pt: pt, eta: p.eta, phi: p.phi, mass: ToyProcess.electronMass, charge: charge,
                               isolation: Float(rng.exponential(mean: 0.04))))
    }

    /// Adds a jet (|η| < 4.7, 10 % resolution) with a b-tag score peaked at 1 for b quarks.
    mutating func addJet(pt: Double, bQuark: Bool, using rng: inout SplitMix64) {
        let eta = rng.gaussian(mean: 0, sigma: bQuark ? 1.1 : 1.8)
        guard abs(eta) < 4.7 else { return }
        let measured = pt * max(rng.gaussian(mean: 1, sigma: 0.1), 0.1)
        let u = rng.uniform()
        let btag = bQuark ? 1 - u * u * u : u * u * u * u
        jets.append(.init(pt: measured, eta: eta, phi: rng.uniform(-.pi, .pi), mass: measured * rng.uniform(0.05, 0.2),
                          btag: Float(btag)))
    }

    /// Sorts collections by decreasing pt (fixing the muons' jet references), computes the
    /// MET from the invisible momentum and the jets' mismeasurement, and fires the trigger.
    mutating func finish(using rng: inout SplitMix64) {
        let order = jets.indices.sorted { jets[$0].pt > jets[$1].pt }
        var newIndex = [Int32](repeating: -1, count: jets.count)
        for (position, old) in order.enumerated() { newIndex[old] = Int32(position) }
        jets = order.map { jets[$0] }
        for i in muons.indices where muons[i].jetIndex >= 0 { muons[i].jetIndex = newIndex[Int(muons[i].jetIndex)] }
        muons.sort { $0.pt > $1.pt }
        electrons.sort { $0.pt > $1.pt }
        let mx = neutrinos.px + rng.gaussian(sigma: 12), my = neutrinos.py + rng.gaussian(sigma: 12)
        met = ((mx * mx + my * my).squareRoot(), atan2(my, mx))
        trigger = muons.contains { $0.pt > 24 && $0.isolation < 0.15 } && rng.bernoulli(0.93)
    }
}
