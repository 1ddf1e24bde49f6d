import CKaonHist

/// The C kernels that compute bin indices on regular axes for column fills, from the
/// reference to the fastest (see `Sources/CKaonHist/regular_grid_index.h`). Every kernel
/// gives each value boost-histogram's bin; ``best(_:_:)`` picks the fastest one this processor
/// and these axes can use, and tests run each of them against ``RegularAxis/index(_:)``.
@usableFromInline
enum RegularFillKernel: Int32, CaseIterable, Sendable {
    /// boost-histogram's formula in scalar C: one division per value.
    case scalar = 0
    /// The same formula four values at a time (AVX2 vector division).
    case avx2Division = 1
    /// Multiplication by `bins / (upper - lower)` with a proof per value that the bin is
    /// boost-histogram's (the few values it cannot prove, near edges, are divided), AVX2.
    case avx2Grid = 2
    /// The same, eight values at a time with AVX-512.
    case avx512Grid = 3

    /// The fastest kernel usable here for `a` (and `b` for 2D fills).
    @usableFromInline
    static func best(_ a: kaon_regular_axis, _ b: kaon_regular_axis? = nil) -> RegularFillKernel {
        var a = a
        let raw: Int32
        if var b { raw = kaon_regular_best_kernel(&a, &b) } else { raw = kaon_regular_best_kernel(&a, nil) }
        return RegularFillKernel(rawValue: raw) ?? .scalar
    }
}

extension RegularAxis {
    /// Writes the bin index (boost convention: -1 underflow, `size` overflow) of each of
    /// `count` values to `out`, exactly as ``index(_:)`` computes it (values on edges, ±inf
    /// and NaN included), with `kernel` (default: the fastest usable one). Returns false,
    /// writing nothing, if `kernel` cannot run on this processor or axis. Called once per
    /// block of a column fill, never per value.
    @usableFromInline @discardableResult
    func binIndices(_ values: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Int32>,
                    kernel: RegularFillKernel? = nil) -> Bool {
        let axis = kernelAxis
        return kaon_regular_bin_indices_using((kernel ?? .best(axis)).rawValue, values, count, axis, out) != 0
    }

    /// The axis as the C kernels take it (including the multiply-based index's constants).
    @usableFromInline
    var kernelAxis: kaon_regular_axis {
        kaon_regular_axis_make(lower, delta, Int64(size), traits.overflow ? 1 : 0, Int32(flowShift), Int32(extent))
    }

    /// Writes the cell offset of each `(x, y)` pair of a 2D histogram with axes `self` and
    /// `other` (row-major, flow bins included), or -1 where the pair's bin does not exist;
    /// the same exact computation as ``binIndices(_:count:into:kernel:)``.
    @usableFromInline @discardableResult
    func cellOffsets(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int, other: RegularAxis,
                     into out: UnsafeMutablePointer<Int32>, kernel: RegularFillKernel? = nil) -> Bool {
        let a = kernelAxis, b = other.kernelAxis
        return kaon_regular2_cells_using((kernel ?? .best(a, b)).rawValue, x, y, count, a, b, out) != 0
    }
}

extension Histogram {
    /// Values per block of a regular-axis column fill: the block's indices stay in L1, and
    /// the 2D kernels prefetch the next block of the columns (`KAON_REGULAR_PREFETCH_AHEAD`).
    @usableFromInline static var regularFillBlock: Int { Int(KAON_REGULAR_PREFETCH_AHEAD) }

    /// 1D fill on a regular axis from a `Double` column, in two passes per block: the bin
    /// indices of the whole block (vectorised, exact: see ``RegularFillKernel``), then the
    /// cell updates. Splitting the passes keeps the vector kernel free of the memory updates'
    /// latency.
    @inlinable
    mutating func loop1Regular(_ a: RegularAxis, _ x: SendableBuffer<Double>, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        guard let xp = x.base else { return }
        let axis = a.kernelAxis, kernel = RegularFillKernel.best(axis).rawValue
        blockedFill(count: x.count, shift: a.flowShift, extent: a.extent, w, s) { start, m, idx in
            kaon_regular_bin_indices_using(kernel, xp + start, m, axis, idx)
        }
    }

    /// A column fill in blocks of ``regularFillBlock`` entries: `indices(start, m, out)` writes
    /// an index for each of entries `start ..< start + m` (a 1D bin index in boost's
    /// convention, or a 2D cell offset with -1 for none), then
    /// ``addIndices(_:_:shift:extent:start:_:_:_:)`` adds the block to the cells. Shared by
    /// the 1D regular and variable fills and the 2D regular fill.
    @inlinable @inline(__always)
    mutating func blockedFill(count n: Int, shift: Int, extent: Int, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?,
                              indices: (Int, Int, UnsafeMutablePointer<Int32>) -> Void) {
        let ext = UInt(extent), block = Self.regularFillBlock
        let wp = w?.base, sp = s?.base
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { indexBuffer in
            let idx = indexBuffer.baseAddress!
            cells.withUnsafeMutableBufferPointer { cells in
                let c = cells.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(block, n - start)
                    indices(start, m, idx)
                    Self.addIndices(idx, m, shift: shift, extent: ext, start: start, c, wp, sp)
                    start &+= m
                }
            }
        }
    }

    /// The second pass of a blocked fill: adds entries `start ..< start + m` of the
    /// columns to the cells at bin indices `idx` (boost convention, shifted by `shift` into
    /// the cell row of `extent` cells; indices of missing flow bins are skipped).
    @inlinable @inline(__always)
    static func addIndices(_ idx: UnsafePointer<Int32>, _ m: Int, shift: Int, extent ext: UInt, start: Int,
                           _ c: UnsafeMutablePointer<S.Bin>, _ wp: UnsafePointer<Double>?, _ sp: UnsafePointer<Double>?) {
        // One loop per weight/sample combination keeps the common ones branch-free.
        if wp == nil && sp == nil {
            for k in 0..<m {
                let j = Int(idx[k]) &+ shift
                if UInt(bitPattern: j) < ext { S.fill(&c[j], sample: 0) }
            }
        } else if let wp, sp == nil {
            let wb = wp + start
            for k in 0..<m {
                let j = Int(idx[k]) &+ shift
                if UInt(bitPattern: j) < ext { S.fill(&c[j], weight: wb[k], sample: 0) }
            }
        } else {
            for k in 0..<m {
                let j = Int(idx[k]) &+ shift
                if UInt(bitPattern: j) < ext { Self.put(c + j, start &+ k, wp, sp) }
            }
        }
    }

    /// 2D fill on two regular axes from `Double` columns; same two-pass scheme as
    /// ``loop1Regular``, the first pass giving each pair's cell offset directly and
    /// prefetching the next block of both columns while the second pass runs.
    @inlinable
    mutating func loop2Regular(_ a: RegularAxis, _ b: RegularAxis, _ x: SendableBuffer<Double>, _ y: SendableBuffer<Double>,
                               _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        guard let xp = x.base, let yp = y.base else { return }
        let ka = a.kernelAxis, kb = b.kernelAxis, kernel = RegularFillKernel.best(ka, kb).rawValue
        // Cell offsets are the indices: no shift, and -1 (no cell) falls outside the cells.
        blockedFill(count: x.count, shift: 0, extent: cells.count, w, s) { start, m, cell in
            kaon_regular2_cells_using(kernel, xp + start, yp + start, m, ka, kb, cell)
        }
    }
}
