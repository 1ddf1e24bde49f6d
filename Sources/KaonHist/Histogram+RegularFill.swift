import CKaonCodecs

extension RegularAxis {
    /// Writes the bin index (boost convention: -1 underflow, `size` overflow) of each of
    /// `count` values to `out`.
    ///
    /// The indices are computed by the C kernel `kaon_regular_bin_indices`, four values per
    /// instruction with AVX2 when the processor has it, with exactly the formula of
    /// ``index(_:)`` (a correctly rounded division, as boost-histogram does), so each value
    /// lands in the same bin as with ``index(_:)``: values on edges, ±inf and NaN included.
    /// Called once per block of a column fill, never per value.
    @usableFromInline
    func binIndices(_ values: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Int32>) {
        kaon_regular_bin_indices(values, count, kernelAxis, out)
    }

    /// The axis as the C kernels take it.
    var kernelAxis: kaon_regular_axis {
        kaon_regular_axis(lower: lower, delta: delta, size: Double(size), top: Double(traits.overflow ? size : size - 1),
                          shift: Int32(flowShift), extent: Int32(extent))
    }

    /// Writes the cell offset of each `(x, y)` pair of a 2D histogram with axes `self` and
    /// `other` (row-major, flow bins included), or -1 where the pair's bin does not exist;
    /// the same vectorised, exact computation as ``binIndices(_:count:into:)``.
    @usableFromInline
    func cellOffsets(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int, other: RegularAxis,
                     into out: UnsafeMutablePointer<Int32>) {
        kaon_regular2_cells(x, y, count, kernelAxis, other.kernelAxis, out)
    }
}

extension Histogram {
    /// Values per block of a regular-axis column fill: the block's indices stay in L1.
    @usableFromInline static var regularFillBlock: Int { 1024 }

    /// 1D fill on a regular axis from a `Double` column, in two passes per block: the bin
    /// indices of the whole block (vectorised division, see ``RegularAxis/binIndices``),
    /// then the cell updates. Splitting the passes keeps the divider busy without waiting for
    /// the memory updates, which is what makes it faster than a per-value loop.
    @inlinable
    mutating func loop1Regular(_ a: RegularAxis, _ x: SendableBuffer<Double>, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let shift = a.flowShift, ext = UInt(a.extent), n = x.count, block = Self.regularFillBlock
        guard let xp = x.base else { return }
        let wp = w?.base, sp = s?.base
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { indexBuffer in
            let idx = indexBuffer.baseAddress!
            cells.withUnsafeMutableBufferPointer { cells in
                let c = cells.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(block, n - start)
                    a.binIndices(xp + start, count: m, into: idx)
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
                    start &+= m
                }
            }
        }
    }

    /// 2D fill on two regular axes from `Double` columns; same two-pass scheme as
    /// ``loop1Regular``, the first pass giving each pair's cell offset directly.
    @inlinable
    mutating func loop2Regular(_ a: RegularAxis, _ b: RegularAxis, _ x: SendableBuffer<Double>, _ y: SendableBuffer<Double>,
                               _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let n = x.count, block = Self.regularFillBlock
        guard let xp = x.base, let yp = y.base else { return }
        let wp = w?.base, sp = s?.base
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { indexBuffer in
            let cell = indexBuffer.baseAddress!
            cells.withUnsafeMutableBufferPointer { cells in
                let c = cells.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(block, n - start)
                    a.cellOffsets(xp + start, yp + start, count: m, other: b, into: cell)
                    if wp == nil && sp == nil {
                        for k in 0..<m {
                            let o = Int(cell[k])
                            if o >= 0 { S.fill(&c[o], sample: 0) }
                        }
                    } else if let wp, sp == nil {
                        let wb = wp + start
                        for k in 0..<m {
                            let o = Int(cell[k])
                            if o >= 0 { S.fill(&c[o], weight: wb[k], sample: 0) }
                        }
                    } else {
                        for k in 0..<m {
                            let o = Int(cell[k])
                            if o >= 0 { Self.put(c + o, start &+ k, wp, sp) }
                        }
                    }
                    start &+= m
                }
            }
        }
    }
}
