import KaonIO

/// Name and label of a histogram (hist's `name` and `label`), written to UHI metadata.
public struct HistogramMetadata: Sendable, Hashable {
    public var name: String
    public var label: String
    public init(name: String = "", label: String = "") {
        self.name = name
        self.label = label
    }
}

/// A histogram of any number of axes over a storage, with boost-histogram semantics.
///
/// Cells are kept in one contiguous array including flow bins, in row-major order (the
/// last axis varies fastest), which is NumPy's `h.view(flow=True)` layout and so also the
/// order of UHI JSON arrays. Indices follow boost-histogram: `-1` is an underflow bin and
/// `size` an overflow bin.
///
/// ```swift
/// var h = Histogram<DoubleStorage>(RegularAxis(bins: 10, lower: 0, upper: 1, metadata: .init(name: "x")))
/// try h.fill(column: [0.05, 0.15, 0.15, 2.0])
/// h[1]          // 2.0
/// h[10]         // 1.0 (overflow)
/// h.values()    // without flow bins
/// ```
public struct Histogram<S: Storage>: Sendable {
    /// The axes, in order.
    public internal(set) var axes: [AnyAxis]
    /// The cells; `@usableFromInline` so the inlined fill loops can write them.
    @usableFromInline internal var cells: [S.Bin]
    /// All cells including flow bins, row-major (last axis fastest).
    public var bins: [S.Bin] { cells }
    /// Distance between neighbouring cells along each axis.
    public internal(set) var strides: [Int]
    /// Name and label.
    public var metadata: HistogramMetadata
    /// Whether ``variances(flow:)`` can be inferred for a counting storage: false after a
    /// weighted fill, a scaling or an addition, exactly when boost-histogram forgets it.
    public var varianceKnown: Bool { varianceIsKnown }
    @usableFromInline internal var varianceIsKnown = true

    /// An empty histogram over `axes`.
    ///
    /// ```swift
    /// let h = Histogram<WeightStorage>(axes: [RegularAxis(bins: 4, lower: 0, upper: 1).erased, BooleanAxis().erased])
    /// ```
    public init(axes: [AnyAxis], metadata: HistogramMetadata = .init()) {
        self.axes = axes
        self.metadata = metadata
        self.strides = Self.strides(for: axes)
        self.cells = Array(repeating: S.zero, count: axes.reduce(1) { $0 * $1.extent })
    }

    /// An empty histogram over the given concrete axes.
    ///
    /// ```swift
    /// let h = Histogram<MeanStorage>(RegularAxis(bins: 20, lower: 0, upper: 100), StrCategoryAxis(categories: ["a", "b"]))
    /// ```
    public init(_ axes: any Axis..., metadata: HistogramMetadata = .init()) {
        self.init(axes: axes.map { $0.erased }, metadata: metadata)
    }

    /// An empty histogram with the same axes and metadata as `other`.
    public init<T: Storage>(emptyLike other: Histogram<T>) {
        self.init(axes: other.axes, metadata: other.metadata)
    }

    /// Builds a histogram from axes and cells (row-major, with flow); throws on a size mismatch.
    public init(axes: [AnyAxis], bins: [S.Bin], metadata: HistogramMetadata = .init()) throws {
        self.init(axes: axes, metadata: metadata)
        guard bins.count == self.bins.count else {
            throw KaonError(.malformed, "histogram needs \(self.bins.count) cells (with flow), got \(bins.count)")
        }
        self.cells = bins
    }

    static func strides(for axes: [AnyAxis]) -> [Int] {
        var strides = Array(repeating: 1, count: axes.count)
        var s = 1
        for k in axes.indices.reversed() {
            strides[k] = s
            s *= axes[k].extent
        }
        return strides
    }

    /// Number of axes.
    public var rank: Int { axes.count }

    /// The storage offset of a cell given per-axis indices in boost convention, or `nil`
    /// if some axis has no such bin.
    public func offset(_ indices: [Int]) -> Int? {
        guard indices.count == axes.count else { return nil }
        var o = 0
        for k in axes.indices {
            let j = indices[k] + axes[k].flowShift
            guard j >= 0 && j < axes[k].extent else { return nil }
            o += j * strides[k]
        }
        return o
    }

    /// The cell at per-axis indices (boost convention: -1 underflow, `size` overflow).
    ///
    /// ```swift
    /// h[-1]      // underflow of a 1D histogram
    /// h2[0, 3]   // a 2D cell
    /// ```
    public subscript(_ indices: Int...) -> S.Bin {
        get {
            guard let o = offset(indices) else { preconditionFailure("histogram index \(indices) out of range") }
            return bins[o]
        }
        set {
            guard let o = offset(indices) else { preconditionFailure("histogram index \(indices) out of range") }
            cells[o] = newValue
        }
    }

    /// The index of the axis called `name`, if any.
    public func axisIndex(named name: String) -> Int? {
        axes.firstIndex { $0.metadata.name == name }
    }

    /// Resets every cell to empty, keeping the axes.
    public mutating func reset() {
        for i in cells.indices { cells[i] = S.zero }
    }

    /// The same histogram with every cell converted by `transform` into another storage.
    ///
    /// ```swift
    /// let d = intHist.converted(to: DoubleStorage.self) { Double($0) }
    /// ```
    public func converted<T: Storage>(to: T.Type, _ transform: (S.Bin) -> T.Bin) -> Histogram<T> {
        var h = Histogram<T>(emptyLike: self)
        h.cells = cells.map(transform)
        return h
    }

    /// Grows the storage after axis `k` gained bins below/above its regular bins.
    ///
    /// Flow bins keep their place at the ends; existing cells move by `below`.
    mutating func regrow(axis k: Int, oldAxis: AnyAxis, below: Int, above: Int) {
        guard below != 0 || above != 0 else { return }
        let oldBins = bins
        let oldExtent = oldAxis.extent
        let hasUnder = oldAxis.traits.underflow, hasOver = oldAxis.traits.overflow
        strides = Self.strides(for: axes)
        cells = Array(repeating: S.zero, count: axes.reduce(1) { $0 * $1.extent })
        let newExtent = axes[k].extent
        // Walk every old cell with a multi-index counter (no per-cell allocation).
        var idx = Array(repeating: 0, count: axes.count)
        let oldExtents = axes.indices.map { $0 == k ? oldExtent : axes[$0].extent }
        for o in 0..<oldBins.count {
            var n = 0
            for a in axes.indices {
                var c = idx[a]
                if a == k {
                    if hasUnder && c == 0 { c = 0 } else if hasOver && c == oldExtent - 1 { c = newExtent - 1 } else { c += below }
                }
                n += c * strides[a]
            }
            cells[n] = oldBins[o]
            _ = advanceRowMajor(&idx, upper: oldExtents)
        }
    }
}

extension Histogram: Equatable where S.Bin: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.axes == b.axes && a.bins == b.bins && a.metadata == b.metadata
    }
}

/// Steps a multi-index to the next cell in row-major order (last axis fastest), each
/// coordinate `k` running over `lower[k]..<upper[k]` (`lower` nil: from 0). Returns false
/// after the last cell, with `idx` back at the first.
@inline(__always)
func advanceRowMajor(_ idx: inout [Int], lower: [Int]? = nil, upper: [Int]) -> Bool {
    var k = idx.count - 1
    while k >= 0 {
        idx[k] += 1
        if idx[k] < upper[k] { return true }
        idx[k] = lower?[k] ?? 0
        k -= 1
    }
    return false
}
