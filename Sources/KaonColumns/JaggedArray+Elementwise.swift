/// The element-wise kernels everything else is built on: combining two jagged arrays of the
/// same structure, and broadcasting one value per list over that list's elements.
extension JaggedArray {
    /// Combines two jagged arrays with identical list lengths, element by element
    /// (awkward's broadcasting of two arrays of the same structure).
    ///
    /// ```swift
    /// let px = pt.zipMap(phi) { p, f in Double(p) * cos(Double(f)) }
    /// ```
    /// - Precondition: `other` has the same offsets (a structure mismatch is a programming
    ///   error in columnar code, as in awkward where it raises).
    @inlinable
    public func zipMap<U, R>(_ other: JaggedArray<U>, _ combine: (Element, U) -> R) -> JaggedArray<R> {
        precondition(offsets == other.offsets, "JaggedArray: cannot combine arrays with different list lengths")
        let n = values.count
        let out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { a in
                other.values.withUnsafeBufferPointer { b in
                    for i in 0..<n { (buffer.baseAddress! + i).initialize(to: combine(a[i], b[i])) }
                }
            }
            initialized = n
        }
        return JaggedArray<R>(uncheckedOffsets: offsets, values: out)
    }

    /// Combines every element of list `i` with `perList[i]` (awkward broadcasting a flat,
    /// one-per-event array such as `MET_phi` against a jagged one).
    ///
    /// ```swift
    /// let dphi = jetPhi.broadcastMap(metPhi) { j, m in j - m }
    /// ```
    @inlinable
    public func broadcastMap<U, R>(_ perList: [U], _ combine: (Element, U) -> R) -> JaggedArray<R> {
        precondition(perList.count == count, "JaggedArray: \(perList.count) per-list values for \(count) lists")
        let n = values.count
        let lists = count
        let out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { a in
                offsets.withUnsafeBufferPointer { o in
                    perList.withUnsafeBufferPointer { b in
                        for l in 0..<lists {
                            let v = b[l]
                            for i in o[l]..<o[l + 1] { (buffer.baseAddress! + i).initialize(to: combine(a[i], v)) }
                        }
                    }
                }
            }
            initialized = n
        }
        return JaggedArray<R>(uncheckedOffsets: offsets, values: out)
    }

    /// Repeats one value per list once for each element of that list: the broadcast of a
    /// flat column to this structure (`ak.broadcast_arrays(met, jets.pt)[0]`).
    ///
    /// ```swift
    /// JaggedArray([[1, 2], [], [3]]).broadcast([7, 8, 9])   // [[7, 7], [], [9]]
    /// ```
    @inlinable
    public func broadcast<U>(_ perList: [U]) -> JaggedArray<U> {
        broadcastMap(perList) { _, v in v }
    }
}

// MARK: - Arithmetic operators

extension JaggedArray where Element: Numeric {
    /// Element-wise sum of two arrays of the same structure.
    /// ```swift
    /// JaggedArray([[1, 2], [3]]) + JaggedArray([[10, 20], [30]])   // [[11, 22], [33]]
    /// ```
    @inlinable public static func + (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs, +) }
    /// Element-wise difference of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[5, 7]]) - JaggedArray([[1, 2]])   // [[4, 5]]
    /// ```
    @inlinable public static func - (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs, -) }
    /// Element-wise product of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[2, 3]]) * JaggedArray([[4, 5]])   // [[8, 15]]
    /// ```
    @inlinable public static func * (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs, *) }

    /// Adds a scalar to every element: `JaggedArray([[1], [2, 3]]) + 1 == [[2], [3, 4]]`.
    ///
    /// ```swift
    /// JaggedArray([[1], [2, 3]]) + 1   // [[2], [3, 4]]
    /// ```
    @inlinable public static func + (lhs: Self, rhs: Element) -> Self { lhs.map { $0 + rhs } }
    /// Subtracts a scalar from every element.
    ///
    /// ```swift
    /// JaggedArray([[1.0, 3.0]]) - 1   // [[0.0, 2.0]]
    /// ```
    @inlinable public static func - (lhs: Self, rhs: Element) -> Self { lhs.map { $0 - rhs } }
    /// Multiplies every element by a scalar: `pt * 0.001` (MeV → GeV).
    ///
    /// ```swift
    /// JaggedArray([[1500.0]]) * 0.001   // [[1.5]]
    /// ```
    @inlinable public static func * (lhs: Self, rhs: Element) -> Self { lhs.map { $0 * rhs } }
    /// Adds every element to a scalar.
    ///
    /// ```swift
    /// 1 + JaggedArray([[1, 2]])   // [[2, 3]]
    /// ```
    @inlinable public static func + (lhs: Element, rhs: Self) -> Self { rhs.map { lhs + $0 } }
    /// Subtracts every element from a scalar.
    ///
    /// ```swift
    /// 10 - JaggedArray([[1, 2]])   // [[9, 8]]
    /// ```
    @inlinable public static func - (lhs: Element, rhs: Self) -> Self { rhs.map { lhs - $0 } }
    /// Multiplies a scalar by every element.
    ///
    /// ```swift
    /// 2 * JaggedArray([[1, 2]])   // [[2, 4]]
    /// ```
    @inlinable public static func * (lhs: Element, rhs: Self) -> Self { rhs.map { lhs * $0 } }

    /// Adds `perList[i]` to every element of list `i` (flat per-event broadcast).
    /// ```swift
    /// JaggedArray([[1, 2], [3]]) + [10, 20]   // [[11, 12], [23]]
    /// ```
    @inlinable public static func + (lhs: Self, rhs: [Element]) -> Self { lhs.broadcastMap(rhs, +) }
    /// Subtracts `perList[i]` from every element of list `i`.
    ///
    /// ```swift
    /// JaggedArray([[1.0, 2.0], [3.0]]) - [1.0, 1.0]   // [[0.0, 1.0], [2.0]]
    /// ```
    @inlinable public static func - (lhs: Self, rhs: [Element]) -> Self { lhs.broadcastMap(rhs, -) }
    /// Multiplies every element of list `i` by `perList[i]`.
    ///
    /// ```swift
    /// JaggedArray([[1.0, 2.0], [3.0]]) * [10.0, 2.0]   // [[10.0, 20.0], [6.0]]
    /// ```
    @inlinable public static func * (lhs: Self, rhs: [Element]) -> Self { lhs.broadcastMap(rhs, *) }
}

extension JaggedArray where Element: SignedNumeric {
    /// Element-wise negation.
    ///
    /// ```swift
    /// -JaggedArray([[1, -2]])   // [[-1, 2]]
    /// ```
    @inlinable public static prefix func - (operand: Self) -> Self { operand.map { -$0 } }
}

extension JaggedArray where Element: FloatingPoint {
    /// Element-wise quotient of two arrays of the same structure (IEEE: x/0 = ±inf or NaN,
    /// as numpy/awkward for floats).
    ///
    /// ```swift
    /// JaggedArray([[1.0, 4.0]]) / JaggedArray([[2.0, 0.0]])   // [[0.5, inf]]
    /// ```
    @inlinable public static func / (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs, /) }
    /// Divides every element by a scalar.
    ///
    /// ```swift
    /// JaggedArray([[3.0]]) / 2   // [[1.5]]
    /// ```
    @inlinable public static func / (lhs: Self, rhs: Element) -> Self { lhs.map { $0 / rhs } }
    /// Divides a scalar by every element.
    ///
    /// ```swift
    /// 1 / JaggedArray([[4.0]])   // [[0.25]]
    /// ```
    @inlinable public static func / (lhs: Element, rhs: Self) -> Self { rhs.map { lhs / $0 } }
    /// Divides every element of list `i` by `perList[i]`.
    ///
    /// ```swift
    /// JaggedArray([[2.0, 4.0], [9.0]]) / [2.0, 3.0]   // [[1.0, 2.0], [3.0]]
    /// ```
    @inlinable public static func / (lhs: Self, rhs: [Element]) -> Self { lhs.broadcastMap(rhs, /) }
}

extension JaggedArray where Element: BinaryInteger {
    /// Converts integer elements to a floating-point type (awkward's `ak.values_astype`).
    /// ```swift
    /// JaggedArray([[1, 2]]).converted(to: Double.self)   // [[1.0, 2.0]]
    /// ```
    @inlinable public func converted<F: BinaryFloatingPoint>(to _: F.Type) -> JaggedArray<F> { map { F($0) } }
}

extension JaggedArray where Element: BinaryFloatingPoint {
    /// Converts to another floating-point type (e.g. Float columns to Double for precision).
    /// ```swift
    /// pt.converted(to: Double.self)
    /// ```
    @inlinable public func converted<F: BinaryFloatingPoint>(to _: F.Type) -> JaggedArray<F> { map { F($0) } }
}
