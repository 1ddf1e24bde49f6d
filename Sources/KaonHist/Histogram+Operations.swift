import KaonIO

/// A position on an axis for slicing and selection, as UHI's `bh.loc(x)` and plain indices.
///
/// ```swift
/// let sub = try h.slice(axis: 0, from: .loc(2.5), to: .loc(6.0))   // h[bh.loc(2.5):bh.loc(6.0)]
/// let cat = try h.selecting(axis: 1, .loc("ttbar"))                 // h[:, bh.loc("ttbar")]
/// ```
public enum BinLocator: Sendable, Hashable {
    /// A bin index (boost convention).
    case index(Int)
    /// The bin containing a value (`bh.loc(value)`).
    case loc(AxisValue)
    /// The bin containing a value, shifted by some bins (`bh.loc(value) + offset`).
    case locOffset(AxisValue, Int)

    func resolve(on axis: AnyAxis) throws -> Int {
        switch self {
        case .index(let i): return i
        case .loc(let v), .locOffset(let v, _):
            guard let i = axis.index(v) else { throw KaonError(.usage, "value \(v) does not fit the \(axis.kindName) axis") }
            if case .locOffset(_, let d) = self { return i + d }
            return i
        }
    }
}

extension Histogram {
    // MARK: Arithmetic

    /// The cell-wise sum of two histograms with the same binning (metadata may differ; the
    /// left operand's is kept). Throws when the binnings differ, like boost-histogram.
    ///
    /// ```swift
    /// let total = try h1.adding(h2)
    /// ```
    public func adding(_ other: Histogram) throws -> Histogram {
        guard axes.count == other.axes.count, zip(axes, other.axes).allSatisfy({ $0.sameBinning($1) }) else {
            throw KaonError(.usage, "cannot add histograms with different axes")
        }
        var h = self
        h.addCells(other)
        h.varianceIsKnown = false  // as boost-histogram after any in-place operation
        return h
    }

    /// `lhs + rhs`; traps on different binnings (use ``adding(_:)`` to get an error instead).
    public static func + (lhs: Histogram, rhs: Histogram) -> Histogram {
        do { return try lhs.adding(rhs) } catch { preconditionFailure("\(error)") }
    }

    /// `lhs += rhs`; traps on different binnings.
    public static func += (lhs: inout Histogram, rhs: Histogram) { lhs = lhs + rhs }

    /// Every cell multiplied by `factor` (boost-histogram's `h * factor`; for weighted
    /// storages the variance scales with `factor²`).
    ///
    /// ```swift
    /// let lumiScaled = h.scaled(by: 0.37)
    /// ```
    public func scaled(by factor: Double) -> Histogram {
        var h = self
        h.cells.withUnsafeMutableBufferPointer { b in
            for i in 0..<b.count { S.scale(&b[i], by: factor) }
        }
        h.varianceIsKnown = false
        return h
    }

    /// `h * factor`.
    public static func * (h: Histogram, factor: Double) -> Histogram { h.scaled(by: factor) }

    // MARK: Views

    /// The number of bins along each axis, with or without flow bins.
    public func shape(flow: Bool = false) -> [Int] { axes.map { flow ? $0.extent : $0.size } }

    /// The cells with or without flow bins, row-major.
    public func cells(flow: Bool) -> [S.Bin] {
        if flow { return bins }
        var out: [S.Bin] = []
        out.reserveCapacity(shape().reduce(1, *))
        forEachCell(flow: false) { _, o in out.append(cells[o]) }
        return out
    }

    /// Calls `body(indices, offset)` for each cell in row-major order (indices in boost convention).
    public func forEachCell(flow: Bool, _ body: ([Int], Int) -> Void) {
        let lo = axes.map { flow ? -$0.flowShift : 0 }
        let hi = axes.map { flow ? $0.size + ($0.traits.overflow ? 1 : 0) : $0.size }
        if zip(lo, hi).contains(where: { $0 >= $1 }) { return }
        var idx = lo
        while true {
            body(idx, cellOffset(idx))
            if !advanceRowMajor(&idx, lower: lo, upper: hi) { return }
        }
    }

    /// Bin values (row-major), as hist's `values()`: counts, sums of weights or means.
    public func values(flow: Bool = false) -> [Double] { cells(flow: flow).map(S.value) }

    /// Variances as hist's `variances()`: the counts for plain counts, the sum of squared
    /// weights for `WeightStorage`, the variance of the mean for profiles. `nil` for a
    /// counting storage once weights, scaling or addition made them unknown (boost-histogram
    /// returns `None` then).
    public func variances(flow: Bool = false) -> [Double]? {
        if S.variancesFromValues && !varianceKnown { return nil }
        return cells(flow: flow).map(S.variance)
    }

    /// Entries per bin as hist's `counts()` (effective counts for weighted profiles).
    public func counts(flow: Bool = false) -> [Double] { cells(flow: flow).map(S.count) }

    /// The sum of all cells, with or without flow bins (boost-histogram's `sum(flow=)`).
    ///
    /// ```swift
    /// h.sum()            // in range
    /// h.sum(flow: true)  // everything filled
    /// ```
    public func sum(flow: Bool = false) -> S.Bin {
        var total = S.zero
        if flow {
            for c in bins { S.add(&total, c) }
        } else {
            forEachCell(flow: false) { _, o in S.add(&total, cells[o]) }
        }
        return total
    }

    /// Values divided by the total (without flow) and by each bin's volume, as hist's
    /// `density()`: the result integrates to one over the axes' range.
    public func density() -> [Double] {
        let total = S.value(sum())
        let widths = axes.map(\.widths)
        var out: [Double] = []
        forEachCell(flow: false) { idx, o in
            var volume = 1.0
            for k in axes.indices { volume *= widths[k][idx[k]] }
            out.append(total != 0 ? S.value(cells[o]) / total / volume : 0)
        }
        return out
    }

    // MARK: Reductions

    /// Moves every cell into a new histogram: `maps[k][c]` is the new storage coordinate
    /// of old coordinate `c` along axis `k` (nil: dropped); axes not in `keep` are summed.
    /// With `copy`, each new cell receives exactly one old cell and takes it as is (no
    /// accumulator arithmetic), as boost-histogram's single-bin pick does.
    func reduce(newAxes: [AnyAxis], keep: [Int], maps: [[Int?]], copy: Bool = false) -> Histogram {
        var h = Histogram(axes: newAxes, metadata: metadata)
        h.varianceIsKnown = varianceIsKnown
        let extents = axes.map(\.extent)
        var idx = Array(repeating: 0, count: axes.count)
        for o in 0..<cells.count {
            var n = 0
            var kept = true
            for k in axes.indices {
                guard let c = maps[k][idx[k]] else { kept = false; break }
                if let pos = keep.firstIndex(of: k) { n += c * h.strides[pos] }
            }
            if kept {
                if copy { h.cells[n] = cells[o] } else { S.add(&h.cells[n], cells[o]) }
            }
            _ = advanceRowMajor(&idx, upper: extents)
        }
        return h
    }

    /// The histogram summed over every axis not in `keep`, flow bins included, with the
    /// kept axes in the given order (boost-histogram's `project`).
    ///
    /// ```swift
    /// let px = h2.project(0)
    /// ```
    public func project(_ keep: Int...) throws -> Histogram { try project(axes: keep) }

    /// Array form of ``project(_:)``.
    public func project(axes keep: [Int]) throws -> Histogram {
        guard Set(keep).count == keep.count, keep.allSatisfy({ axes.indices.contains($0) }), !keep.isEmpty else {
            throw KaonError(.usage, "project needs distinct axis numbers in 0..<\(axes.count), got \(keep)")
        }
        // A kept axis maps every coordinate to itself; reordering is handled by `keep`.
        let maps = axes.map { a in (0..<a.extent).map { Optional($0) } }
        let order = keep
        var h = Histogram(axes: order.map { axes[$0] }, metadata: metadata)
        h.varianceIsKnown = varianceIsKnown
        let extents = axes.map(\.extent)
        var idx = Array(repeating: 0, count: axes.count)
        for o in 0..<cells.count {
            var n = 0
            for (pos, k) in order.enumerated() { n += maps[k][idx[k]]! * h.strides[pos] }
            S.add(&h.cells[n], cells[o])
            _ = advanceRowMajor(&idx, upper: extents)
        }
        return h
    }

    /// Keeps bins `from ..< to` of one axis, optionally merging `rebin` neighbouring bins,
    /// with UHI/boost-histogram semantics: what falls outside moves into the flow bins when
    /// the axis has them (below → underflow, above → overflow; categories: all to the
    /// "other" bin), else it is dropped. Bins left over when `rebin` does not divide the
    /// range count as "above".
    ///
    /// ```swift
    /// try h.slice(axis: 0, from: .index(2), to: .index(5))        // h[2:5]
    /// try h.slice(axis: 0, from: .loc(1.0), to: nil, rebin: 2)    // h[bh.loc(1.0)::bh.rebin(2)]
    /// ```
    public func slice(axis k: Int, from: BinLocator? = nil, to: BinLocator? = nil, rebin merge: Int = 1) throws -> Histogram {
        guard axes.indices.contains(k) else { throw KaonError(.usage, "no axis \(k)") }
        guard merge >= 1 else { throw KaonError(.usage, "rebin factor must be at least 1") }
        let axis = axes[k]
        let size = axis.size
        let begin = Swift.max(0, Swift.min(size, try from?.resolve(on: axis) ?? 0))
        let end = Swift.max(begin, Swift.min(size, try to?.resolve(on: axis) ?? size))
        let newSize = (end - begin) / merge
        guard newSize > 0 else { throw KaonError(.usage, "slice \(begin)..<\(end) with rebin \(merge) leaves no bins") }
        let used = newSize * merge
        let newAxis: AnyAxis
        switch axis {
        case .regular(let a): newAxis = .regular(a.reduced(begin: begin, end: begin + used, merge: merge))
        case .variable(let a): newAxis = .variable(a.reduced(begin: begin, end: begin + used, merge: merge))
        case .integer(let a):
            guard merge == 1 else { throw KaonError(.usage, "an integer axis cannot be rebinned") }
            newAxis = .integer(a.reduced(begin: begin, end: end))
        case .intCategory(let a):
            guard merge == 1 else { throw KaonError(.usage, "a category axis cannot be rebinned") }
            newAxis = .intCategory(a.subset(Array(begin..<end)))
        case .strCategory(let a):
            guard merge == 1 else { throw KaonError(.usage, "a category axis cannot be rebinned") }
            newAxis = .strCategory(a.subset(Array(begin..<end)))
        case .boolean:
            guard merge == 1, begin == 0, end == 2 else { throw KaonError(.usage, "a boolean axis cannot be sliced") }
            newAxis = axis
        }
        let shift = axis.flowShift, newShift = newAxis.flowShift
        let under: Int? = newAxis.traits.underflow ? 0 : nil
        let over: Int? = newAxis.traits.overflow ? newShift + newSize : nil
        let ordered = axis.isContinuous || { if case .boolean = axis { return true }; return false }()
        let map: [Int?] = (0..<axis.extent).map { c in
            let i = c - shift
            if i >= begin && i < begin + used { return newShift + (i - begin) / merge }
            if !ordered { return over }
            return i < begin ? under : over
        }
        var maps = axes.map { a in (0..<a.extent).map { Optional($0) } }
        maps[k] = map
        var newAxes = axes
        newAxes[k] = newAxis
        return reduce(newAxes: newAxes, keep: Array(axes.indices), maps: maps)
    }

    /// Merges groups of `factor` bins of one axis (`h[::bh.rebin(factor)]`).
    ///
    /// ```swift
    /// let coarse = try h.rebinned(axis: 0, by: 2)
    /// ```
    public func rebinned(axis k: Int, by factor: Int) throws -> Histogram {
        try slice(axis: k, rebin: factor)
    }

    /// The histogram at one bin of an axis, with that axis removed (`h[bh.loc("mu"), :]`,
    /// `h[{"dataset": "ttbar"}]`). Works on any axis; for categories it selects by value.
    ///
    /// ```swift
    /// let muons = try h.selecting(axis: 0, .loc("mu"))
    /// ```
    public func selecting(axis k: Int, _ at: BinLocator) throws -> Histogram {
        guard axes.indices.contains(k), axes.count > 1 else {
            throw KaonError(.usage, "selecting needs an axis number of a histogram with at least two axes")
        }
        let axis = axes[k]
        let i = try at.resolve(on: axis)
        let c = i + axis.flowShift
        guard c >= 0 && c < axis.extent else { throw KaonError(.usage, "bin \(i) does not exist on axis \(k)") }
        var maps = axes.map { a in (0..<a.extent).map { Optional($0) } }
        maps[k] = (0..<axis.extent).map { $0 == c ? 0 : nil }
        var newAxes = axes
        newAxes.remove(at: k)
        return reduce(newAxes: newAxes, keep: axes.indices.filter { $0 != k }, maps: maps, copy: true)
    }

    /// Selects a category by its value on the axis called `name` (hist's `h[{"name": value}]`).
    public func selecting(_ name: String, _ value: AxisValue) throws -> Histogram {
        guard let k = axisIndex(named: name) else { throw KaonError(.notFound, "no axis named \(name)") }
        return try selecting(axis: k, .loc(value))
    }
}
