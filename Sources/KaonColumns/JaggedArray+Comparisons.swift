// Comparisons produce boolean masks with the same structure, for use with `jagged[mask]`
// and the any/all/count reductions.
//
// They use the pointwise spellings `.<`, `.==`, … (as Swift's SIMD types do) rather than
// overloading `<`: a `JaggedArray` is not itself `Comparable`, and keeping the Boolean
// operators unambiguous keeps type-checking of long cut expressions fast.

extension JaggedArray where Element: Comparable {
    /// Mask of elements less than `rhs`: `pt .< 20`.
    ///
    /// ```swift
    /// JaggedArray([[10.0, 30.0], []]) .< 20   // [[true, false], []]
    /// ```
    @inlinable public static func .< (lhs: Self, rhs: Element) -> JaggedArray<Bool> { lhs.map { $0 < rhs } }
    /// Mask of elements less than or equal to `rhs`.
    ///
    /// ```swift
    /// JaggedArray([[10.0, 20.0]]) .<= 20   // [[true, true]]
    /// ```
    @inlinable public static func .<= (lhs: Self, rhs: Element) -> JaggedArray<Bool> { lhs.map { $0 <= rhs } }
    /// Mask of elements greater than `rhs`.
    /// ```swift
    /// let good = jetPt .> 30          // [[true, false], []]
    /// let goodJets = jetPt[good]
    /// ```
    @inlinable public static func .> (lhs: Self, rhs: Element) -> JaggedArray<Bool> { lhs.map { $0 > rhs } }
    /// Mask of elements greater than or equal to `rhs`.
    ///
    /// ```swift
    /// JaggedArray([[10.0, 20.0]]) .>= 20   // [[false, true]]
    /// ```
    @inlinable public static func .>= (lhs: Self, rhs: Element) -> JaggedArray<Bool> { lhs.map { $0 >= rhs } }

    /// Element-wise `<` of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[1, 5]]) .< JaggedArray([[2, 2]])   // [[true, false]]
    /// ```
    @inlinable public static func .< (lhs: Self, rhs: Self) -> JaggedArray<Bool> { lhs.zipMap(rhs, <) }
    /// Element-wise `<=` of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[2, 5]]) .<= JaggedArray([[2, 2]])   // [[true, false]]
    /// ```
    @inlinable public static func .<= (lhs: Self, rhs: Self) -> JaggedArray<Bool> { lhs.zipMap(rhs, <=) }
    /// Element-wise `>` of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[1, 5]]) .> JaggedArray([[2, 2]])   // [[false, true]]
    /// ```
    @inlinable public static func .> (lhs: Self, rhs: Self) -> JaggedArray<Bool> { lhs.zipMap(rhs, >) }
    /// Element-wise `>=` of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[2, 5]]) .>= JaggedArray([[2, 9]])   // [[true, false]]
    /// ```
    @inlinable public static func .>= (lhs: Self, rhs: Self) -> JaggedArray<Bool> { lhs.zipMap(rhs, >=) }

    /// Compares each element of list `i` with `perList[i]`: `jetPt .> metPt`.
    ///
    /// ```swift
    /// JaggedArray([[1.0, 5.0], [3.0]]) .< [2.0, 4.0]   // [[true, false], [true]]
    /// ```
    @inlinable public static func .< (lhs: Self, rhs: [Element]) -> JaggedArray<Bool> { lhs.broadcastMap(rhs, <) }
    /// Compares each element of list `i` with `perList[i]`.
    ///
    /// ```swift
    /// JaggedArray([[1.0, 5.0], [3.0]]) .> [2.0, 4.0]   // [[false, true], [false]]
    /// ```
    @inlinable public static func .> (lhs: Self, rhs: [Element]) -> JaggedArray<Bool> { lhs.broadcastMap(rhs, >) }
}

extension JaggedArray where Element: Equatable {
    /// Mask of elements equal to `rhs`: `abs(pdgId) .== 13`.
    ///
    /// ```swift
    /// JaggedArray<Int32>([[13, -11]]) .== 13   // [[true, false]]
    /// ```
    @inlinable public static func .== (lhs: Self, rhs: Element) -> JaggedArray<Bool> { lhs.map { $0 == rhs } }
    /// Mask of elements different from `rhs`.
    ///
    /// ```swift
    /// JaggedArray<Int32>([[-1, 2]]) .!= -1   // [[false, true]]
    /// ```
    @inlinable public static func .!= (lhs: Self, rhs: Element) -> JaggedArray<Bool> { lhs.map { $0 != rhs } }
    /// Element-wise equality of two arrays of the same structure.
    ///
    /// ```swift
    /// JaggedArray([[1, 2]]) .== JaggedArray([[1, 3]])   // [[true, false]]
    /// ```
    @inlinable public static func .== (lhs: Self, rhs: Self) -> JaggedArray<Bool> { lhs.zipMap(rhs, ==) }
    /// Element-wise inequality of two arrays of the same structure (e.g. opposite charges).
    ///
    /// ```swift
    /// q1 .!= q2   // opposite-charge pairs, q1/q2 from JaggedTuples.values(slot:of:)
    /// ```
    @inlinable public static func .!= (lhs: Self, rhs: Self) -> JaggedArray<Bool> { lhs.zipMap(rhs, !=) }
}

extension JaggedArray where Element == Bool {
    /// Element-wise AND of two masks: `(pt .> 20) .& (abs(eta) .< 2.4)`.
    ///
    /// ```swift
    /// (pt .> 20) .& (abs(eta) .< 2.4)
    /// ```
    @inlinable public static func .& (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs) { $0 && $1 } }
    /// Element-wise OR of two masks.
    ///
    /// ```swift
    /// JaggedArray([[true, false]]) .| JaggedArray([[false, false]])   // [[true, false]]
    /// ```
    @inlinable public static func .| (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs) { $0 || $1 } }
    /// Element-wise XOR of two masks.
    ///
    /// ```swift
    /// JaggedArray([[true, true]]) .^ JaggedArray([[false, true]])   // [[true, false]]
    /// ```
    @inlinable public static func .^ (lhs: Self, rhs: Self) -> Self { lhs.zipMap(rhs) { $0 != $1 } }
    /// Element-wise NOT of a mask (awkward's `~mask`).
    ///
    /// ```swift
    /// .!JaggedArray([[true, false]])   // [[false, true]]
    /// ```
    @inlinable public static prefix func .! (operand: Self) -> Self { operand.map { !$0 } }
}
