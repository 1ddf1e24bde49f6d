/// Per-list tuples of element positions: the result of ``JaggedArray/argcombinations(_:)``
/// (`ak.argcombinations`) and ``JaggedTuples/cartesian(_:_:)`` (`ak.argcartesian`).
///
/// Stored as one offsets array (tuples per list) and, per slot, a contiguous array of
/// *global* positions into that slot's source ``JaggedArray/values`` — so gathering a
/// quantity for a slot is one indexed load per tuple, with no per-event arithmetic.
/// ``localIndices(slot:)`` gives awkward's local numbering.
///
/// ```swift
/// let jets = JaggedArray([[50.0, 40.0, 30.0], [20.0]])
/// let pairs = jets.argcombinations(2)
/// pairs.localIndices(slot: 0)       // [[0, 0, 1], []]
/// pairs.localIndices(slot: 1)       // [[1, 2, 2], []]
/// pairs.values(slot: 1, of: jets)   // [[40.0, 30.0, 30.0], []]
/// ```
public struct JaggedTuples: Sendable, Equatable {
    /// Tuple boundaries per list: `count + 1` positions into each slot array.
    ///
    /// ```swift
    /// jets.argcombinations(2).offsets   // tuple boundaries per event
    /// ```
    public var offsets: [Int]
    /// For each slot, the global position of that slot's element in its source's values.
    ///
    /// ```swift
    /// JaggedArray([[7, 8]]).argcombinations(2).slots   // [[0], [1]]
    /// ```
    public var slots: [[Int]]
    /// For each slot, the offsets of its source (needed only for local indices).
    ///
    /// ```swift
    /// JaggedTuples.cartesian(mu, jet).sourceOffsets   // [mu.offsets, jet.offsets]
    /// ```
    public var sourceOffsets: [[Int]]

    /// Wraps prebuilt tuples (all slots must have `offsets.last` entries).
    ///
    /// ```swift
    /// JaggedTuples(offsets: [0, 1], slots: [[0], [1]], sourceOffsets: [[0, 2], [0, 2]])
    /// ```
    @inlinable
    public init(offsets: [Int], slots: [[Int]], sourceOffsets: [[Int]]) {
        precondition(slots.count == sourceOffsets.count && slots.allSatisfy { $0.count == offsets.last },
                     "JaggedTuples: inconsistent slots")
        self.offsets = offsets
        self.slots = slots
        self.sourceOffsets = sourceOffsets
    }

    /// The number of lists (events).
    ///
    /// ```swift
    /// JaggedArray([[1, 2], []]).argcombinations(2).count   // 2
    /// ```
    @inlinable public var count: Int { offsets.count - 1 }
    /// Elements per tuple (2 for pairs).
    ///
    /// ```swift
    /// JaggedArray([[1, 2, 3]]).argcombinations(3).arity   // 3
    /// ```
    @inlinable public var arity: Int { slots.count }
    /// Number of tuples in each list.
    ///
    /// ```swift
    /// JaggedArray([[1, 2, 3], [4]]).argcombinations(2).counts   // [3, 0]
    /// ```
    @inlinable public var counts: [Int] { (0..<count).map { offsets[$0 + 1] - offsets[$0] } }

    /// The values of `source` at slot `slot` of every tuple, with the tuples' list structure.
    ///
    /// ```swift
    /// let (q1, q2) = (pairs.values(slot: 0, of: charge), pairs.values(slot: 1, of: charge))
    /// let opposite = q1 .!= q2
    /// ```
    @inlinable
    public func values<T>(slot: Int, of source: JaggedArray<T>) -> JaggedArray<T> {
        // Positions are global, so the source must have exactly the layout the tuples were
        // built from (array equality is a pointer check when the buffer is shared).
        precondition(source.offsets == sourceOffsets[slot], "JaggedTuples.values: source has a different list structure")
        let positions = slots[slot]
        let n = positions.count
        let out = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            source.values.withUnsafeBufferPointer { v in
                positions.withUnsafeBufferPointer { p in
                    for i in 0..<n { (buffer.baseAddress! + i).initialize(to: v[p[i]]) }
                }
            }
            initialized = n
        }
        return JaggedArray(uncheckedOffsets: offsets, values: out)
    }

    /// Position of slot `slot`'s element within its own list (awkward's local index).
    ///
    /// ```swift
    /// JaggedArray([[1, 2, 3]]).argcombinations(2).localIndices(slot: 0)   // [[0, 0, 1]]
    /// ```
    @inlinable
    public func localIndices(slot: Int) -> JaggedArray<Int> {
        let src = sourceOffsets[slot]
        var out = slots[slot]
        for l in 0..<count {
            for t in offsets[l]..<offsets[l + 1] { out[t] -= src[l] }
        }
        return JaggedArray(uncheckedOffsets: offsets, values: out)
    }

    /// Keeps the tuples whose mask entry is true (e.g. opposite-charge pairs).
    ///
    /// ```swift
    /// let osPairs = pairs[pairs.values(slot: 0, of: q) .!= pairs.values(slot: 1, of: q)]
    /// ```
    @inlinable
    public subscript(mask: JaggedArray<Bool>) -> JaggedTuples {
        precondition(mask.offsets == offsets, "JaggedTuples[mask]: mask has a different structure")
        var newOffsets = [Int](repeating: 0, count: count + 1)
        var newSlots = [[Int]](repeating: [], count: arity)
        var kept = 0
        for l in 0..<count {
            for t in offsets[l]..<offsets[l + 1] where mask.values[t] {
                for s in 0..<arity { newSlots[s].append(slots[s][t]) }
                kept += 1
            }
            newOffsets[l + 1] = kept
        }
        return JaggedTuples(offsets: newOffsets, slots: newSlots, sourceOffsets: sourceOffsets)
    }

    /// For each list, the local indices of the tuple chosen by `perList` (e.g. an
    /// ``JaggedArray/argmin()`` over a per-tuple quantity), one array per slot; `nil` where
    /// no tuple is chosen.
    ///
    /// ```swift
    /// let best = abs(trijetMass - 172.5).argmin()
    /// let chosen = trijets.select(best)   // chosen[0][event] = local index of first jet
    /// ```
    @inlinable
    public func select(_ perList: [Int?]) -> [[Int?]] {
        precondition(perList.count == count, "JaggedTuples.select: \(perList.count) choices for \(count) lists")
        return (0..<arity).map { s in
            (0..<count).map { l in
                guard let k = perList[l], k >= 0, offsets[l] + k < offsets[l + 1] else { return nil }
                return slots[s][offsets[l] + k] - sourceOffsets[s][l]
            }
        }
    }

    /// All pairs (a, b) with `a` from list `i` of `first` and `b` from list `i` of `second`,
    /// `a`-major (`ak.argcartesian([first, second])`: for each `a`, every `b`).
    ///
    /// ```swift
    /// let mj = JaggedTuples.cartesian(muonPt, jetPt)   // muon × jet pairs per event
    /// ```
    @inlinable
    public static func cartesian<A, B>(_ first: JaggedArray<A>, _ second: JaggedArray<B>) -> JaggedTuples {
        precondition(first.count == second.count, "cartesian: \(first.count) lists vs \(second.count)")
        let lists = first.count
        var offsets = [Int](repeating: 0, count: lists + 1)
        for l in 0..<lists {
            offsets[l + 1] = offsets[l] + (first.offsets[l + 1] - first.offsets[l]) * (second.offsets[l + 1] - second.offsets[l])
        }
        let total = offsets[lists]
        var left = [Int](repeating: 0, count: total)
        var right = [Int](repeating: 0, count: total)
        var t = 0
        for l in 0..<lists {
            for a in first.offsets[l]..<first.offsets[l + 1] {
                for b in second.offsets[l]..<second.offsets[l + 1] {
                    left[t] = a
                    right[t] = b
                    t += 1
                }
            }
        }
        return JaggedTuples(offsets: offsets, slots: [left, right], sourceOffsets: [first.offsets, second.offsets])
    }
}

extension JaggedArray {
    /// All k-element combinations without repetition within each list, in lexicographic
    /// order of local indices (`ak.argcombinations(a, k)`): for k = 2, (0,1), (0,2), …, (1,2), ….
    ///
    /// ```swift
    /// JaggedArray([[1, 2, 3]]).argcombinations(2).localIndices(slot: 1)   // [[1, 2, 2]]
    /// ```
    /// - Precondition: `k >= 1`.
    @inlinable
    public func argcombinations(_ k: Int) -> JaggedTuples {
        precondition(k >= 1, "argcombinations: k must be at least 1")
        let lists = count
        var tupleOffsets = [Int](repeating: 0, count: lists + 1)
        for l in 0..<lists {
            tupleOffsets[l + 1] = tupleOffsets[l] + binomial(offsets[l + 1] - offsets[l], k)
        }
        let total = tupleOffsets[lists]
        // One pass per slot, each writing one contiguous output through a raw pointer:
        // re-enumerating the tuples is cheaper than strided or nested-array writes.
        var slots = [[Int]]()
        slots.reserveCapacity(k)
        var current = [Int](repeating: 0, count: k)  // scratch odometer, shared by all lists
        for slot in 0..<k {
            slots.append([Int](unsafeUninitializedCapacity: total) { out, initialized in
                offsets.withUnsafeBufferPointer { o in
                    current.withUnsafeMutableBufferPointer { c in
                        var t = 0
                        for l in 0..<lists {
                            let start = o[l], n = o[l + 1] - start
                            guard n >= k else { continue }
                            if k == 2 {
                                // The common case, written out: pairs (i, j), i < j.
                                for i in 0..<(n - 1) {
                                    for j in (i + 1)..<n {
                                        out[t] = start + (slot == 0 ? i : j)
                                        t += 1
                                    }
                                }
                                continue
                            }
                            for s in 0..<k { c[s] = s }
                            while true {
                                out[t] = start + c[slot]
                                t += 1
                                // Advance like an odometer: the rightmost slot that can still move.
                                var s = k - 1
                                while s >= 0 && c[s] == n - k + s { s -= 1 }
                                if s < 0 { break }
                                c[s] += 1
                                for r in (s + 1)..<k { c[r] = c[r - 1] + 1 }
                            }
                        }
                    }
                }
                initialized = total
            })
        }
        return JaggedTuples(offsets: tupleOffsets, slots: slots, sourceOffsets: [[Int]](repeating: offsets, count: k))
    }

    /// The k-element combinations within each list as one jagged array per slot
    /// (`ak.unzip(ak.combinations(a, k))`).
    ///
    /// ```swift
    /// let c = JaggedArray([[1, 2, 3]]).combinations(2)
    /// c[0]   // [[1, 1, 2]]
    /// c[1]   // [[2, 3, 3]]
    /// ```
    @inlinable
    public func combinations(_ k: Int) -> [JaggedArray<Element>] {
        let tuples = argcombinations(k)
        return (0..<k).map { tuples.values(slot: $0, of: self) }
    }
}

/// n choose k (0 when n < k).
@inlinable
func binomial(_ n: Int, _ k: Int) -> Int {
    guard n >= k, k >= 0 else { return 0 }
    var result = 1
    for i in 0..<k { result = result * (n - i) / (i + 1) }
    return result
}
