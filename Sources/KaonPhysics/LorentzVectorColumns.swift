import KaonColumns

/// A jagged collection of four-vectors in (pt, η, φ, m) form — NanoAOD's layout: four
/// columns sharing one list structure (`Muon_pt`, `Muon_eta`, `Muon_phi`, `Muon_mass`).
///
/// Element type `Scalar` is the columns' (usually `Float`); every derived quantity is
/// computed in `Double`, with ``PtEtaPhiMVector``'s ROOT conventions (negative stored mass =
/// space-like).
///
/// ```swift
/// let muons = PtEtaPhiMColumns(pt: muPt, eta: muEta, phi: muPhi, mass: muMass)
/// let pairs = muons.pt.argcombinations(2)
/// let dimuonMass = muons.sum(over: pairs).mass     // JaggedArray<Double>, one per pair
/// ```
public struct PtEtaPhiMColumns<Scalar: ColumnFloatingPoint>: Sendable {
    /// Transverse momenta.
    ///
    /// ```swift
    /// muons.pt .> 20
    /// ```
    public var pt: JaggedArray<Scalar>
    /// Pseudorapidities.
    ///
    /// ```swift
    /// abs(muons.eta) .< 2.4
    /// ```
    public var eta: JaggedArray<Scalar>
    /// Azimuths.
    ///
    /// ```swift
    /// muons.phi.firsts()
    /// ```
    public var phi: JaggedArray<Scalar>
    /// Stored masses (negative = space-like).
    ///
    /// ```swift
    /// electrons.mass .< 0   // space-like stored masses
    /// ```
    public var mass: JaggedArray<Scalar>

    /// Groups four columns of the same structure (no copies).
    ///
    /// ```swift
    /// let jets = PtEtaPhiMColumns(pt: jetPt, eta: jetEta, phi: jetPhi, mass: jetMass)
    /// ```
    @inlinable
    public init(pt: JaggedArray<Scalar>, eta: JaggedArray<Scalar>, phi: JaggedArray<Scalar>, mass: JaggedArray<Scalar>) {
        precondition(pt.offsets == eta.offsets && pt.offsets == phi.offsets && pt.offsets == mass.offsets,
                     "PtEtaPhiMColumns: pt, eta, phi and mass must have the same list structure")
        self.pt = pt; self.eta = eta; self.phi = phi; self.mass = mass
    }

    /// The shared list structure.
    ///
    /// ```swift
    /// muons.offsets == muons.pt.offsets   // true
    /// ```
    @inlinable public var offsets: [Int] { pt.offsets }
    /// Number of lists (events).
    ///
    /// ```swift
    /// muons.count   // events
    /// ```
    @inlinable public var count: Int { pt.count }
    /// Objects per event.
    ///
    /// ```swift
    /// muons.counts   // nMuon per event
    /// ```
    @inlinable public var counts: [Int] { pt.counts }

    /// The vector at global position `index` (into the flattened columns).
    ///
    /// ```swift
    /// let leading = muons.vector(at: muons.offsets[event])
    /// ```
    @inlinable
    public func vector(at index: Int) -> PtEtaPhiMVector {
        PtEtaPhiMVector(pt: pt.values[index], eta: eta.values[index], phi: phi.values[index], mass: mass.values[index])
    }

    /// The objects passing a per-object mask: `muons[muons.pt .> 20]`.
    ///
    /// ```swift
    /// let goodMuons = muons[(muons.pt .> 20) .& (abs(muons.eta) .< 2.4)]
    /// ```
    @inlinable
    public subscript(mask: JaggedArray<Bool>) -> PtEtaPhiMColumns {
        PtEtaPhiMColumns(pt: pt[mask], eta: eta[mask], phi: phi[mask], mass: mass[mask])
    }

    /// Each object in Cartesian form (Double), computed once; sums reuse it.
    ///
    /// ```swift
    /// let p4 = jets.cartesian()
    /// p4.energy
    /// ```
    @inlinable
    public func cartesian() -> PxPyPzEColumns {
        let n = pt.values.count
        var px = [Double](repeating: 0, count: n), py = px, pz = px, e = px
        pt.values.withUnsafeBufferPointer { ptv in
        eta.values.withUnsafeBufferPointer { etav in
        phi.values.withUnsafeBufferPointer { phiv in
        mass.values.withUnsafeBufferPointer { mv in
        px.withUnsafeMutableBufferPointer { x in
        py.withUnsafeMutableBufferPointer { y in
        pz.withUnsafeMutableBufferPointer { z in
        e.withUnsafeMutableBufferPointer { t in
            for i in 0..<n {
                let c = PtEtaPhiMVector(pt: ptv[i], eta: etav[i], phi: phiv[i], mass: mv[i]).cartesian
                x[i] = c.px; y[i] = c.py; z[i] = c.pz; t[i] = c.e
            }
        }}}}}}}}
        let o = pt.offsets
        return PxPyPzEColumns(px: JaggedArray(offsets: o, values: px), py: JaggedArray(offsets: o, values: py),
                              pz: JaggedArray(offsets: o, values: pz), e: JaggedArray(offsets: o, values: e))
    }

    /// The four-vector sum of each tuple (pairs, triplets from
    /// `JaggedArray.argcombinations(_:)`), with the tuples' structure.
    ///
    /// ```swift
    /// let trijets = jets.sum(over: jets.pt.argcombinations(3))
    /// trijets.mass; trijets.pt
    /// ```
    /// - Precondition: every slot of `tuples` indexes this collection.
    @inlinable
    public func sum(over tuples: JaggedTuples) -> PxPyPzEColumns { cartesian().sum(over: tuples) }

    /// The invariant mass of each tuple's four-vector sum, without materialising the sums
    /// (one Double per tuple instead of four): the form to use for large numbers of tuples.
    ///
    /// ```swift
    /// let m = jets.mass(over: jets.pt.argcombinations(3))
    /// let best = abs(m - 172.5).argmin()
    /// ```
    @inlinable
    public func mass(over tuples: JaggedTuples) -> JaggedArray<Double> { cartesian().mass(over: tuples) }

    /// Energies (Double).
    ///
    /// ```swift
    /// jets.energy
    /// ```
    @inlinable public var energy: JaggedArray<Double> { cartesian().e }
    /// Rapidities (Double).
    ///
    /// ```swift
    /// jets.rapidity
    /// ```
    @inlinable public var rapidity: JaggedArray<Double> { cartesian().rapidity }

    /// ΔR between slot-0 objects of `pairs` (from `self`) and slot-1 objects (from `other`),
    /// e.g. the muon × jet table from `JaggedTuples.cartesian(_:_:)`.
    ///
    /// ```swift
    /// let mj = JaggedTuples.cartesian(muons.pt, jets.pt)
    /// let dr = muons.deltaR(jets, pairs: mj)   // one ΔR per (muon, jet), muon-major
    /// ```
    @inlinable
    public func deltaR<Other>(_ other: PtEtaPhiMColumns<Other>, pairs: JaggedTuples) -> JaggedArray<Double> {
        pairKernel(other, pairs: pairs) { e1, p1, e2, p2 in
            KaonPhysics.deltaR(eta1: Double(e1), phi1: Double(p1), eta2: Double(e2), phi2: Double(p2))
        }
    }

    /// Wrapped Δφ (φ_self − φ_other) for each pair, as ``deltaR(_:pairs:)``.
    ///
    /// ```swift
    /// let dphi = muons.deltaPhi(jets, pairs: JaggedTuples.cartesian(muons.pt, jets.pt))
    /// ```
    @inlinable
    public func deltaPhi<Other>(_ other: PtEtaPhiMColumns<Other>, pairs: JaggedTuples) -> JaggedArray<Double> {
        pairKernel(other, pairs: pairs) { _, p1, _, p2 in KaonPhysics.deltaPhi(Double(p1), Double(p2)) }
    }

    /// The muon × jet ΔR table in one call: cartesian pairs (self-major) and their ΔR.
    ///
    /// ```swift
    /// let (pairs, dr) = muons.deltaRTable(jets)
    /// ```
    @inlinable
    public func deltaRTable<Other>(_ other: PtEtaPhiMColumns<Other>) -> (pairs: JaggedTuples, deltaR: JaggedArray<Double>) {
        let pairs = JaggedTuples.cartesian(pt, other.pt)
        return (pairs, deltaR(other, pairs: pairs))
    }

    /// For each object of `self`, the smallest ΔR to any object of `other` in the same
    /// event; `nil` when the event has none of `other` (awkward:
    /// `ak.min(a.metric_table(b), axis=2)`). The cleaning step of ADL query 7.
    ///
    /// ```swift
    /// let isolated = jets.minDeltaR(to: leptons).filled(with: .infinity) .>= 0.4
    /// ```
    @inlinable
    public func minDeltaR<Other>(to other: PtEtaPhiMColumns<Other>) -> JaggedArray<Double?> {
        var out = [Double?](repeating: nil, count: pt.values.count)
        for l in 0..<count {
            let others = other.offsets[l]..<other.offsets[l + 1]
            guard !others.isEmpty else { continue }
            for i in offsets[l]..<offsets[l + 1] {
                var best = Double.infinity
                let e1 = Double(eta.values[i]), p1 = Double(phi.values[i])
                for j in others {
                    let d = KaonPhysics.deltaR(eta1: e1, phi1: p1, eta2: Double(other.eta.values[j]), phi2: Double(other.phi.values[j]))
                    if d < best { best = d }
                }
                out[i] = best
            }
        }
        return JaggedArray(offsets: offsets, values: out)
    }

    @inlinable
    func pairKernel<Other>(_ other: PtEtaPhiMColumns<Other>, pairs: JaggedTuples,
                           _ f: (Scalar, Scalar, Other, Other) -> Double) -> JaggedArray<Double> {
        precondition(pairs.arity == 2 && pairs.sourceOffsets[0] == offsets && pairs.sourceOffsets[1] == other.offsets,
                     "pairs must be built from (self, other)")
        let a = pairs.slots[0], b = pairs.slots[1]
        let n = a.count
        let out = [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            eta.values.withUnsafeBufferPointer { e1 in
                phi.values.withUnsafeBufferPointer { p1 in
                    other.eta.values.withUnsafeBufferPointer { e2 in
                        other.phi.values.withUnsafeBufferPointer { p2 in
                            for t in 0..<n { buffer[t] = f(e1[a[t]], p1[a[t]], e2[b[t]], p2[b[t]]) }
                        }
                    }
                }
            }
            initialized = n
        }
        return JaggedArray(offsets: pairs.offsets, values: out)
    }
}

/// A jagged collection of four-vectors in Cartesian (px, py, pz, E) form, in Double: the
/// form of sums (pairs, triplets, per-event totals). Derived quantities follow ROOT
/// (negative mass for space-like sums).
///
/// ```swift
/// let dimuons = muons.sum(over: pairs)
/// let inZWindow = (dimuons.mass .> 60) .& (dimuons.mass .< 120)
/// ```
public struct PxPyPzEColumns: Sendable {
    /// Momenta along x, y, z and energies, sharing one list structure.
    ///
    /// ```swift
    /// p4.px + p4.py
    /// ```
    public var px, py, pz, e: JaggedArray<Double>

    /// Groups four columns of the same structure.
    ///
    /// ```swift
    /// let p4 = PxPyPzEColumns(px: px, py: py, pz: pz, e: e)
    /// ```
    @inlinable
    public init(px: JaggedArray<Double>, py: JaggedArray<Double>, pz: JaggedArray<Double>, e: JaggedArray<Double>) {
        precondition(px.offsets == py.offsets && px.offsets == pz.offsets && px.offsets == e.offsets,
                     "PxPyPzEColumns: components must have the same list structure")
        self.px = px; self.py = py; self.pz = pz; self.e = e
    }

    /// The shared list structure.
    ///
    /// ```swift
    /// dimuons.offsets   // pair boundaries per event
    /// ```
    @inlinable public var offsets: [Int] { px.offsets }
    /// Number of lists (events).
    ///
    /// ```swift
    /// dimuons.count   // events
    /// ```
    @inlinable public var count: Int { px.count }

    /// The vector at global position `index`.
    ///
    /// ```swift
    /// dimuons.vector(at: 0).mass
    /// ```
    @inlinable
    public func vector(at index: Int) -> PxPyPzEVector {
        PxPyPzEVector(px: px.values[index], py: py.values[index], pz: pz.values[index], e: e.values[index])
    }

    /// Applies a scalar four-vector function to every element.
    ///
    /// ```swift
    /// let m = dimuons.map { $0.mass }
    /// ```
    @inlinable
    public func map<R>(_ f: (PxPyPzEVector) -> R) -> JaggedArray<R> {
        let n = px.values.count
        let out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
            px.values.withUnsafeBufferPointer { x in
            py.values.withUnsafeBufferPointer { y in
            pz.values.withUnsafeBufferPointer { z in
            e.values.withUnsafeBufferPointer { t in
                for i in 0..<n { (buffer.baseAddress! + i).initialize(to: f(PxPyPzEVector(px: x[i], py: y[i], pz: z[i], e: t[i]))) }
            }}}}
            initialized = n
        }
        return JaggedArray(offsets: offsets, values: out)
    }

    /// Invariant masses (negative for space-like vectors, as ROOT).
    ///
    /// ```swift
    /// let zMass = muons.sum(over: pairs).mass
    /// ```
    @inlinable public var mass: JaggedArray<Double> { map(\.mass) }
    /// Squared invariant masses.
    ///
    /// ```swift
    /// dielectrons.mass2 .< 0   // space-like sums
    /// ```
    @inlinable public var mass2: JaggedArray<Double> { map(\.mass2) }
    /// Transverse momenta.
    ///
    /// ```swift
    /// trijets.pt
    /// ```
    @inlinable public var pt: JaggedArray<Double> { map(\.pt) }
    /// Pseudorapidities.
    ///
    /// ```swift
    /// dimuons.eta
    /// ```
    @inlinable public var eta: JaggedArray<Double> { map(\.eta) }
    /// Azimuths in (−π, π].
    ///
    /// ```swift
    /// dimuons.phi
    /// ```
    @inlinable public var phi: JaggedArray<Double> { map(\.phi) }
    /// Rapidities.
    ///
    /// ```swift
    /// dimuons.rapidity
    /// ```
    @inlinable public var rapidity: JaggedArray<Double> { map(\.rapidity) }
    /// Energies.
    ///
    /// ```swift
    /// dimuons.energy
    /// ```
    @inlinable public var energy: JaggedArray<Double> { e }
    /// Transverse masses sqrt(E² − pz²) (ROOT's `Mt()`).
    ///
    /// ```swift
    /// dimuons.mt
    /// ```
    @inlinable public var mt: JaggedArray<Double> { map(\.mt) }

    /// The four-vector sum of each tuple; every slot must index this collection.
    ///
    /// ```swift
    /// let pairSums = p4.sum(over: p4.px.argcombinations(2))
    /// ```
    @inlinable
    public func sum(over tuples: JaggedTuples) -> PxPyPzEColumns {
        let n = tuples.offsets.last ?? 0
        var sx = [Double](repeating: 0, count: n), sy = sx, sz = sx, se = sx
        forEachTupleSum(tuples) { i, v in sx[i] = v.px; sy[i] = v.py; sz[i] = v.pz; se[i] = v.e }
        let o = tuples.offsets
        return PxPyPzEColumns(px: JaggedArray(offsets: o, values: sx), py: JaggedArray(offsets: o, values: sy),
                              pz: JaggedArray(offsets: o, values: sz), e: JaggedArray(offsets: o, values: se))
    }

    /// The invariant mass of each tuple's sum (fused: no intermediate sum columns).
    ///
    /// ```swift
    /// let m = p4.mass(over: p4.px.argcombinations(2))
    /// ```
    @inlinable
    public func mass(over tuples: JaggedTuples) -> JaggedArray<Double> {
        let n = tuples.offsets.last ?? 0
        let out = [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            forEachTupleSum(tuples) { i, v in buffer[i] = v.mass }
            initialized = n
        }
        return JaggedArray(offsets: tuples.offsets, values: out)
    }

    /// Per list, the local index of the tuple whose sum minimises `key` (first on ties,
    /// `nil` for a list without tuples): `argmin` over a per-tuple quantity, fused so that
    /// neither the sums nor the keys are stored — the inner step of ADL query 6.
    ///
    /// ```swift
    /// let best = p4.argmin(over: trijets) { Swift.abs($0.mass - 172.5) }
    /// ```
    @inlinable
    public func argmin(over tuples: JaggedTuples, key: (PxPyPzEVector) -> Double) -> [Int?] {
        var best = [Int?](repeating: nil, count: tuples.count)
        var list = 0
        var bestKey = Double.nan
        forEachTupleSum(tuples) { t, v in
            // Tuples arrive in order, so the owning list only ever advances.
            while t >= tuples.offsets[list + 1] { list += 1 }
            let k = key(v)
            let local = t - tuples.offsets[list]
            // Strict `<` keeps the first of equal keys, as `JaggedArray.argmin` and awkward.
            if local == 0 || k < bestKey { best[list] = local; bestKey = k }
        }
        return best
    }

    /// Per list, the sum of the tuple chosen by `perList` (a local tuple index, e.g. from
    /// an argmin), `nil` where none is chosen.
    ///
    /// ```swift
    /// let best = abs(m - 172.5).argmin()
    /// let trijet = p4.sum(over: trijets, choosing: best)   // [PxPyPzEVector?]
    /// ```
    @inlinable
    public func sum(over tuples: JaggedTuples, choosing perList: [Int?]) -> [PxPyPzEVector?] {
        precondition(perList.count == tuples.count, "sum(over:choosing:): \(perList.count) choices for \(tuples.count) lists")
        for s in tuples.sourceOffsets { precondition(s == offsets, "sum(over:choosing:): tuples were built from another collection") }
        return (0..<tuples.count).map { l in
            guard let k = perList[l], k >= 0, tuples.offsets[l] + k < tuples.offsets[l + 1] else { return nil }
            let t = tuples.offsets[l] + k
            var acc = PxPyPzEVector.zero
            for slot in tuples.slots { acc += vector(at: slot[t]) }
            return acc
        }
    }

    /// Calls `body(t, sum)` with the four-vector sum of every tuple `t`, reading the
    /// components through raw buffers (the inner loop of every tuple kernel).
    @inlinable
    func forEachTupleSum(_ tuples: JaggedTuples, _ body: (Int, PxPyPzEVector) -> Void) {
        for s in tuples.sourceOffsets { precondition(s == offsets, "tuples were built from another collection") }
        let n = tuples.offsets.last ?? 0
        let k = tuples.arity
        px.values.withUnsafeBufferPointer { x in
        py.values.withUnsafeBufferPointer { y in
        pz.values.withUnsafeBufferPointer { z in
        e.values.withUnsafeBufferPointer { t in
            if k == 2 {
                tuples.slots[0].withUnsafeBufferPointer { a in
                tuples.slots[1].withUnsafeBufferPointer { b in
                    for i in 0..<n {
                        let p = a[i], q = b[i]
                        body(i, PxPyPzEVector(px: x[p] + x[q], py: y[p] + y[q], pz: z[p] + z[q], e: t[p] + t[q]))
                    }
                }}
            } else if k == 3 {
                tuples.slots[0].withUnsafeBufferPointer { a in
                tuples.slots[1].withUnsafeBufferPointer { b in
                tuples.slots[2].withUnsafeBufferPointer { c in
                    for i in 0..<n {
                        let p = a[i], q = b[i], r = c[i]
                        // Left to right, as ROOT's (a + b) + c.
                        body(i, PxPyPzEVector(px: x[p] + x[q] + x[r], py: y[p] + y[q] + y[r],
                                              pz: z[p] + z[q] + z[r], e: t[p] + t[q] + t[r]))
                    }
                }}}
            } else {
                for i in 0..<n {
                    var acc = PxPyPzEVector.zero
                    for slot in tuples.slots { let j = slot[i]; acc += PxPyPzEVector(px: x[j], py: y[j], pz: z[j], e: t[j]) }
                    body(i, acc)
                }
            }
        }}}}
    }

    /// The sum of all vectors of each list (`ak.sum(p4, axis=1)`; zero vector when empty).
    ///
    /// ```swift
    /// let total = jets.cartesian().sumPerList()   // one vector per event
    /// ```
    @inlinable
    public func sumPerList() -> [PxPyPzEVector] {
        (0..<count).map { l in
            var acc = PxPyPzEVector.zero
            for i in offsets[l]..<offsets[l + 1] { acc += vector(at: i) }
            return acc
        }
    }

    /// Every vector of list `l` boosted into the rest frame of `frames[l]`.
    ///
    /// ```swift
    /// let inZFrame = muons.cartesian().boostedToRestFrames(zCandidates)
    /// ```
    @inlinable
    public func boostedToRestFrames(_ frames: [PxPyPzEVector]) -> PxPyPzEColumns {
        boosted(by: frames.map { -$0.boostVector })
    }

    /// Every vector of list `l` boosted by `betas[l]` (see ``PxPyPzEVector/boosted(by:)``).
    ///
    /// ```swift
    /// let moved = p4.boosted(by: Array(repeating: BoostVector(x: 0, y: 0, z: 0.5), count: p4.count))
    /// ```
    @inlinable
    public func boosted(by betas: [BoostVector]) -> PxPyPzEColumns {
        precondition(betas.count == count, "boosted(by:): \(betas.count) boosts for \(count) lists")
        var out = self
        for l in 0..<count {
            for i in offsets[l]..<offsets[l + 1] {
                let b = vector(at: i).boosted(by: betas[l])
                out.px.values[i] = b.px; out.py.values[i] = b.py; out.pz.values[i] = b.pz; out.e.values[i] = b.e
            }
        }
        return out
    }
}
