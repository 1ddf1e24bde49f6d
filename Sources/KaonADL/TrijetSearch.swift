import KaonNano
import KaonPhysics

/// The hot loop of ADL query 6: among an event's jets, the triple (i < j < k, lexicographic)
/// whose summed four-momentum has the mass closest to a target, the first one on ties.
///
/// Built for millions of events: each jet is converted to Cartesian (px, py, pz, E) once
/// per event into contiguous per-coordinate buffers that are reused from event to event
/// (no allocation after the first events), the pair sum is formed once per (i, j), and the
/// innermost loop over k only adds and multiplies, two k at a time, and tests m² against
/// the window of masses that could still beat the best distance so far; square roots are
/// taken only for the few triples inside it. The arithmetic of every distance that is
/// compared is the plain loop's, in the same order, so the chosen triple — and every bit of
/// its sum — is the same as in
///
/// ```swift
/// for (i, j, k) in triples where abs(((p4[i] + p4[j]) + p4[k]).mass - target) < best { … }
/// ```
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

    @usableFromInline var capacity: Int
    // One allocation holding px, py, pz, E and the distances, `capacity` values each.
    @usableFromInline var storage: UnsafeMutablePointer<Double>

    /// A search with room for `capacity` jets (it grows when an event has more).
    ///
    /// ```swift
    /// let search = TrijetSearch(capacity: 64)
    /// ```
    public init(capacity: Int = 64) {
        self.capacity = Swift.max(capacity, 3)
        storage = .allocate(capacity: 5 * self.capacity)
    }

    deinit { storage.deallocate() }

    /// Makes room for `count` jets (rarely: buffers only grow).
    @usableFromInline
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        storage.deallocate()
        capacity = Swift.max(count, 2 * capacity)
        storage = .allocate(capacity: 5 * capacity)
    }

    /// The triple of `jets` whose mass is closest to `target`, nil with fewer than three jets.
    ///
    /// ```swift
    /// if let top = search.closest(in: event.jets, toMass: 172.5) { print(top.sum.mass) }
    /// ```
    @inlinable
    public func closest(in jets: ObjectCollection<Jet>, toMass target: Double) -> Trijet? {
        let n = jets.count
        guard n >= 3 else { return nil }
        reserve(n)
        let cap = capacity
        let px = storage, py = storage + cap, pz = storage + 2 &* cap, e = storage + 3 &* cap
        var l = 0
        for jet in jets {
            let p4 = jet.p4.cartesian
            px[l] = p4.px; py[l] = p4.py; pz[l] = p4.pz; e[l] = p4.e
            l &+= 1
        }
        return Self.closest(px: px, py: py, pz: pz, e: e, count: n, toMass: target, distances: storage + 4 &* cap)
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
