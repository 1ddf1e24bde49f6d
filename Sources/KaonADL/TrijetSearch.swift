import KaonNano
import KaonPhysics

/// The hot loop of ADL query 6: among an event's jets, the triple (i < j < k, lexicographic)
/// whose summed four-momentum has the mass closest to a target, the first one on ties.
///
/// Built for millions of events: each jet is converted to Cartesian (px, py, pz, E) once
/// per event into contiguous per-coordinate buffers that are reused from event to event
/// (no allocation after the first events), the pair sum is formed once per (i, j), and the
/// innermost loop over k only adds, multiplies, takes one square root and keeps the best
/// with selects instead of a branch. The arithmetic is the plain loop's, in the same order,
/// so the chosen triple — and every bit of its sum — is the same as in
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
    /// ```swift
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
        let first = distance(px: px, py: py, pz: pz, e: e, 0, 1, 2, target)
        // (i, j, k) packed into one word whose order is the triples' order. For each pair the
        // distances of all its triples are computed first (a loop without dependencies, which
        // the compiler vectorises: two square roots per instruction), then scanned for the
        // minimum with selects (no branch: which triple wins is unpredictable early in an
        // event) in two interleaved running minima (even and odd k), merged at the end by
        // distance, then by order: the first minimum of the plain loop.
        var best = (first, first)
        var code = (0 << 40 | 1 << 20 | 2, 0 << 40 | 1 << 20 | 2)
        var i = 0
        while i < n &- 2 {
            var j = i &+ 1
            while j < n &- 1 {
                let ax = px[i] + px[j], ay = py[i] + py[j], az = pz[i] + pz[j], ae = e[i] + e[j]
                for k in (j &+ 1)..<n {
                    distances[k] = pairDistance(ax, ay, az, ae, px[k], py[k], pz[k], e[k], target)
                }
                let pairCode = i &<< 40 | j &<< 20
                var k = j &+ 1
                while k &+ 1 < n {
                    let d0 = distances[k], d1 = distances[k &+ 1]
                    let closer0 = d0 < best.0, closer1 = d1 < best.1
                    best.0 = closer0 ? d0 : best.0
                    code.0 = closer0 ? pairCode | k : code.0
                    best.1 = closer1 ? d1 : best.1
                    code.1 = closer1 ? pairCode | (k &+ 1) : code.1
                    k &+= 2
                }
                if k < n {
                    let d0 = distances[k]
                    let closer0 = d0 < best.0
                    best.0 = closer0 ? d0 : best.0
                    code.0 = closer0 ? pairCode | k : code.0
                }
                j &+= 1
            }
            i &+= 1
        }
        let bestCode = best.1 < best.0 || (!(best.0 < best.1) && code.1 < code.0) ? code.1 : code.0
        let bi = bestCode &>> 40, bj = (bestCode &>> 20) & 0xFFFFF, bk = bestCode & 0xFFFFF
        let sum = PxPyPzEVector(px: (px[bi] + px[bj]) + px[bk], py: (py[bi] + py[bj]) + py[bk],
                                pz: (pz[bi] + pz[bj]) + pz[bk], e: (e[bi] + e[bj]) + e[bk])
        return Trijet(i: bi, j: bj, k: bk, sum: sum)
    }

    /// |m − target| of the pair sum (ax, ay, az, ae) plus one jet: PxPyPzEVector's `+`,
    /// `mass2` and `signedSquareRoot`, in their order, without branches.
    @inlinable @inline(__always)
    static func pairDistance(_ ax: Double, _ ay: Double, _ az: Double, _ ae: Double,
                             _ x: Double, _ y: Double, _ z: Double, _ t: Double, _ target: Double) -> Double {
        let sx = ax + x, sy = ay + y, sz = az + z, se = ae + t
        let m2 = se * se - (sx * sx + sy * sy + sz * sz)
        let root = Swift.abs(m2).squareRoot()
        return Swift.abs((m2 >= 0 ? root : -root) - target)
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
