import CKaonHist

extension RegularAxis {
    /// A regular axis' bin rule prepared for hot loops that fill one value at a time: the
    /// index of ``RegularAxis/index(_:)`` (boost-histogram's, division included) by a
    /// multiplication and a few integer operations, with a proof per value that the bin is the
    /// same; the rare values it cannot prove (within a few ulps of an edge) are divided. See
    /// `CKaonHist/regular_grid_index.h` for the argument. Axes where the multiply-based rule
    /// does not apply (over 2^47 bins, or a width whose inverse is not a normal number) divide.
    ///
    /// ```swift
    /// let indexer = RegularAxis(bins: 100, lower: 0, upper: 200).indexer
    /// indexer.index(37.5)   // 18, as axis.index(37.5)
    /// ```
    public struct Indexer: Sendable {
        @usableFromInline let axis: kaon_regular_axis
        @usableFromInline let multiplies: Bool

        @usableFromInline
        init(_ axis: kaon_regular_axis) {
            self.axis = axis
            multiplies = axis.grid_bits > 0
        }

        /// The bin index of `x`: -1 below the axis, `size` above it (and NaN), as
        /// ``RegularAxis/index(_:)``.
        @inlinable @inline(__always)
        public func index(_ x: Double) -> Int {
            withUnsafePointer(to: axis) { a in
                Int(multiplies ? kaon_regular_grid_index1(x, a) : kaon_regular_bin_index(x, a.pointee))
            }
        }
    }

    /// This axis' ``Indexer`` (make it once, outside the loop).
    public var indexer: Indexer { Indexer(kernelAxis) }
}

extension kaon_regular_axis: @unchecked @retroactive Sendable {}
