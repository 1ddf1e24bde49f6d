import CKaonPhysics
import KaonNano
import KaonPhysics

/// The hot loop of ADL query 6: among an event's jets, the triple (i < j < k, lexicographic)
/// whose summed four-momentum has the mass closest to a target, the first one on ties.
///
/// The answer — the triple, and every bit of its sum — is always that of the plain loop over
/// the libm-converted jets (ROOT's `PtEtaPhiMVector` arithmetic):
///
/// ```swift
/// for (i, j, k) in triples where abs(((p4[i] + p4[j]) + p4[k]).mass - target) < best { … }
/// ```
///
/// It is found in two steps (``Screening``; `CKaonPhysics/trijet_candidates.h` has the proof):
/// 1. *Screening without libm.* The jets are converted with fast polynomial sin, cos and exp
///    whose error is bounded (`fast_cartesian.h`), 4 per AVX2 instruction, a tile of a chunk's
///    jets at a time just ahead of the events that read them. Per event, every triple's m² is formed from pair sums, 8 per AVX-512
///    instruction, and compared with the window of masses that could still be closest,
///    widened by a margin far above the proven error. What survives are the *candidates*:
///    every triple that could be the exact answer.
/// 2. *The exact decision.* One candidate (nearly always) is the answer; among several, the
///    exact distances, computed as the plain loop computes them, decide. Jets the fast
///    conversion does not cover (a negative mass, |η| > 30, non-finite values) send their
///    event to the exact search (``Screening/exact``: each jet converted with libm, pair sums
///    once per (i, j), m² two k at a time against the window, square roots only inside it).
///
/// Use one search per thread (per engine block), not one per event:
///
/// ```swift
/// let search = TrijetSearch()
/// for i in 0..<view.count {
///     if let best = search.closest(in: view[i].jets, toMass: 172.5) {
///         ptBins.fill(best.sum.pt)
///     }
/// }
/// ```
///
/// ``closestPositions(in:toMass:)`` returns only the positions, and the pt of the screened sum
/// with an error bound: ``Query6/fill(_:_:from:search:)`` fills the pt's bin from it whenever
/// the bound stays inside one bin, without converting the three jets with libm.
public final class TrijetSearch {
    /// The chosen triple: jet positions within the event and the Cartesian sum.
    public struct Trijet: Sendable, Equatable {
        /// Positions of the three jets, `i < j < k`.
        public var i, j, k: Int
        /// `(p4[i] + p4[j]) + p4[k]`, each jet converted to Cartesian once.
        public var sum: PxPyPzEVector

        /// A triple and its sum.
        @inlinable
        public init(i: Int, j: Int, k: Int, sum: PxPyPzEVector) {
            (self.i, self.j, self.k, self.sum) = (i, j, k, sum)
        }
    }

    /// The positions `i < j < k` of the chosen triple and, when the screening chose it, its
    /// transverse momentum from the fast conversions with a bound on the distance to the exact
    /// `sum.pt` (so that a histogram can often be filled without the exact conversions).
    public struct Choice: Sendable, Equatable {
        /// Positions of the three jets.
        public var i, j, k: Int
        /// The pt of the summed fast conversions; nil when the search took the exact path.
        public var screenedPt: Double?
        /// |screenedPt − exact pt| is at most this.
        public var screenedPtBound: Double

        @inlinable
        init(_ positions: (Int, Int, Int), screenedPt: Double? = nil, bound: Double = .infinity) {
            (i, j, k) = positions
            self.screenedPt = screenedPt
            screenedPtBound = bound
        }
    }

    /// The strategy of this search.
    public let screening: Screening
    // The buffers and the current chunk's conversions live in manually allocated memory, not
    // in class `var`s: reading them per event then needs no dynamic exclusivity check.
    @usableFromInline let state: UnsafeMutablePointer<State>
    @usableFromInline struct State {
        /// The buffers, replaced by larger ones when an event has more jets.
        @usableFromInline var room: Room
        /// The fast conversions of a tile of the current chunk's jets (screening only).
        @usableFromInline var jets: FastTile
    }

    /// A search with room for `capacity` jets (it grows when an event has more).
    ///
    /// ```swift
    /// let search = TrijetSearch(capacity: 64)
    /// let plain = TrijetSearch(screening: .exact)   // no fast screening (for comparisons)
    /// ```
    public init(capacity: Int = 64, screening: Screening = .best) {
        precondition(screening.isAvailable, "TrijetSearch: \(screening) does not run on this processor")
        self.screening = screening
        state = .allocate(capacity: 1)
        state.initialize(to: State(room: Room(jets: Swift.max(capacity, 3)),
                                   jets: FastTile(length: 2048, spaceLike: false, charges: false)))
    }

    deinit {
        state.pointee.jets.deallocate()
        state.deinitialize(count: 1).deallocate()
    }

    /// Room for `count` jets (rarely new: buffers only grow).
    @inlinable
    func room(for count: Int) -> Room {
        let current = state.pointee.room
        if count <= current.jets { return current }
        let larger = Room(jets: Swift.max(count, 2 * current.jets))
        state.pointee.room = larger
        return larger
    }

    /// The triple of `jets` whose mass is closest to `target`, nil with fewer than three jets.
    ///
    /// ```swift
    /// if let top = search.closest(in: event.jets, toMass: 172.5) { print(top.sum.mass) }
    /// ```
    @inlinable
    public func closest(in jets: ObjectCollection<Jet>, toMass target: Double) -> Trijet? {
        guard let choice = closestPositions(in: jets, toMass: target) else { return nil }
        let (a, b, c) = (jets[choice.i].p4.cartesian, jets[choice.j].p4.cartesian, jets[choice.k].p4.cartesian)
        return Trijet(i: choice.i, j: choice.j, k: choice.k, sum: (a + b) + c)
    }

    /// The positions `i < j < k` of the triple ``closest(in:toMass:)`` chooses, without its sum
    /// (for a caller that needs only part of it: Q6 takes the pt, from px and py).
    ///
    /// With screening, the jets are converted column-wise (4 per instruction) a tile at a time,
    /// when an event needs jets past the current tile; every event then screens its triples
    /// from those.
    ///
    /// ```swift
    /// if let top = search.closestPositions(in: event.jets, toMass: 172.5) { print(top.i, top.j, top.k) }
    /// ```
    @inlinable
    public func closestPositions(in jets: ObjectCollection<Jet>, toMass target: Double) -> Choice? {
        let n = jets.count
        guard n >= 3 else { return nil }
        let room = room(for: n)
        if screening != .exact && n <= 1023,
           let fast = state.pointee.jets.objects(at: jets.positions, of: jets.store, kernel: screening.kernel),
           let choice = room.screened(px: fast.px, py: fast.py, pz: fast.pz, e: fast.e, count: n, toMass: target,
                                      kernel: screening.kernel, readJets: { room.read(jets) }) {
            return choice
        }
        room.read(jets)
        return room.closest(count: n, toMass: target, screening: .exact)
    }

    /// A screened choice with the pt of its fast sum. Each fast component is within
    /// `KAON_FAST_CARTESIAN_ERROR` (1.6e-14) × E of the exact one, and each sum rounds twice on
    /// either side, so each summed component is within 1.7e-14 S of the exact sum (S the sum of
    /// the energies) and the pt within 2.5e-14 S, roundings of the pt included; the bound
    /// given is 1e-12 S.
    @inlinable
    static func screenedChoice(_ i: Int, _ j: Int, _ k: Int, px: UnsafePointer<Double>, py: UnsafePointer<Double>,
                               e: UnsafePointer<Double>) -> Choice {
        let sum = PxPyPzEVector(px: (px[i] + px[j]) + px[k], py: (py[i] + py[j]) + py[k], pz: 0, e: 0)
        return Choice((i, j, k), screenedPt: sum.pt, bound: 1e-12 * ((e[i] + e[j]) + e[k]))
    }

    /// The triple of `count` jets given as (pt, η, φ, m) whose mass is closest to `target`,
    /// nil with fewer than three jets. Each jet's four-momentum is
    /// `PtEtaPhiMVector(pt:eta:phi:mass:).cartesian` (libm's sin, cos, sinh, cosh), as in
    /// ``closest(in:toMass:)``.
    ///
    /// ```swift
    /// let best = search.closest(pt: pts, eta: etas, phi: phis, mass: masses, count: 5, toMass: 172.5)
    /// ```
    public func closest(pt: UnsafePointer<Float>, eta: UnsafePointer<Float>, phi: UnsafePointer<Float>,
                        mass: UnsafePointer<Float>, count n: Int, toMass target: Double) -> Trijet? {
        guard n >= 3 else { return nil }
        let room = room(for: n)
        for (offset, column) in [pt, eta, phi, mass].enumerated() { (room.floats + offset * room.stride).update(from: column, count: n) }
        let choice = room.closest(count: n, toMass: target, screening: screening)
        let (i, j, k) = (choice.i, choice.j, choice.k)
        return Trijet(i: i, j: j, k: k, sum: (room.exactP4(i) + room.exactP4(j)) + room.exactP4(k))
    }

    /// The buffers of a search for up to `jets` jets, each padded for whole AVX2 vectors.
    @usableFromInline
    final class Room {
        /// Jets the buffers hold (each jet buffer has `stride` values).
        @usableFromInline let jets: Int
        @usableFromInline let stride: Int
        // pt, eta, phi, mass as read, `stride` values each.
        @usableFromInline let floats: UnsafeMutablePointer<Float>
        // px, py, pz, E (fast or exact) and the exact loop's distances, `stride` values each.
        @usableFromInline let doubles: UnsafeMutablePointer<Double>
        // The screening's pair sums, 4 × `pairs` values.
        @usableFromInline let pairs: Int
        @usableFromInline let pairSums: UnsafeMutablePointer<Double>
        // Candidate triples (packed i | j << 10 | k << 20) and their lower distance bounds.
        @usableFromInline static var candidateCapacity: Int { 512 }
        @usableFromInline let candidates: UnsafeMutablePointer<UInt32>
        @usableFromInline let candidateLow: UnsafeMutablePointer<Double>
        // Every triple's m² (the AVX-512 scan's second pass reads them), for up to 128 jets.
        @usableFromInline let storedCapacity: Int
        @usableFromInline let stored: UnsafeMutablePointer<Double>

        @usableFromInline
        init(jets: Int) {
            self.jets = jets
            // Padded: the screening reads whole vectors past the last jet.
            stride = jets + 8
            floats = .allocate(capacity: 4 * stride)
            floats.initialize(repeating: 0, count: 4 * stride)
            doubles = .allocate(capacity: 5 * stride)
            doubles.initialize(repeating: 0, count: 5 * stride)
            pairs = kaon_trijet_pair_capacity(jets)
            pairSums = .allocate(capacity: 4 * pairs)
            pairSums.initialize(repeating: 0, count: 4 * pairs)
            candidates = .allocate(capacity: Self.candidateCapacity)
            candidateLow = .allocate(capacity: Self.candidateCapacity)
            storedCapacity = kaon_trijet_stored_capacity(Swift.min(jets, 128))
            stored = .allocate(capacity: storedCapacity)
        }

        deinit {
            floats.deallocate()
            doubles.deallocate()
            pairSums.deallocate()
            candidates.deallocate()
            candidateLow.deallocate()
            stored.deallocate()
        }

        /// Jet `index` of the read values, converted as ROOT converts it.
        @inlinable
        func exactP4(_ index: Int) -> PxPyPzEVector {
            PtEtaPhiMVector(pt: floats[index], eta: floats[stride &+ index], phi: floats[2 &* stride &+ index],
                            mass: floats[3 &* stride &+ index]).cartesian
        }

        /// Reads the (pt, η, φ, m) of `jets`.
        @inlinable
        func read(_ jets: ObjectCollection<Jet>) {
            let w = stride
            var l = 0
            for jet in jets {
                floats[l] = jet.pt; floats[w &+ l] = jet.eta; floats[2 &* w &+ l] = jet.phi; floats[3 &* w &+ l] = jet.mass
                l &+= 1
            }
        }

        /// The choice among `n` jets given in fast Cartesian form: the only triple of three jets,
        /// else the screening's (`kaon_trijet_candidates`) single candidate, or the exact
        /// decision among several (after `readJets()` has read the jets' (pt, η, φ, m) into
        /// this room); nil when the screening cannot decide.
        @usableFromInline
        func screened(px: UnsafePointer<Double>, py: UnsafePointer<Double>, pz: UnsafePointer<Double>, e: UnsafePointer<Double>,
                      count n: Int, toMass target: Double, kernel: Int32, readJets: () -> Void) -> Choice? {
            // Three jets: the one triple is the answer (as in the plain loop, whatever its mass).
            if n == 3 {
                return e[0].isNaN || e[1].isNaN || e[2].isNaN ? Choice((0, 1, 2)) : TrijetSearch.screenedChoice(0, 1, 2, px: px, py: py, e: e)
            }
            let found = kaon_trijet_candidates(kernel, px, py, pz, e, n, target, pairSums, pairSums + pairs, pairSums + 2 &* pairs,
                                               pairSums + 3 &* pairs, candidates, candidateLow, Self.candidateCapacity, stored,
                                               storedCapacity)
            if found == 1 {
                let (i, j, k) = TrijetSearch.unpack(candidates[0])
                return TrijetSearch.screenedChoice(i, j, k, px: px, py: py, e: e)
            }
            guard found > 1 else { return nil }
            readJets()
            return Choice(decideExactly(count: n, candidates: found, toMass: target))
        }

        /// The search over the `n` read jets: screened (when the jets and the target allow it),
        /// else exact.
        @usableFromInline
        func closest(count n: Int, toMass target: Double, screening: Screening) -> Choice {
            let w = stride
            let pt = floats, eta = floats + w, phi = floats + 2 &* w, mass = floats + 3 &* w
            let px = doubles, py = doubles + w, pz = doubles + 2 &* w, e = doubles + 3 &* w
            if screening != .exact && n <= 1023 {
                kaon_fast_cartesian_column(screening.kernel, pt, eta, phi, mass, n, px, py, pz, e)
                if let choice = screened(px: px, py: py, pz: pz, e: e, count: n, toMass: target, kernel: screening.kernel,
                                         readJets: {}) {
                    return choice
                }
            }
            exactConversion(count: n)
            let best = TrijetSearch.closest(px: px, py: py, pz: pz, e: e, count: n, toMass: target, distances: doubles + 4 &* w)
            return Choice((best.i, best.j, best.k))
        }

        /// Overwrites px, py, pz, E with the exact conversions of the `n` read jets.
        func exactConversion(count n: Int) {
            for l in 0..<n {
                let p4 = exactP4(l)
                doubles[l] = p4.px; doubles[stride &+ l] = p4.py; doubles[2 &* stride &+ l] = p4.pz; doubles[3 &* stride &+ l] = p4.e
            }
        }

        /// Among several screened candidates (in lexicographic order), the first with the
        /// smallest exact distance, as the plain loop chooses.
        @usableFromInline
        func decideExactly(count n: Int, candidates found: Int, toMass target: Double) -> (i: Int, j: Int, k: Int) {
            exactConversion(count: n)
            let w = stride
            let px = doubles, py = doubles + w, pz = doubles + 2 &* w, e = doubles + 3 &* w
            var (bi, bj, bk) = TrijetSearch.unpack(candidates[0])
            var best = TrijetSearch.distance(px: px, py: py, pz: pz, e: e, bi, bj, bk, target)
            for c in 1..<found {
                let (i, j, k) = TrijetSearch.unpack(candidates[c])
                let d = TrijetSearch.distance(px: px, py: py, pz: pz, e: e, i, j, k, target)
                if d < best { (best, bi, bj, bk) = (d, i, j, k) }
            }
            return (bi, bj, bk)
        }
    }

    @inlinable
    static func unpack(_ packed: UInt32) -> (Int, Int, Int) {
        (Int(packed & 1023), Int((packed >> 10) & 1023), Int(packed >> 20))
    }

    /// The search over `count` ≥ 3 jets given as Cartesian coordinate buffers.
    ///
    /// `distances` is scratch room for `count` values.
    ///
    /// ```swift
    /// let best = TrijetSearch.closest(px: px, py: py, pz: pz, e: e, count: n, toMass: 172.5, distances: room)
    /// ```
    @inlinable
    public static func closest(px: UnsafePointer<Double>, py: UnsafePointer<Double>, pz: UnsafePointer<Double>,
                               e: UnsafePointer<Double>, count n: Int, toMass target: Double,
                               distances: UnsafeMutablePointer<Double>) -> Trijet {
        precondition(n >= 3 && n < 1 << 20, "TrijetSearch: needs 3 to 2^20 jets, got \(n)")
        // The first triple is the answer until a strictly closer one appears (so a NaN first
        // distance keeps it, as in the plain loop).
        var best = distance(px: px, py: py, pz: pz, e: e, 0, 1, 2, target)
        var (bi, bj, bk) = (0, 1, 2)
        var window = MassWindow(around: target, within: best)
        // For each pair (i, j) the masses squared of all its triples are computed first (a
        // loop without dependencies and without square roots, which the compiler
        // vectorises) together with whether any of them lies in the window that could beat
        // the best distance so far. Once a good triple is known almost no pair has one, so
        // the square roots and the scan for the minimum run only for the few that do; there
        // each distance is the plain loop's, compared with strict `<` in triple order.
        var i = 0
        while i < n &- 2 {
            var j = i &+ 1
            while j < n &- 1 {
                let ax = px[i] + px[j], ay = py[i] + py[j], az = pz[i] + pz[j], ae = e[i] + e[j]
                // Two k at a time, without branches (whether a triple is in the window is
                // unpredictable early in an event); lane by lane the arithmetic is the
                // scalar one, in the same order.
                let ax2 = SIMD2(repeating: ax), ay2 = SIMD2(repeating: ay), az2 = SIMD2(repeating: az)
                let ae2 = SIMD2(repeating: ae)
                var inWindow = SIMDMask<SIMD2<Int64>>(repeating: false)
                var k = j &+ 1
                while k &+ 1 < n {
                    let sx = ax2 + SIMD2(px[k], px[k &+ 1]), sy = ay2 + SIMD2(py[k], py[k &+ 1])
                    let sz = az2 + SIMD2(pz[k], pz[k &+ 1]), se = ae2 + SIMD2(e[k], e[k &+ 1])
                    let m2 = se * se - (sx * sx + sy * sy + sz * sz)
                    distances[k] = m2[0]
                    distances[k &+ 1] = m2[1]
                    inWindow .|= .!(m2 .< window.lower) .& .!(m2 .> window.upper)
                    k &+= 2
                }
                var anyInWindow = any(inWindow)
                if k < n {
                    let m2 = pairMass2(ax, ay, az, ae, px[k], py[k], pz[k], e[k])
                    distances[k] = m2
                    anyInWindow = anyInWindow || window.contains(m2)
                }
                if anyInWindow {
                    for k in (j &+ 1)..<n where window.contains(distances[k]) {
                        let d = Swift.abs(signedSquareRoot(distances[k]) - target)
                        if d < best {
                            (best, bi, bj, bk) = (d, i, j, k)
                            window = MassWindow(around: target, within: best)
                        }
                    }
                }
                j &+= 1
            }
            i &+= 1
        }
        let sum = PxPyPzEVector(px: (px[bi] + px[bj]) + px[bk], py: (py[bi] + py[bj]) + py[bk],
                                pz: (pz[bi] + pz[bj]) + pz[bk], e: (e[bi] + e[bj]) + e[bk])
        return Trijet(i: bi, j: bj, k: bk, sum: sum)
    }

    /// The masses squared m² whose distance |m − target| (computed as the loop computes it:
    /// signed square root, subtraction, absolute value, each rounded) could be below `best`.
    ///
    /// Conservative by a relative margin of 10⁻⁸ on m², far above the few roundings
    /// involved: outside the window the rounded distance is provably ≥ `best`, so skipping
    /// those triples cannot change which one the strict `<` picks. With a NaN `best` (or a
    /// negative or non-finite target) every m² is inside, and so is a NaN m².
    @usableFromInline
    struct MassWindow {
        @usableFromInline var lower: Double, upper: Double

        @inlinable @inline(__always)
        init(around target: Double, within best: Double) {
            guard target >= 0 && target.isFinite else { (lower, upper) = (-.infinity, .infinity); return }
            let above = target + best
            upper = (above * above) * (1 + 1e-8)
            if best < target {
                // m < target − best: the distance exceeds best (space-like masses, m < 0, too).
                let below = target - best
                lower = (below * below) * (1 - 1e-8)
            } else {
                // Only a space-like m with |m| > best − target is surely farther.
                let below = best - target
                lower = -((below * below) * (1 + 1e-8))
            }
        }

        /// Whether `m2` may give a distance below the window's best (true for NaN).
        @inlinable @inline(__always)
        func contains(_ m2: Double) -> Bool { !(m2 < lower) && !(m2 > upper) }
    }

    /// m² of the pair sum (ax, ay, az, ae) plus one jet: PxPyPzEVector's `+` and `mass2`, in
    /// their order.
    @inlinable @inline(__always)
    static func pairMass2(_ ax: Double, _ ay: Double, _ az: Double, _ ae: Double,
                          _ x: Double, _ y: Double, _ z: Double, _ t: Double) -> Double {
        let sx = ax + x, sy = ay + y, sz = az + z, se = ae + t
        return se * se - (sx * sx + sy * sy + sz * sz)
    }

    /// |m − target| of triple (i, j, k), computed as in the loop.
    @inlinable
    static func distance(px: UnsafePointer<Double>, py: UnsafePointer<Double>, pz: UnsafePointer<Double>,
                         e: UnsafePointer<Double>, _ i: Int, _ j: Int, _ k: Int, _ target: Double) -> Double {
        let sx = (px[i] + px[j]) + px[k], sy = (py[i] + py[j]) + py[k]
        let sz = (pz[i] + pz[j]) + pz[k], se = (e[i] + e[j]) + e[k]
        return Swift.abs(signedSquareRoot(se * se - (sx * sx + sy * sy + sz * sz)) - target)
    }
}
