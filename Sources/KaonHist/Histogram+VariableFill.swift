import CKaonHist

extension VariableAxis {
    /// Writes the bin index (boost convention: -1 underflow, `size` overflow) of each of
    /// `count` values to `out`, exactly as ``index(_:)`` computes it (NaN, ±inf and edges
    /// included). `vectorised` (default: when the processor has AVX-512) searches eight values
    /// at once with gathers (`Sources/CKaonHist/variable_bin_indices.h`), else one at a time.
    /// Returns false, writing nothing, if the vectorised search was asked for but cannot run.
    @usableFromInline @discardableResult
    func binIndices(_ values: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Int32>,
                    vectorised: Bool? = nil) -> Bool {
        let kernel = vectorised.map { $0 ? Int32(1) : 0 } ?? kaon_variable_best_kernel()
        return edges.withUnsafeBufferPointer { e in
            kaon_variable_bin_indices_using(kernel, values, count, e.baseAddress!, e.count, traits.overflow ? 1 : 0, out) != 0
        }
    }
}

extension Histogram {
    /// 1D fill on a variable axis from a `Double` column: per block of
    /// ``regularFillBlock`` values, the bin indices of the block (a branch-free vectorised
    /// search, see ``VariableAxis/binIndices(_:count:into:vectorised:)``), then the cell
    /// updates (``addIndices(_:_:shift:extent:start:_:_:_:)``). The per-value search branches
    /// on every step and mispredicts about half of them.
    @inlinable
    mutating func loop1Variable(_ a: VariableAxis, _ x: SendableBuffer<Double>, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        guard let xp = x.base else { return }
        blockedFill(count: x.count, shift: a.flowShift, extent: a.extent, w, s) { start, m, idx in
            a.binIndices(xp + start, count: m, into: idx)
        }
    }

    /// 2D fill on two variable axes from `Double` columns: per block, the bin indices of both
    /// columns (``VariableAxis/binIndices(_:count:into:vectorised:)``), then one update per
    /// pair whose cell exists.
    @inlinable
    mutating func loop2Variable(_ a: VariableAxis, _ b: VariableAxis, _ x: SendableBuffer<Double>, _ y: SendableBuffer<Double>,
                                _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let sa = a.flowShift, ea = UInt(a.extent), sb = b.flowShift, eb = UInt(b.extent), stride = b.extent
        let n = x.count, block = Self.regularFillBlock
        guard let xp = x.base, let yp = y.base else { return }
        let wp = w?.base, sp = s?.base
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * block) { indexBuffer in
            let ix = indexBuffer.baseAddress!, iy = ix + block
            cells.withUnsafeMutableBufferPointer { cells in
                let c = cells.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(block, n - start)
                    a.binIndices(xp + start, count: m, into: ix)
                    b.binIndices(yp + start, count: m, into: iy)
                    for k in 0..<m {
                        let j = Int(ix[k]) &+ sa, l = Int(iy[k]) &+ sb
                        if UInt(bitPattern: j) < ea && UInt(bitPattern: l) < eb { Self.put(c + (j &* stride &+ l), start &+ k, wp, sp) }
                    }
                    start &+= m
                }
            }
        }
    }
}
