import KaonHist

/// A one-dimensional count histogram on a `KaonHist.RegularAxis` with under- and
/// overflow, filled one value at a time: the hot-loop form of a `Histogram<Int64Storage>`.
///
/// The general `Histogram.fill` takes one value per axis in an array; the ADL queries fill
/// millions of single values per second, so they count into a flat array (with the axis'
/// own, boost-exact bin rule) and become a `Histogram` once at the end.
///
/// ```swift
/// var bins = RegularBins(RegularAxis(bins: 10, lower: 0, upper: 1))
/// bins.fill(0.25)
/// bins.fill(-1)                       // underflow
/// bins.histogram.values(flow: true)   // [1, 0, 0, 1, 0, …]
/// ```
public struct RegularBins: Sendable, Equatable {
    /// The axis.
    public let axis: RegularAxis
    // Its bin rule by multiplication (the same indices; see RegularAxis.Indexer).
    let indexer: RegularAxis.Indexer
    /// Counts with flow: underflow first, overflow last.
    public private(set) var counts: [Int64]

    /// Empty bins over `axis` (which must have both flow bins).
    public init(_ axis: RegularAxis) {
        precondition(axis.traits.underflow && axis.traits.overflow, "RegularBins needs both flow bins")
        self.axis = axis
        indexer = axis.indexer
        counts = Array(repeating: 0, count: axis.size + 2)
    }

    /// Bins over `axis` holding `counts` (flow included: underflow first, overflow last).
    init(_ axis: RegularAxis, counts: [Int64]) {
        self.init(axis)
        precondition(counts.count == self.counts.count, "RegularBins: \(counts.count) counts for \(self.counts.count) cells")
        self.counts = counts
    }

    /// Counts one entry of `x` (NaN goes to the overflow, like boost-histogram).
    ///
    /// ```swift
    /// bins.fill(Double(event.met.pt))
    /// ```
    @inline(__always)
    public mutating func fill(_ x: Double) {
        // The index is within 0...size + 1 by the axis' rule: no bounds check needed.
        let index = indexer.index(x) &+ 1
        counts.withUnsafeMutableBufferPointer { $0[index] &+= 1 }
    }

    /// Counts one entry of a value known only to lie within `bound` of `x`: when both ends of
    /// that interval fall in the same bin, so does the value (the bin index is monotonic in
    /// it), and that bin is counted; otherwise `exactly()` gives the value.
    ///
    /// ```swift
    /// bins.fill(approximatePt, within: 1e-9) { exactPt() }
    /// ```
    @inline(__always)
    public mutating func fill(_ x: Double, within bound: Double, exactly: () -> Double) {
        let index = indexer.index(x - bound)
        if index == indexer.index(x + bound) {
            counts.withUnsafeMutableBufferPointer { $0[index &+ 1] &+= 1 }
        } else {
            fill(exactly())
        }
    }

    /// Equal axes and equal counts.
    public static func == (a: RegularBins, b: RegularBins) -> Bool { a.axis == b.axis && a.counts == b.counts }

    /// Adds the counts of `other`, which must have the same axis.
    ///
    /// ```swift
    /// total.add(block)   // merging two blocks' counts
    /// ```
    public mutating func add(_ other: RegularBins) {
        precondition(axis == other.axis, "RegularBins: adding bins over a different axis")
        for i in counts.indices { counts[i] &+= other.counts[i] }
    }

    /// The counts as a KaonHist histogram (named after the axis).
    ///
    /// ```swift
    /// let text = bins.histogram.uhiJSON.text
    /// ```
    public var histogram: Histogram<Int64Storage> {
        // The cell count matches by construction, so this cannot throw.
        try! Histogram(axes: [axis.erased], bins: counts, metadata: .init(name: axis.metadata.name, label: axis.metadata.label))
    }
}
