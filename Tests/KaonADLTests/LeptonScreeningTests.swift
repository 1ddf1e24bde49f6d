import CKaonPhysics
import Foundation
import KaonADL
import KaonNano
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// Queries 5 and 8 screen their lepton pairs from fast conversions without libm
/// (`CKaonPhysics/lepton_pairs.h`); they must decide exactly as the plain definitions over
/// libm conversions (written out here), bit for bit, with every kernel this processor runs.
@Suite("Lepton pair screening (Q5, Q8)")
struct LeptonScreeningTests {
    struct Lepton {
        var pt, eta, phi, mass: Float
        var charge: Int32
        /// The exact conversion (libm), as ROOT's PtEtaPhiMVector.
        var cartesian: PxPyPzEVector { PtEtaPhiMVector(pt: pt, eta: eta, phi: phi, mass: mass).cartesian }
    }

    struct TestEvent {
        var muons: [Lepton] = [], electrons: [Lepton] = []
        var met: (pt: Float, phi: Float) = (35, 0.5)
    }

    // MARK: The plain definitions

    /// Q5: MET if some opposite-charge muon pair has 60 < m < 120.
    func plainQ5(_ event: TestEvent) -> Double? {
        let muons = event.muons
        for i in muons.indices {
            for j in muons.indices where j > i && muons[i].charge != muons[j].charge {
                let mass = (muons[i].cartesian + muons[j].cartesian).mass
                if mass > 60 && mass < 120 { return Double(event.met.pt) }
            }
        }
        return nil
    }

    /// Q8's pair: SFOS, lexicographic over muons then electrons, |m − T| with strict `<`.
    func plainPair(_ event: TestEvent, target: Double = 91.2) -> (Int, Int)? {
        let leptons = event.muons.map { ($0, true) } + event.electrons.map { ($0, false) }
        var best: (Int, Int)?
        var bestDistance = 0.0
        for i in leptons.indices {
            for j in leptons.indices where j > i {
                let (a, b) = (leptons[i], leptons[j])
                guard a.1 == b.1 && a.0.charge != b.0.charge else { continue }
                let distance = abs((a.0.cartesian + b.0.cartesian).mass - target)
                if best == nil || distance < bestDistance { (best, bestDistance) = ((i, j), distance) }
            }
        }
        return best
    }

    /// Q8: mt of MET and the highest-pt lepton outside the pair (first on ties).
    func plainQ8(_ event: TestEvent) -> Double? {
        let leptons = event.muons + event.electrons
        guard leptons.count >= 3, let (i, j) = plainPair(event) else { return nil }
        var other = -1
        for k in leptons.indices where k != i && k != j {
            if other < 0 || Double(leptons[k].pt) > Double(leptons[other].pt) { other = k }
        }
        let dphi = deltaPhi(Double(leptons[other].phi), Double(event.met.phi))
        return (2 * Double(leptons[other].pt) * Double(event.met.pt) * (1 - cos(dphi))).squareRoot()
    }

    // MARK: Events in memory, read through the object view

    struct MissingBranch: Error { let name: String }

    /// A chunk of events as NanoAOD branches.
    final class Source: ColumnSource {
        let count: Int
        var columns: [String: Column] = [:]
        init(_ events: [TestEvent]) {
            count = events.count
            for (prefix, leptons) in [("Muon", events.map(\.muons)), ("Electron", events.map(\.electrons))] {
                var offsets = [0]
                for list in leptons { offsets.append(offsets.last! + list.count) }
                let all = leptons.flatMap { $0 }
                columns["n" + prefix] = Self.column(leptons.map { Int32($0.count) }, .int32, offsets: [], entries: count)
                for (field, values) in [("pt", all.map(\.pt)), ("eta", all.map(\.eta)), ("phi", all.map(\.phi)), ("mass", all.map(\.mass))] {
                    columns[prefix + "_" + field] = Self.column(values, .float32, offsets: [offsets], entries: count)
                }
                columns[prefix + "_charge"] = Self.column(all.map(\.charge), .int32, offsets: [offsets], entries: count)
            }
            columns["MET_pt"] = Self.column(events.map(\.met.pt), .float32, offsets: [], entries: count)
            columns["MET_phi"] = Self.column(events.map(\.met.phi), .float32, offsets: [], entries: count)
        }
        static func column<T>(_ values: [T], _ type: PrimitiveType, offsets: [[Int]], entries: Int) -> Column {
            let bytes = values.withUnsafeBytes { [UInt8]($0) }
            return Column(values: .primitive(type, bytes), offsets: offsets, entryCount: entries)
        }
        func column(_ name: String) throws -> Column {
            guard let column = columns[name] else { throw MissingBranch(name: name) }
            return column
        }
    }

    /// Runs both queries over `chunks` (one buffer for all, as an engine block reuses its
    /// scratch) with every screening and compares with the plain definitions.
    func check(_ chunks: [[TestEvent]], sourceLocation: SourceLocation = #_sourceLocation) {
        for screening in Screening.allCases where screening.isAvailable {
            let buffer = LeptonBuffer(screening: screening)
            for events in chunks {
                let view = ChunkView(source: Source(events))
                for e in events.indices {
                    let event = view[e], plain = events[e]
                    let q5 = Query5.value(event, leptons: buffer), q5plain = plainQ5(plain)
                    #expect(q5?.bitPattern == q5plain?.bitPattern, "Q5 \(screening) event \(e): \(plain)", sourceLocation: sourceLocation)
                    #expect(Query5.value(event)?.bitPattern == q5plain?.bitPattern, sourceLocation: sourceLocation)
                    let pair = Query8.zCandidate(in: event, leptons: buffer), pairPlain = plainPair(plain)
                    #expect(pair?.0 == pairPlain?.0 && pair?.1 == pairPlain?.1, "Q8 pair \(screening) event \(e): \(plain)",
                            sourceLocation: sourceLocation)
                    let q8 = Query8.value(event, leptons: buffer), q8plain = plainQ8(plain)
                    #expect(q8?.bitPattern == q8plain?.bitPattern, "Q8 \(screening) event \(e): \(plain)", sourceLocation: sourceLocation)
                }
                #expect(throws: Never.self) { try view.check() }
            }
        }
    }

    // MARK: Generators

    func randomLepton(_ rng: inout SplitMix64, electron: Bool) -> Lepton {
        let pt = Float(3 + 200 * pow(Double.random(in: 0..<1, using: &rng), 3))
        let eta = Float.random(in: -2.5...2.5, using: &rng), phi = Float.random(in: -.pi ... .pi, using: &rng)
        // NanoAOD's electrons often have a small negative mass (space-like).
        let mass: Float = electron ? Float.random(in: -0.05...0.05, using: &rng) : 0.10566
        return Lepton(pt: pt, eta: eta, phi: phi, mass: mass, charge: Bool.random(using: &rng) ? 1 : -1)
    }

    func randomEvent(_ rng: inout SplitMix64) -> TestEvent {
        var event = TestEvent()
        let muons = Int.random(in: 0...5, using: &rng), electrons = Int.random(in: 0...3, using: &rng)
        event.muons = (0..<muons).map { _ in randomLepton(&rng, electron: false) }
        event.electrons = (0..<electrons).map { _ in randomLepton(&rng, electron: true) }
        event.met = (Float.random(in: 0...150, using: &rng), Float.random(in: -.pi ... .pi, using: &rng))
        return event
    }

    /// An opposite-charge pair whose exact mass is as close to `mass` as Float inputs allow
    /// (b's pt bisected over Float values), or the neighbour `offset` steps of b's pt away.
    func pairNear(mass target: Double, offset: Int, _ rng: inout SplitMix64, electrons: Bool = false,
                  boosted: Bool = false) -> (Lepton, Lepton) {
        var a = randomLepton(&rng, electron: electrons), b = randomLepton(&rng, electron: electrons)
        if boosted { (a.eta, b.eta) = (Float.random(in: 3...4.5, using: &rng), Float.random(in: 3...4.5, using: &rng)) }
        (a.pt, a.charge, b.charge) = (Float.random(in: 20...80, using: &rng), 1, -1)
        func mass(_ pt: Float) -> Double { var c = b; c.pt = pt; return (a.cartesian + c.cartesian).mass }
        var lo: Float = 0.01, hi: Float = 1e5
        guard mass(lo) < target && mass(hi) > target else { return (a, b) }
        while lo.nextUp < hi {
            let mid = Float(bitPattern: (lo.bitPattern &+ hi.bitPattern) / 2)
            if mass(mid) < target { lo = mid } else { hi = mid }
        }
        var pt = hi
        for _ in 0..<abs(offset) { pt = offset < 0 ? pt.nextDown : pt.nextUp }
        b.pt = pt
        return (a, b)
    }

    // MARK: Tests

    @Test("random events like NanoAOD's (0–5 muons, 0–3 electrons, space-like electrons), several chunks")
    func randomEvents() {
        for seed in 1...6 {
            var rng = SplitMix64(state: UInt64(seed))
            let chunks = (0..<3).map { _ in (0..<1500).map { _ in randomEvent(&rng) } }
            check(chunks)
        }
    }

    @Test("events with more leptons than a tile holds, between ordinary ones")
    func largeEvents() {
        var rng = SplitMix64(state: 300)
        var events = (0..<200).map { _ in randomEvent(&rng) }
        var large = TestEvent()
        large.muons = (0..<300).map { _ in randomLepton(&rng, electron: false) }
        large.electrons = (0..<270).map { _ in randomLepton(&rng, electron: true) }
        events.insert(large, at: 100)
        events.append(large)
        check([events])
    }

    @Test("pairs at the Q5 window's edges (60, 120 GeV, within Float steps and within the margin), also boosted")
    func windowEdges() {
        var rng = SplitMix64(state: 60120)
        var events: [TestEvent] = []
        for round in 0..<400 {
            for edge in [60.0, 120.0] {
                let (a, b) = pairNear(mass: edge, offset: round % 5 - 2, &rng, boosted: round % 2 == 1)
                var event = TestEvent(muons: round % 3 == 0 ? [b, a] : [a, b])
                if round % 4 == 0 { event.muons.append(randomLepton(&rng, electron: false)) }
                events.append(event)
            }
        }
        check([events])
        // Some of these straddle an edge, so the exact fallback ran too.
        let undecided = events.filter { event in
            let c = fastColumns(event.muons, kernel: Int32(kaon_fast_kernel_scalar))
            return kaon_opposite_pair_in_mass_window(c.px, c.py, c.pz, c.e, c.charge, event.muons.count, 60, 120) == -1
        }
        #expect(undecided.count > 10)
    }

    @Test("Q8 ties and near-ties: repeated leptons, two pairs near 91.2, muon and electron pairs alike")
    func ties() {
        var rng = SplitMix64(state: 912)
        var events: [TestEvent] = []
        for round in 0..<300 {
            let (a, b) = pairNear(mass: 91.2, offset: round % 3 - 1, &rng, electrons: round % 2 == 0)
            let (c, d) = pairNear(mass: 91.2, offset: (round / 3) % 3 - 1, &rng, electrons: round % 5 == 0)
            var event = TestEvent()
            for lepton in [a, b, c, d] {
                if lepton.mass == 0.10566 { event.muons.append(lepton) } else { event.electrons.append(lepton) }
            }
            if round % 3 == 0 { event.muons += event.muons }   // exact ties between muon pairs
            if round % 7 == 0 { event.electrons.append(event.electrons.first ?? a) }
            event.electrons.append(randomLepton(&rng, electron: true))
            events.append(event)
        }
        check([events])
        // Exact ties leave several candidates, decided with libm.
        let tied = events.filter { event in
            let m = fastColumns(event.muons, kernel: Int32(kaon_fast_kernel_scalar))
            let e = fastColumns(event.electrons, kernel: Int32(kaon_fast_kernel_scalar))
            var candidates = [UInt32](repeating: 0, count: 64), low = [Double](repeating: 0, count: 64)
            return kaon_sfos_candidates(m.px, m.py, m.pz, m.e, m.charge, event.muons.count, e.px, e.py, e.pz, e.e, e.charge,
                                        event.electrons.count, 91.2, &candidates, &low, 64) > 1
        }
        #expect(tied.count > 50)
    }

    @Test("inputs the fast conversion refuses: negative masses beyond pt/2, NaN, |η| > 30, huge pt, wrapped φ")
    func refusedInputs() {
        var rng = SplitMix64(state: 7)
        var events: [TestEvent] = []
        for round in 0..<600 {
            var event = randomEvent(&rng)
            let (a, b) = pairNear(mass: round % 2 == 0 ? 91.2 : 60, offset: 0, &rng)
            event.muons += [a, b]
            event.electrons.append(randomLepton(&rng, electron: true))
            var bad = event.muons[round % event.muons.count]
            switch round % 6 {
            case 0: bad.mass = -bad.pt
            case 1: bad.mass = Float.nan
            case 2: bad.eta = 31
            case 3: bad.pt = 2e15
            case 4: bad.phi = 6.6
            default: bad.phi = Float.nan
            }
            if round % 2 == 0 { event.muons[round % event.muons.count] = bad } else { event.electrons[0] = bad }
            events.append(event)
        }
        check([events])
    }

    // MARK: The C screening with any window or target (near the edge by construction)

    /// The fast columns of `leptons`, as FastTile makes them for leptons.
    func fastColumns(_ leptons: [Lepton], kernel: Int32) -> (px: [Double], py: [Double], pz: [Double], e: [Double], charge: [Int32]) {
        let n = leptons.count
        var px = [Double](repeating: 0, count: n + 8), py = px, pz = px, e = px
        let pt = leptons.map(\.pt) + [Float](repeating: 0, count: 8), eta = leptons.map(\.eta) + [Float](repeating: 0, count: 8)
        let phi = leptons.map(\.phi) + [Float](repeating: 0, count: 8), mass = leptons.map(\.mass) + [Float](repeating: 0, count: 8)
        kaon_fast_cartesian_column(kernel, pt, eta, phi, mass, n, &px, &py, &pz, &e)
        kaon_fast_cartesian_space_like(pt, eta, phi, mass, n, &px, &py, &pz, &e)
        return (px, py, pz, e, leptons.map(\.charge))
    }

    var kernels: [Int32] {
        [Int32(kaon_fast_kernel_scalar), Int32(kaon_fast_kernel_avx2)].filter { kaon_fast_kernel_usable($0) != 0 }
    }

    @Test("Q5 window with edges at a pair's exact mass (± 1 ulp): decided as the plain loop or not at all")
    func windowAtExactMass() {
        var rng = SplitMix64(state: 5)
        var decided = 0
        for round in 0..<4000 {
            // Light, boosted pairs: the fast m2's error is largest relative to m2.
            var a = randomLepton(&rng, electron: round % 2 == 0), b = randomLepton(&rng, electron: round % 2 == 0)
            (a.charge, b.charge) = (1, -1)
            if round % 2 == 1 { (a.eta, b.eta) = (Float.random(in: 3...4.5, using: &rng), Float.random(in: 3...4.5, using: &rng)) }
            let mass = (a.cartesian + b.cartesian).mass
            guard mass > 0 else { continue }
            for kernel in kernels {
                let c = fastColumns([a, b], kernel: kernel)
                // Edges 1 ulp from the mass (within the margin: undecided, or decided right), and
                // 10⁻⁶ away (decided, without libm).
                let near = mass * (1 + 1e-6), far = mass * (1 - 1e-6)
                let windows: [(Double, Double)] = [(mass, mass * 2), (mass.nextDown, mass * 2), (mass.nextUp, mass * 2),
                                                   (mass / 2, mass), (mass / 2, mass.nextDown), (mass / 2, mass.nextUp),
                                                   (far, mass * 2), (near, mass * 2), (mass / 2, far), (mass / 2, near)]
                for (w, (low, high)) in windows.enumerated() {
                    let plain = mass > low && mass < high
                    let screened = kaon_opposite_pair_in_mass_window(c.px, c.py, c.pz, c.e, c.charge, 2, low, high)
                    #expect(screened == -1 || (screened == 1) == plain, "\(a) \(b) window \(low) \(high)")
                    if w >= 6 && screened != -1 { decided += 1 }
                }
            }
        }
        #expect(decided > 4000 * kernels.count * 3)   // nearly all windows 10⁻⁶ away are decided without libm
    }

    @Test("Q8 screening with the target halfway between two pairs' exact masses: candidates hold the plain choice")
    func targetBetweenPairs() {
        var rng = SplitMix64(state: 8)
        for round in 0..<4000 {
            let electrons = round % 2 == 0
            var leptons = (0..<4).map { _ in randomLepton(&rng, electron: electrons) }
            (leptons[0].charge, leptons[1].charge, leptons[2].charge, leptons[3].charge) = (1, -1, 1, -1)
            if round % 3 == 0 { for l in leptons.indices { leptons[l].eta = Float.random(in: 3...4.5, using: &rng) } }
            let event = electrons ? TestEvent(electrons: leptons) : TestEvent(muons: leptons)
            let m01 = (leptons[0].cartesian + leptons[1].cartesian).mass, m23 = (leptons[2].cartesian + leptons[3].cartesian).mass
            let halfway: Double = (m01 + m23) / 2
            let targets: [Double] = [halfway, m01, halfway + (m23 - m01) * 1e-15, abs(m01)]
            for target in targets {
                guard target >= 0, let plain = plainPair(event, target: target) else { continue }
                for kernel in kernels {
                    let c = fastColumns(leptons, kernel: kernel), none = fastColumns([], kernel: kernel)
                    var candidates = [UInt32](repeating: 0, count: 16), low = [Double](repeating: 0, count: 16)
                    let (a, b) = electrons ? (none, c) : (c, none)
                    let found = kaon_sfos_candidates(a.px, a.py, a.pz, a.e, a.charge, electrons ? 0 : 4, b.px, b.py, b.pz, b.e, b.charge,
                                                     electrons ? 4 : 0, target, &candidates, &low, 16)
                    let pairs = candidates.prefix(max(found, 0)).map { (Int($0 & 0xffff), Int($0 >> 16)) }
                    #expect(found >= 1, "\(leptons) target \(target)")
                    // The plain choice is a candidate; with one candidate, it is the choice.
                    #expect(pairs.contains { $0 == plain }, "\(leptons) target \(target): \(pairs) vs \(plain)")
                    if found == 1 { #expect(pairs[0] == plain) }
                }
            }
        }
    }
}
