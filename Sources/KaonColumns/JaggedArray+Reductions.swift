// Per-list reductions (awkward's `axis=1` reducers). Empty lists follow awkward: sum → 0,
// product → 1, any → false, all → true, count → 0, mean → NaN, and min/max/argmin/argmax →
// none (`nil`).

extension JaggedArray {
    /// Folds every list into one value with a running accumulator. The building block of
    /// the reducers; `initial` is the identity returned for an empty list.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], []]).reduce(0, +)   // [3, 0]
    /// ```
    @inlinable
    public func reduce<R>(_ initial: R, _ combine: (R, Element) -> R) -> [R] {
        let lists = count
        return [R](unsafeUninitializedCapacity: lists) { out, initialized in
            values.withUnsafeBufferPointer { v in
                offsets.withUnsafeBufferPointer { o in
                    for l in 0..<lists {
                        var acc = initial
                        for i in o[l]..<o[l + 1] { acc = combine(acc, v[i]) }
                        (out.baseAddress! + l).initialize(to: acc)
                    }
                }
            }
            initialized = lists
        }
    }

    /// The local index of the "best" element of each list: the first element, replaced by a
    /// later one only when `isBetter(candidate, best)` holds. Ties therefore go to the first
    /// occurrence, as awkward and numpy do.
    ///
    /// ```swift
    /// JaggedArray([[3, 9, 9]]).argBest(>)   // [Optional(1)]
    /// ```
    @inlinable
    public func argBest(_ isBetter: (Element, Element) -> Bool) -> [Int?] {
        let lists = count
        return [Int?](unsafeUninitializedCapacity: lists) { out, initialized in
            values.withUnsafeBufferPointer { v in
                offsets.withUnsafeBufferPointer { o in
                    for l in 0..<lists {
                        let start = o[l], end = o[l + 1]
                        guard start < end else { (out.baseAddress! + l).initialize(to: nil); continue }
                        var best = start
                        for i in (start + 1)..<end where isBetter(v[i], v[best]) { best = i }
                        (out.baseAddress! + l).initialize(to: best - start)
                    }
                }
            }
            initialized = lists
        }
    }
}

extension JaggedArray where Element: FloatingPoint {
    /// Sum of each list in the element type, accumulated left to right (as awkward does for
    /// float32/float64); 0 for an empty list.
    ///
    /// ```swift
    /// JaggedArray([[1.0, 2.5], []]).sum()   // [3.5, 0.0]
    /// ```
    @inlinable public func sum() -> [Element] { reduce(0, +) }

    /// Product of each list; 1 for an empty list.
    ///
    /// ```swift
    /// JaggedArray([[2.0, 3.0], []]).product()   // [6.0, 1.0]
    /// ```
    @inlinable public func product() -> [Element] { reduce(1, *) }

    /// Smallest element of each list, `nil` for an empty list. NaNs are skipped, as awkward
    /// does (a list of only NaNs gives +infinity, also as awkward).
    ///
    /// ```swift
    /// JaggedArray([[3.0, 1.0], []]).min()   // [Optional(1.0), nil]
    /// ```
    @inlinable
    public func min() -> [Element?] {
        var out = reduce(Element.infinity) { $1 < $0 ? $1 : $0 }.map(Optional.some)
        for l in 0..<count where offsets[l] == offsets[l + 1] { out[l] = nil }
        return out
    }

    /// Largest element of each list, `nil` for an empty list (NaNs skipped; only NaNs →
    /// -infinity, as awkward).
    ///
    /// ```swift
    /// JaggedArray([[3.0, 1.0], []]).max()   // [Optional(3.0), nil]
    /// ```
    @inlinable
    public func max() -> [Element?] {
        var out = reduce(-Element.infinity) { $1 > $0 ? $1 : $0 }.map(Optional.some)
        for l in 0..<count where offsets[l] == offsets[l + 1] { out[l] = nil }
        return out
    }

    /// Mean of each list in double precision; NaN for an empty list (0/0, as `ak.mean`).
    ///
    /// ```swift
    /// JaggedArray([[1.0, 2.0], []]).mean()   // [1.5, nan]
    /// ```
    @inlinable
    public func mean() -> [Double] where Element: BinaryFloatingPoint {
        let sums = reduce(0.0) { $0 + Double($1) }
        return (0..<count).map { sums[$0] / Double(offsets[$0 + 1] - offsets[$0]) }
    }
}

extension JaggedArray where Element: BinaryInteger {
    /// Sum of each list as `Int` (awkward widens integer sums to 64 bits); 0 when empty.
    ///
    /// ```swift
    /// JaggedArray<Int32>([[1, 2], []]).sum()   // [3, 0]
    /// ```
    @inlinable public func sum() -> [Int] { reduce(0) { $0 + Int($1) } }

    /// Product of each list as `Int`; 1 when empty.
    ///
    /// ```swift
    /// JaggedArray<Int32>([[2, 3], []]).product()   // [6, 1]
    /// ```
    @inlinable public func product() -> [Int] { reduce(1) { $0 * Int($1) } }

    /// Mean of each list; NaN for an empty list.
    ///
    /// ```swift
    /// JaggedArray<Int32>([[1, 2], []]).mean()   // [1.5, nan]
    /// ```
    @inlinable
    public func mean() -> [Double] {
        let sums = reduce(0.0) { $0 + Double($1) }
        return (0..<count).map { sums[$0] / Double(offsets[$0 + 1] - offsets[$0]) }
    }
}

extension JaggedArray where Element: Comparable {
    /// Smallest element of each list, `nil` when empty. (Floating-point arrays use the
    /// NaN-skipping overload.)
    ///
    /// ```swift
    /// JaggedArray([[3, 1], []]).min()   // [Optional(1), nil]
    /// ```
    @inlinable
    public func min() -> [Element?] { argBest(<).enumerated().map { l, k in k.map { values[offsets[l] + $0] } } }

    /// Largest element of each list, `nil` when empty.
    ///
    /// ```swift
    /// JaggedArray([[3, 1], []]).max()   // [Optional(3), nil]
    /// ```
    @inlinable
    public func max() -> [Element?] { argBest(>).enumerated().map { l, k in k.map { values[offsets[l] + $0] } } }

    /// Local index of the smallest element of each list, first one on ties, `nil` when
    /// empty (`ak.argmin(a, axis=1)`).
    ///
    /// ```swift
    /// JaggedArray([[3.0, 1.0, 1.0], []]).argmin()   // [Optional(1), nil]
    /// ```
    @inlinable public func argmin() -> [Int?] { argBest(<) }

    /// Local index of the largest element of each list, first one on ties, `nil` when empty.
    ///
    /// ```swift
    /// let leading = pt.argmax()   // index of the leading object per event
    /// ```
    @inlinable public func argmax() -> [Int?] { argBest(>) }
}

extension JaggedArray where Element == Bool {
    /// True where any element of the list is true (false for an empty list).
    ///
    /// ```swift
    /// (pt .> 40).any()   // events with at least one object above 40
    /// ```
    @inlinable public func any() -> [Bool] { reduce(false) { $0 || $1 } }

    /// True where every element of the list is true (true for an empty list).
    ///
    /// ```swift
    /// (abs(eta) .< 2.4).all()   // events whose objects are all central
    /// ```
    @inlinable public func all() -> [Bool] { reduce(true) { $0 && $1 } }

    /// Number of true elements in each list (`ak.sum(mask, axis=1)`, `ak.count_nonzero`).
    ///
    /// ```swift
    /// (jetPt .> 40).countTrue()   // jets above 40 per event
    /// ```
    @inlinable public func countTrue() -> [Int] { reduce(0) { $0 + ($1 ? 1 : 0) } }
}
