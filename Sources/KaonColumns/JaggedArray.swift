/// A column of variable-length lists ("jagged array"): one contiguous buffer of values and
/// the list boundaries as offsets.
///
/// List `i` is `values[offsets[i] ..< offsets[i + 1]]`; `offsets` has `count + 1` elements,
/// starts at 0 and never decreases. This is exactly the layout `KaonTree.Column` produces for
/// NanoAOD counted arrays (`Muon_pt[nMuon]`), so wrapping a column costs no copy: Swift
/// arrays are copy-on-write and the buffers are shared.
///
/// ```swift
/// let pt = JaggedArray(offsets: [0, 2, 2, 3], values: [Float(40), 25, 12])
/// pt.count          // 3 events
/// Array(pt[0])      // [40, 25]
/// pt.counts         // [2, 0, 1]
/// ```
///
/// ## Missing values ("none")
/// Operations that can have no answer for a list (`min()`, ``argmax()``, ``firsts()``,
/// `take(_:)` with index -1, …) return Swift `Optional`s: `[T?]` for one value per list and
/// `JaggedArray<T?>` for per-element results. Awkward's `None` maps to `nil` one to one; use
/// ``JaggedArray/filled(with:)`` or `Array.filled(with:)` to replace it (awkward's
/// `ak.fill_none`).
///
/// The element type is unconstrained so that object views (KaonNano) can hold any payload;
/// the numeric kernels are in constrained extensions.
public struct JaggedArray<Element> {
    /// List boundaries: `count + 1` non-decreasing positions into ``values``, first is 0.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).offsets   // [0, 2, 2, 3]
    /// ```
    public var offsets: [Int]
    /// Every list's elements, back to back ("flattened" content).
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).values   // [1, 2, 3]
    /// ```
    public var values: [Element]

    /// Wraps offsets and values without copying.
    ///
    /// ```swift
    /// let jets = JaggedArray(offsets: [0, 3, 3], values: [50.0, 30.0, 20.0])
    /// ```
    /// - Precondition: `offsets` is non-empty, starts at 0, is non-decreasing and ends at
    ///   `values.count` (checked in O(count); a malformed layout would make every kernel
    ///   read out of bounds, so it is rejected up front).
    @inlinable
    public init(offsets: [Int], values: [Element]) {
        precondition(Self.isValid(offsets: offsets, valueCount: values.count),
                     "JaggedArray: offsets must start at 0, be non-decreasing and end at values.count (\(values.count))")
        self.offsets = offsets
        self.values = values
    }

    /// Wraps already-validated buffers (used by kernels that build offsets themselves).
    @inlinable
    init(uncheckedOffsets offsets: [Int], values: [Element]) {
        self.offsets = offsets
        self.values = values
    }

    /// Builds the offsets from per-list lengths.
    ///
    /// ```swift
    /// let a = JaggedArray(counts: [2, 0, 1], values: [1, 2, 3])   // [[1, 2], [], [3]]
    /// ```
    @inlinable
    public init<C: Collection>(counts: C, values: [Element]) where C.Element: BinaryInteger {
        var offsets = [Int]()
        offsets.reserveCapacity(counts.count + 1)
        offsets.append(0)
        var total = 0
        for c in counts {
            total += Int(c)
            offsets.append(total)
        }
        self.init(offsets: offsets, values: values)
    }

    /// Builds a jagged array from nested Swift arrays (convenient in tests; copies).
    ///
    /// ```swift
    /// let a = JaggedArray([[1.0, 2.0], [], [3.0]])
    /// ```
    @inlinable
    public init(_ lists: [[Element]]) {
        var offsets = [0]
        offsets.reserveCapacity(lists.count + 1)
        var values = [Element]()
        values.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            values.append(contentsOf: list)
            offsets.append(values.count)
        }
        self.init(uncheckedOffsets: offsets, values: values)
    }

    @inlinable
    static func isValid(offsets: [Int], valueCount: Int) -> Bool {
        guard let first = offsets.first, first == 0, offsets.last == valueCount else { return false }
        for i in 1..<offsets.count where offsets[i] < offsets[i - 1] { return false }
        return true
    }

    /// The number of lists (events).
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).count   // 3
    /// ```
    @inlinable public var count: Int { offsets.count - 1 }

    /// The number of elements in all lists together.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).totalCount   // 3
    /// ```
    @inlinable public var totalCount: Int { values.count }

    /// Elements of list `index` (a view into ``values``, no copy; its indices are global
    /// positions in ``values``).
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [3]])[1].first   // 3
    /// ```
    @inlinable
    public subscript(index: Int) -> ArraySlice<Element> {
        values[offsets[index]..<offsets[index + 1]]
    }

    /// The range of global positions in ``values`` that list `index` occupies.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).range(of: 2)   // 2..<3
    /// ```
    @inlinable
    public func range(of index: Int) -> Range<Int> { offsets[index]..<offsets[index + 1] }

    /// Each list's length (awkward's `ak.num(a, axis=1)`).
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).counts   // [2, 0, 1]
    /// ```
    @inlinable
    public var counts: [Int] {
        let n = count
        return [Int](unsafeUninitializedCapacity: n) { out, initialized in
            offsets.withUnsafeBufferPointer { o in
                for i in 0..<n { out[i] = o[i + 1] - o[i] }
            }
            initialized = n
        }
    }

    /// The lists as nested Swift arrays (copies; for tests and printing).
    ///
    /// ```swift
    /// JaggedArray(offsets: [0, 1, 1], values: [5]).lists   // [[5], []]
    /// ```
    @inlinable
    public var lists: [[Element]] { (0..<count).map { Array(self[$0]) } }

    /// All elements in one flat array, list boundaries dropped (`ak.flatten(a, axis=1)`).
    /// Free: it is the existing buffer.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [3]]).flattened   // [1, 2, 3]
    /// ```
    @inlinable public var flattened: [Element] { values }

    /// Applies `transform` to every element, keeping the list structure.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [3]]).map { $0 * 10 }   // [[10, 20], [30]]
    /// ```
    @inlinable
    public func map<U>(_ transform: (Element) throws -> U) rethrows -> JaggedArray<U> {
        JaggedArray<U>(uncheckedOffsets: offsets, values: try values.map(transform))
    }

    /// True when `other` has exactly the same list lengths.
    ///
    /// ```swift
    /// pt.hasSameStructure(as: eta)   // true for columns of one collection
    /// ```
    @inlinable
    public func hasSameStructure<U>(as other: JaggedArray<U>) -> Bool {
        offsets == other.offsets
    }

    /// Selects whole lists (events) with a per-list mask (awkward `a[event_mask]`).
    ///
    /// ```swift
    /// JaggedArray([[1], [2, 3], []]).selecting(events: [true, false, true])   // [[1], []]
    /// ```
    @inlinable
    public func selecting(events mask: [Bool]) -> JaggedArray<Element> {
        precondition(mask.count == count, "selecting(events:): mask has \(mask.count) entries for \(count) lists")
        var newOffsets = [0]
        newOffsets.reserveCapacity(count + 1)
        var newValues = [Element]()
        for i in 0..<count where mask[i] {
            newValues.append(contentsOf: self[i])
            newOffsets.append(newValues.count)
        }
        return JaggedArray(uncheckedOffsets: newOffsets, values: newValues)
    }
}

extension JaggedArray: Sendable where Element: Sendable {}
extension JaggedArray: Equatable where Element: Equatable {}
extension JaggedArray: Hashable where Element: Hashable {}

extension JaggedArray: CustomStringConvertible {
    /// Awkward-like rendering, e.g. `[[1.0, 2.0], [], [3.0]]`.
    ///
    /// ```swift
    /// JaggedArray([[1, 2], []]).description   // "[[1, 2], []]"
    /// ```
    public var description: String {
        "[" + (0..<count).map { "[" + self[$0].map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
}
