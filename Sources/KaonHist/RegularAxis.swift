/// Equal-width bins over `[lower, upper)`, as boost-histogram's `axis.Regular`.
///
/// The bin of `x` is computed exactly as boost-histogram does, so that values on or next
/// to an edge land in the same bin bit-for-bit: `z = (x - lower) / (upper - lower)`, then
/// `Int(z * bins)` for `0 <= z < 1`; `z < 0` is underflow, everything else (including NaN
/// and the upper edge itself) is overflow. Without an overflow bin the upper edge is
/// inclusive (it falls into the last bin), like boost-histogram.
///
/// ```swift
/// var axis = RegularAxis(bins: 4, lower: 0, upper: 1)
/// axis.index(0.25)       // 1 – a lower edge belongs to its bin
/// axis.index(.nan)       // 4 – overflow
/// axis.edges             // [0, 0.25, 0.5, 0.75, 1]
/// ```
public struct RegularAxis: RealAxis {
    /// Lower edge of the first bin.
    public private(set) var lower: Double
    /// `upper - lower`; kept instead of `upper` because the index formula divides by it.
    @usableFromInline internal var delta: Double
    public private(set) var size: Int
    public let traits: AxisTraits
    public var metadata: AxisMetadata

    /// Creates `bins` equal bins from `lower` to `upper`.
    ///
    /// - Parameters:
    ///   - bins: the number of bins (at least 1).
    ///   - lower: the lower edge of the first bin.
    ///   - upper: the upper edge of the last bin.
    ///   - underflow: whether the underflow bin exists (default: yes, like boost-histogram).
    ///   - overflow: whether the overflow bin exists (default: yes).
    ///   - growth: extend the axis by whole bins when a finite value falls outside it.
    ///   - metadata: the axis's name and label.
    ///
    /// ```swift
    /// let eta = RegularAxis(bins: 50, lower: -2.5, upper: 2.5, metadata: .init(name: "eta"))
    /// ```
    public init(bins: Int, lower: Double, upper: Double, underflow: Bool = true, overflow: Bool = true,
                growth: Bool = false, metadata: AxisMetadata = .init()) {
        precondition(bins > 0, "RegularAxis needs at least one bin")
        precondition(lower.isFinite && upper.isFinite && lower != upper, "RegularAxis needs finite, distinct edges")
        self.size = bins
        self.lower = lower
        self.delta = upper - lower
        self.traits = AxisTraits(underflow: underflow, overflow: overflow, growth: growth)
        self.metadata = metadata
    }

    /// `bins` equal bins from `lower` to `upper`, with flow bins, and an optional label (the
    /// short form used when booking histograms).
    ///
    /// ```swift
    /// RegularAxis(60, 60, 120, label: "m_{μμ} [GeV]")
    /// ```
    public init(_ bins: Int, _ lower: Double, _ upper: Double, label: String = "", name: String = "") {
        self.init(bins: bins, lower: lower, upper: upper, metadata: AxisMetadata(name: name, label: label))
    }

    /// Upper edge of the last bin.
    public var upper: Double { lower + delta }

    /// See the type's documentation for the exact rule. Column fills compute the same bins
    /// without dividing (see `RegularFillKernel` and `regular_grid_index.h`: a
    /// multiplication, proved per value to give this bin, divided only near edges).
    @inlinable @inline(__always)
    public func index(_ x: Double) -> Int {
        let z = (x - lower) / delta
        if z < 1 {
            // z >= 0 here means 0 <= z*size < size, so truncation is a floor.
            return z >= 0 ? Int(z * Double(size)) : -1
        }
        // Without an overflow bin boost-histogram counts the upper edge into the last bin.
        if !traits.overflow && z == 1 { return size - 1 }
        return size  // also NaN, whose comparisons are all false
    }

    /// Extends a growing axis by whole bins of the current width to include `x`.
    ///
    /// Infinite values and NaN never grow the axis (they go to the flow bins); the new
    /// lower edge and width are derived the way boost-histogram derives them, so later
    /// indices agree bit-for-bit.
    public mutating func update(_ x: Double) -> (index: Int, addedBelow: Int, addedAbove: Int) {
        guard traits.growth else { return (index(x), 0, 0) }
        let n = Double(size)
        let z = (x - lower) / delta
        if z < 1 {
            if z >= 0 { return (Int(z * n), 0, 0) }
            if z == -.infinity { return (-1, 0, 0) }
            let stop = lower + delta
            let i = Int((z * n).rounded(.down))  // negative
            lower += Double(i) * (delta / n)
            delta = stop - lower
            size -= i
            return (0, -i, 0)
        }
        if z < .infinity {
            let i = Int(z * n)
            let added = i - size + 1
            delta /= n
            delta *= Double(size + added)
            size += added
            return (i, 0, added)
        }
        return (size, 0, 0)
    }

    /// The edge at fractional bin position `i` (boost-histogram's `value`).
    @inlinable
    public func value(at i: Double) -> Double {
        let z = i / Double(size)
        if z < 0 { return -Double.infinity * delta }
        if z > 1 { return Double.infinity * delta }
        return (1 - z) * lower + z * (lower + delta)
    }

    public var edges: [Double] { (0...size).map { value(at: Double($0)) } }

    /// A copy keeping bins `begin..<end` merged by `merge`, as boost's reduce constructor.
    public func reduced(begin: Int, end: Int, merge: Int) -> RegularAxis {
        RegularAxis(bins: (end - begin) / merge, lower: value(at: Double(begin)), upper: value(at: Double(end)),
                    underflow: traits.underflow, overflow: traits.overflow, growth: traits.growth, metadata: metadata)
    }
}
