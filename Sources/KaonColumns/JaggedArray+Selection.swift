// Selecting elements within lists: boolean masks, index lists (cross-references), first/last
// element, local index, concatenation per list.

extension JaggedArray {
    /// Keeps, in each list, the elements whose mask entry is true (awkward `a[mask]` with a
    /// jagged boolean mask of the same structure).
    ///
    /// ```swift
    /// let pt = JaggedArray([[50.0, 10.0], [], [35.0]])
    /// pt[pt .> 20]    // [[50.0], [], [35.0]]
    /// ```
    @inlinable
    public subscript(mask: JaggedArray<Bool>) -> JaggedArray<Element> {
        precondition(offsets == mask.offsets, "JaggedArray[mask]: mask has a different structure")
        let lists = count
        var newOffsets = [Int](repeating: 0, count: lists + 1)
        var out = [Element]()
        out.reserveCapacity(values.count)
        values.withUnsafeBufferPointer { v in
            mask.values.withUnsafeBufferPointer { m in
                offsets.withUnsafeBufferPointer { o in
                    for l in 0..<lists {
                        for i in o[l]..<o[l + 1] where m[i] { out.append(v[i]) }
                        newOffsets[l + 1] = out.count
                    }
                }
            }
        }
        return JaggedArray(uncheckedOffsets: newOffsets, values: out)
    }

    /// Each element's position within its list (`ak.local_index(a, axis=1)`).
    ///
    /// ```swift
    /// JaggedArray([[5, 6], [], [7]]).localIndex()   // [[0, 1], [], [0]]
    /// ```
    @inlinable
    public func localIndex() -> JaggedArray<Int> {
        let n = values.count
        let lists = count
        let out = [Int](unsafeUninitializedCapacity: n) { buffer, initialized in
            offsets.withUnsafeBufferPointer { o in
                for l in 0..<lists {
                    let start = o[l]
                    for i in start..<o[l + 1] { buffer[i] = i - start }
                }
            }
            initialized = n
        }
        return JaggedArray<Int>(uncheckedOffsets: offsets, values: out)
    }

    /// Gathers, per list, the elements at the local positions in `indices` (a
    /// cross-reference such as `Electron_jetIdx` into the jets of the same event); the result
    /// has the structure of `indices`.
    ///
    /// A negative index (NanoAOD's `-1`, "no match") or one past the end of its list gives
    /// `nil`. Awkward raises on an out-of-range index and treats -1 as "last"; NanoAOD
    /// cross-references mean "none" by -1, so `nil` is the useful answer here (coffea's
    /// convention).
    ///
    /// ```swift
    /// let jetPt = JaggedArray([[50.0, 30.0], [20.0]])
    /// let eleJetIdx = JaggedArray<Int32>([[1, -1], []])
    /// jetPt.take(eleJetIdx)   // [[Optional(30.0), nil], []]
    /// ```
    @inlinable
    public func take<I: BinaryInteger>(_ indices: JaggedArray<I>) -> JaggedArray<Element?> {
        precondition(indices.count == count, "take: \(indices.count) index lists for \(count) lists")
        let n = indices.values.count
        let lists = count
        let out = [Element?](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { v in
                offsets.withUnsafeBufferPointer { o in
                    indices.values.withUnsafeBufferPointer { idx in
                        indices.offsets.withUnsafeBufferPointer { io in
                            for l in 0..<lists {
                                let start = o[l], length = o[l + 1] - start
                                for j in io[l]..<io[l + 1] {
                                    let k = Int(truncatingIfNeeded: idx[j])
                                    (buffer.baseAddress! + j).initialize(to: k >= 0 && k < length ? v[start + k] : nil)
                                }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        return JaggedArray<Element?>(uncheckedOffsets: indices.offsets, values: out)
    }

    /// Gathers one element per list at a local position (e.g. from ``argmax()``); `nil`
    /// where the position is `nil` or out of range (awkward `a[ak.singletons(idx)]`,
    /// flattened).
    ///
    /// ```swift
    /// let pt = JaggedArray([[10.0, 30.0], []])
    /// pt.take(pt.argmax())   // [Optional(30.0), nil]
    /// ```
    @inlinable
    public func take(_ perList: [Int?]) -> [Element?] {
        precondition(perList.count == count, "take: \(perList.count) indices for \(count) lists")
        var out = [Element?]()
        out.reserveCapacity(count)
        for l in 0..<count {
            let start = offsets[l], length = offsets[l + 1] - start
            if let k = perList[l], k >= 0, k < length { out.append(values[start + k]) } else { out.append(nil) }
        }
        return out
    }

    /// The first element of each list, `nil` for an empty list (`ak.firsts`).
    ///
    /// ```swift
    /// JaggedArray([[3, 4], []]).firsts()   // [Optional(3), nil]
    /// ```
    @inlinable
    public func firsts() -> [Element?] {
        (0..<count).map { offsets[$0] < offsets[$0 + 1] ? values[offsets[$0]] : nil }
    }

    /// The last element of each list, `nil` for an empty list.
    ///
    /// ```swift
    /// JaggedArray([[3, 4], []]).lasts()   // [Optional(4), nil]
    /// ```
    @inlinable
    public func lasts() -> [Element?] {
        (0..<count).map { offsets[$0] < offsets[$0 + 1] ? values[offsets[$0 + 1] - 1] : nil }
    }

    /// Joins two collections list by list: list `i` of the result is list `i` of `self`
    /// followed by list `i` of `other` (`ak.concatenate([a, b], axis=1)`, e.g. muons then
    /// electrons as "light leptons").
    ///
    /// ```swift
    /// JaggedArray([[1], [2]]).concatenated(with: JaggedArray([[9], []]))   // [[1, 9], [2]]
    /// ```
    @inlinable
    public func concatenated(with other: JaggedArray<Element>) -> JaggedArray<Element> {
        precondition(other.count == count, "concatenated(with:): \(other.count) lists vs \(count)")
        var newOffsets = [Int](repeating: 0, count: count + 1)
        var out = [Element]()
        out.reserveCapacity(values.count + other.values.count)
        for l in 0..<count {
            out.append(contentsOf: self[l])
            out.append(contentsOf: other[l])
            newOffsets[l + 1] = out.count
        }
        return JaggedArray(uncheckedOffsets: newOffsets, values: out)
    }

    /// Keeps the first `n` elements of each list (fewer if the list is shorter), e.g. the
    /// two leading jets after sorting (`a[:, :n]`).
    ///
    /// ```swift
    /// JaggedArray([[1, 2, 3], [4]]).prefix(2)   // [[1, 2], [4]]
    /// ```
    @inlinable
    public func prefix(_ n: Int) -> JaggedArray<Element> {
        var newOffsets = [Int](repeating: 0, count: count + 1)
        var out = [Element]()
        for l in 0..<count {
            out.append(contentsOf: self[l].prefix(n))
            newOffsets[l + 1] = out.count
        }
        return JaggedArray(uncheckedOffsets: newOffsets, values: out)
    }
}

extension JaggedArray {
    /// Replaces `nil` by `value` (`ak.fill_none`).
    ///
    /// ```swift
    /// jetPt.take(eleJetIdx).filled(with: -1)   // [[30.0, -1.0], []]
    /// ```
    @inlinable
    public func filled<W>(with value: W) -> JaggedArray<W> where Element == W? {
        map { $0 ?? value }
    }

    /// Drops the `nil` elements from each list (`ak.drop_none`).
    ///
    /// ```swift
    /// JaggedArray<Int?>([[1, nil], [nil]]).droppingNone()   // [[1], []]
    /// ```
    @inlinable
    public func droppingNone<W>() -> JaggedArray<W> where Element == W? {
        var newOffsets = [Int](repeating: 0, count: count + 1)
        var out = [W]()
        out.reserveCapacity(values.count)
        for l in 0..<count {
            for v in self[l] { if let v { out.append(v) } }
            newOffsets[l + 1] = out.count
        }
        return JaggedArray<W>(uncheckedOffsets: newOffsets, values: out)
    }
}

extension Array {
    /// Replaces `nil` by `value` in a per-list result (`ak.fill_none`).
    ///
    /// ```swift
    /// JaggedArray([[1.0], []]).max().filled(with: 0)   // [1.0, 0.0]
    /// ```
    @inlinable
    public func filled<W>(with value: W) -> [W] where Element == W? { map { $0 ?? value } }
}
