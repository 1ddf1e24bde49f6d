import KaonHist
import KaonIO

/// The axes of a booked histogram and the arithmetic from values to a cell offset, with the
/// same layout as ``Histogram`` (row-major, flow bins included, boost-histogram indices).
///
/// Growing axes are refused at booking: a histogram whose axes change with the data could
/// not be merged cell by cell across work items.
struct HistogramLayout: Sendable {
    let axes: [AnyAxis]
    let strides: [Int]
    let cellCount: Int
    /// The first axis when it is regular, for the 1D fast path.
    let regular: RegularAxis?

    init(axes: [AnyAxis], name: String) throws {
        guard !axes.isEmpty else { throw KaonError(.usage, "histogram '\(name)' needs at least one axis") }
        if axes.contains(where: { $0.traits.growth }) {
            throw KaonError(.usage, "histogram '\(name)': growing axes are not supported by the analysis engine (results must merge cell by cell)")
        }
        self.axes = axes
        var strides = Array(repeating: 1, count: axes.count)
        var s = 1
        for k in axes.indices.reversed() {
            strides[k] = s
            s *= axes[k].extent
        }
        self.strides = strides
        cellCount = s
        if case .regular(var axis) = axes[0] {
            // Without its names the copy the fill path makes holds no strings to retain.
            axis.metadata = AxisMetadata()
            regular = axis
        } else {
            regular = nil
        }
    }

    /// The cell position of `index` (boost convention) on axis `k`, or nil when that bin does not exist.
    @inline(__always)
    func position(_ index: Int?, axis k: Int) -> Int? {
        guard let index else { return nil }
        let j = index + axes[k].flowShift
        return j >= 0 && j < axes[k].extent ? j : nil
    }

    /// The cell of a 1D value.
    @inline(__always)
    func offset(_ x: Double) -> Int? {
        if let regular {
            let j = regular.index(x) + (regular.traits.underflow ? 1 : 0)
            return j >= 0 && j < regular.size + (regular.traits.underflow ? 1 : 0) + (regular.traits.overflow ? 1 : 0) ? j : nil
        }
        return position(axes[0].index(.double(x)), axis: 0)
    }

    /// The cell of a 2D value.
    @inline(__always)
    func offset(_ x: Double, _ y: Double) -> Int? {
        guard let i = position(axes[0].index(.double(x)), axis: 0),
              let j = position(axes[1].index(.double(y)), axis: 1) else { return nil }
        return i * strides[0] + j
    }

    /// The cell of one value per axis.
    func offset(_ values: [AxisValue]) -> Int? {
        guard values.count == axes.count else { return nil }
        var o = 0
        for k in axes.indices {
            guard let j = position(axes[k].index(values[k]), axis: k) else { return nil }
            o += j * strides[k]
        }
        return o
    }
}
