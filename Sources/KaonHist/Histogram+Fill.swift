import Dispatch
import KaonIO

/// One column of values for ``Histogram/fill(columns:weights:samples:)-([FillColumn],_,_)`` on axes of any kind.
///
/// ```swift
/// try h.fill(columns: [.real(pt), .string(datasetNames)])
/// ```
public enum FillColumn: Sendable {
    case real([Double])
    case int([Int])
    case string([String])
    case bool([Bool])

    public var count: Int {
        switch self {
        case .real(let v): v.count
        case .int(let v): v.count
        case .string(let v): v.count
        case .bool(let v): v.count
        }
    }

    @inlinable func value(at i: Int) -> AxisValue {
        switch self {
        case .real(let v): .double(v[i])
        case .int(let v): .int(v[i])
        case .string(let v): .string(v[i])
        case .bool(let v): .bool(v[i])
        }
    }
}

/// Read-only column pointers that may cross threads; the caller keeps the memory alive.
@usableFromInline struct SendableBuffer<T>: @unchecked Sendable {
    @usableFromInline let base: UnsafePointer<T>?
    @usableFromInline let count: Int
    @usableFromInline init(_ b: UnsafeBufferPointer<T>) { base = b.baseAddress; count = b.count }
    @usableFromInline init(base: UnsafePointer<T>?, count: Int) { self.base = base; self.count = count }
    @usableFromInline var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }
    @usableFromInline func slice(_ r: Range<Int>) -> SendableBuffer<T> {
        SendableBuffer(base: base.map { $0 + r.lowerBound }, count: r.count)
    }
}

extension Histogram {
    // MARK: Scalar fills

    /// Fills one entry with a value per axis; values outside the axes go to flow bins or
    /// are dropped (exactly as boost-histogram does), growing axes grow.
    ///
    /// - Parameters:
    ///   - values: one value per axis, in axis order.
    ///   - weight: the entry's weight (default 1).
    ///   - sample: the value to average, required by `MeanStorage`/`WeightedMeanStorage`.
    ///
    /// ```swift
    /// try h.fill(1.5)
    /// try h2.fill(0.3, "ttbar", weight: 0.7)
    /// try profile.fill(20.0, sample: 3.2)
    /// ```
    @inlinable
    public mutating func fill(_ values: AxisValue..., weight: Double? = nil, sample: Double? = nil) throws {
        try fill(values: values, weight: weight, sample: sample)
    }

    /// Array form of the variadic scalar fill.
    @inlinable
    public mutating func fill(values: [AxisValue], weight: Double? = nil, sample: Double? = nil) throws {
        guard values.count == axes.count else {
            throw KaonError(.usage, "fill needs \(axes.count) values (one per axis), got \(values.count)")
        }
        try checkExtras(weight: weight != nil, sample: sample != nil)
        if weight != nil { varianceIsKnown = false }
        var indices = Array(repeating: 0, count: axes.count)
        guard try locate(values.count, { values[$0] }, into: &indices) else { return }
        store(offset: cellOffset(indices), weight: weight, sample: sample)
    }

    @usableFromInline func checkExtras(weight: Bool, sample: Bool) throws {
        if S.needsSample && !sample { throw KaonError(.usage, "a \(S.uhiType) storage needs a sample for every fill") }
        if !S.needsSample && sample { throw KaonError(.usage, "a \(S.uhiType) storage takes no sample") }
        if weight && !S.acceptsWeight { throw KaonError(.usage, "a \(S.uhiType) storage takes no weights") }
    }

    /// Computes per-axis indices (boost convention), growing axes as needed; `false` when
    /// the entry falls into a bin that does not exist and is dropped.
    @usableFromInline mutating func locate(_ n: Int, _ value: (Int) -> AxisValue, into indices: inout [Int]) throws -> Bool {
        var inRange = true
        for k in 0..<n {
            let v = value(k)
            if axes[k].traits.growth {
                let old = axes[k]
                guard let r = axes[k].update(v) else {
                    throw KaonError(.usage, "value \(v) does not fit the \(old.kindName) axis \(k)")
                }
                if r.addedBelow != 0 || r.addedAbove != 0 {
                    regrow(axis: k, oldAxis: old, below: r.addedBelow, above: r.addedAbove)
                }
                indices[k] = r.index
            } else {
                guard let i = axes[k].index(v) else {
                    throw KaonError(.usage, "value \(v) does not fit the \(axes[k].kindName) axis \(k)")
                }
                indices[k] = i
            }
            let j = indices[k] + axes[k].flowShift
            if j < 0 || j >= axes[k].extent { inRange = false }
        }
        return inRange
    }

    @usableFromInline func cellOffset(_ indices: [Int]) -> Int {
        var o = 0
        for k in axes.indices { o += (indices[k] + axes[k].flowShift) * strides[k] }
        return o
    }

    @inlinable @inline(__always)
    mutating func store(offset o: Int, weight: Double?, sample: Double?) {
        if let weight { S.fill(&cells[o], weight: weight, sample: sample ?? 0) } else { S.fill(&cells[o], sample: sample ?? 0) }
    }

    // MARK: Column fills

    /// Fills a 1D histogram from a column of values.
    ///
    /// ```swift
    /// try h.fill(column: [0.1, 0.5, 0.5], weights: [1, 2, 0.5])
    /// ```
    @inlinable
    public mutating func fill(column: [Double], weights: [Double]? = nil, samples: [Double]? = nil) throws {
        try fill(columns: [column], weights: weights, samples: samples)
    }

    /// Fills from one `Double` array per axis (all the same length), with optional
    /// per-entry weights and samples.
    ///
    /// ```swift
    /// try h2.fill(columns: [xs, ys], weights: ws)
    /// ```
    @inlinable
    public mutating func fill(columns: [[Double]], weights: [Double]? = nil, samples: [Double]? = nil) throws {
        // Pin every array for the duration of the fill without copying it.
        var pointers: [UnsafeBufferPointer<Double>] = []
        pointers.reserveCapacity(columns.count)
        try withPinned(columns, 0, &pointers) { ptrs in
            try withOptionalBuffer(weights) { w in
                try withOptionalBuffer(samples) { s in
                    try fill(buffers: ptrs, weights: w, samples: s)
                }
            }
        }
    }

    /// Fills from one `Float` array per axis.
    @inlinable
    public mutating func fill(columns: [[Float]], weights: [Double]? = nil, samples: [Double]? = nil) throws {
        var pointers: [UnsafeBufferPointer<Float>] = []
        try withPinned(columns, 0, &pointers) { ptrs in
            try withOptionalBuffer(weights) { w in
                try withOptionalBuffer(samples) { s in
                    try fill(buffers: ptrs, weights: w, samples: s)
                }
            }
        }
    }

    /// Fills from columns of any kind (reals, integers, strings, booleans), one per axis.
    ///
    /// This is the general path (categories, growth): it handles every axis kind at the
    /// cost of a per-value switch.
    @inlinable
    public mutating func fill(columns: [FillColumn], weights: [Double]? = nil, samples: [Double]? = nil) throws {
        guard columns.count == axes.count else {
            throw KaonError(.usage, "fill needs \(axes.count) columns (one per axis), got \(columns.count)")
        }
        let n = columns.first?.count ?? 0
        try checkLengths(columns.map(\.count), weights?.count, samples?.count)
        try checkExtras(weight: weights != nil, sample: samples != nil)
        if weights != nil { varianceIsKnown = false }
        var indices = Array(repeating: 0, count: axes.count)
        for i in 0..<n {
            guard try locate(columns.count, { columns[$0].value(at: i) }, into: &indices) else { continue }
            store(offset: cellOffset(indices), weight: weights?[i], sample: samples?[i])
        }
    }

    @usableFromInline func checkLengths(_ counts: [Int], _ w: Int?, _ s: Int?) throws {
        let n = counts.first ?? 0
        guard counts.allSatisfy({ $0 == n }), w.map({ $0 == n }) ?? true, s.map({ $0 == n }) ?? true else {
            throw KaonError(.usage, "fill columns, weights and samples must have the same length (got \(counts), weights \(w.map(String.init) ?? "-"), samples \(s.map(String.init) ?? "-"))")
        }
    }

    /// Fills from column buffers (no copy): the fastest entry point.
    ///
    /// For 1–3 axes that are all real-valued and not growing, the loop is specialised on
    /// the concrete axis types (no dynamic dispatch per value); other shapes use the
    /// general N-dimensional loop.
    ///
    /// ```swift
    /// try xs.withUnsafeBufferPointer { try h.fill(buffers: [$0]) }
    /// ```
    @inlinable
    public mutating func fill<X: BinaryFloatingPoint>(buffers: [UnsafeBufferPointer<X>],
                                                      weights: UnsafeBufferPointer<Double>? = nil,
                                                      samples: UnsafeBufferPointer<Double>? = nil) throws {
        guard buffers.count == axes.count else {
            throw KaonError(.usage, "fill needs \(axes.count) columns (one per axis), got \(buffers.count)")
        }
        try checkLengths(buffers.map(\.count), weights?.count, samples?.count)
        try checkExtras(weight: weights != nil, sample: samples != nil)
        if weights != nil { varianceIsKnown = false }
        let w = weights.map { SendableBuffer($0) }, s = samples.map { SendableBuffer($0) }
        let cols = buffers.map { SendableBuffer($0) }
        if axes.allSatisfy({ $0.isContinuous && !$0.traits.growth }) {
            fillFast(cols, w, s)
        } else {
            var indices = Array(repeating: 0, count: axes.count)
            for i in 0..<(buffers.first?.count ?? 0) {
                guard try locate(buffers.count, { .double(Double(buffers[$0][i])) }, into: &indices) else { continue }
                store(offset: cellOffset(indices), weight: w.map { $0.buffer[i] }, sample: s.map { $0.buffer[i] })
            }
        }
    }

    /// Splits the fill into `threads` chunks filled into private copies, merged with `+`.
    ///
    /// Counts are exact; floating-point sums can differ in the last bits from a serial
    /// fill (a different order of additions). Growing axes fall back to a serial fill.
    ///
    /// ```swift
    /// try h.fillParallel(columns: [xs], threads: 4)
    /// ```
    @inlinable
    public mutating func fillParallel(columns: [[Double]], weights: [Double]? = nil, samples: [Double]? = nil,
                                      threads: Int) throws {
        guard threads > 1, axes.allSatisfy({ $0.isContinuous && !$0.traits.growth }) else {
            try fill(columns: columns, weights: weights, samples: samples)
            return
        }
        guard columns.count == axes.count else {
            throw KaonError(.usage, "fill needs \(axes.count) columns (one per axis), got \(columns.count)")
        }
        try checkLengths(columns.map(\.count), weights?.count, samples?.count)
        try checkExtras(weight: weights != nil, sample: samples != nil)
        if weights != nil { varianceIsKnown = false }
        var pointers: [UnsafeBufferPointer<Double>] = []
        try withPinned(columns, 0, &pointers) { ptrs in
            try withOptionalBuffer(weights) { w in
                try withOptionalBuffer(samples) { s in
                    mergeParallel(ptrs.map(SendableBuffer.init), w.map(SendableBuffer.init), s.map(SendableBuffer.init), threads)
                }
            }
        }
    }

    @inlinable
    mutating func mergeParallel(_ cols: [SendableBuffer<Double>], _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?, _ threads: Int) {
        let n = cols.first?.count ?? 0
        let chunk = (n + threads - 1) / threads
        let empty = Histogram(emptyLike: self)
        let results = ParallelParts<Histogram>(threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let r = Swift.min(t * chunk, n)..<Swift.min((t + 1) * chunk, n)
            var part = empty
            part.fillFast(cols.map { $0.slice(r) }, w?.slice(r), s?.slice(r))
            results.parts[t] = part  // each iteration writes its own slot
        }
        for part in results.parts { if let part { addCells(part) } }
    }

    /// Adds another histogram's cells (same layout assumed).
    @inlinable
    mutating func addCells(_ other: Histogram) {
        cells.withUnsafeMutableBufferPointer { b in
            other.bins.withUnsafeBufferPointer { o in
                for i in 0..<b.count { S.add(&b[i], o[i]) }
            }
        }
    }

    // MARK: Specialised loops

    /// Dispatches once on the concrete axis types, then runs a monomorphic loop.
    @inlinable
    mutating func fillFast<X: BinaryFloatingPoint>(_ cols: [SendableBuffer<X>], _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        // Regular axes on Double columns: vectorised two-pass loops (Histogram+RegularFill).
        if X.self == Double.self, let first = axes.first {
            let doubles = unsafeBitCast(cols, to: [SendableBuffer<Double>].self)
            switch (axes.count, first, axes.last!) {
            case (1, .regular(let a), _): loop1Regular(a, doubles[0], w, s); return
            case (1, .variable(let a), _): loop1Variable(a, doubles[0], w, s); return
            case (2, .variable(let a), .variable(let b)): loop2Variable(a, b, doubles[0], doubles[1], w, s); return
            case (2, .regular(let a), .regular(let b)) where cells.count <= Int(Int32.max):  // offsets are Int32
                loop2Regular(a, b, doubles[0], doubles[1], w, s); return
            default: break
            }
        }
        switch axes.count {
        case 1:
            switch axes[0] {
            case .regular(let a): loop1(a, cols[0], w, s)
            case .variable(let a): loop1(a, cols[0], w, s)
            case .integer(let a): loop1(a, cols[0], w, s)
            default: loopN(cols, w, s)
            }
        case 2:
            switch axes[0] {
            case .regular(let a): dispatch2(a, cols, w, s)
            case .variable(let a): dispatch2(a, cols, w, s)
            case .integer(let a): dispatch2(a, cols, w, s)
            default: loopN(cols, w, s)
            }
        case 3:
            switch axes[0] {
            case .regular(let a): dispatch3(a, cols, w, s)
            case .variable(let a): dispatch3(a, cols, w, s)
            case .integer(let a): dispatch3(a, cols, w, s)
            default: loopN(cols, w, s)
            }
        default:
            loopN(cols, w, s)
        }
    }

    @inlinable
    mutating func dispatch2<A: RealAxis, X: BinaryFloatingPoint>(_ a: A, _ cols: [SendableBuffer<X>], _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        switch axes[1] {
        case .regular(let b): loop2(a, b, cols[0], cols[1], w, s)
        case .variable(let b): loop2(a, b, cols[0], cols[1], w, s)
        case .integer(let b): loop2(a, b, cols[0], cols[1], w, s)
        default: loopN(cols, w, s)
        }
    }

    @inlinable
    mutating func dispatch3<A: RealAxis, X: BinaryFloatingPoint>(_ a: A, _ cols: [SendableBuffer<X>], _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        switch axes[1] {
        case .regular(let b): dispatch3b(a, b, cols, w, s)
        case .variable(let b): dispatch3b(a, b, cols, w, s)
        case .integer(let b): dispatch3b(a, b, cols, w, s)
        default: loopN(cols, w, s)
        }
    }

    @inlinable
    mutating func dispatch3b<A: RealAxis, B: RealAxis, X: BinaryFloatingPoint>(_ a: A, _ b: B, _ cols: [SendableBuffer<X>], _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        switch axes[2] {
        case .regular(let c): loop3(a, b, c, cols[0], cols[1], cols[2], w, s)
        case .variable(let c): loop3(a, b, c, cols[0], cols[1], cols[2], w, s)
        case .integer(let c): loop3(a, b, c, cols[0], cols[1], cols[2], w, s)
        default: loopN(cols, w, s)
        }
    }

    /// Applies entry `i` to a cell; the weight/sample branches are loop-invariant.
    @inlinable @inline(__always)
    static func put(_ cell: UnsafeMutablePointer<S.Bin>, _ i: Int, _ w: UnsafePointer<Double>?, _ s: UnsafePointer<Double>?) {
        if let w {
            S.fill(&cell.pointee, weight: w[i], sample: s?[i] ?? 0)
        } else {
            S.fill(&cell.pointee, sample: s?[i] ?? 0)
        }
    }

    @inlinable
    mutating func loop1<A: RealAxis, X: BinaryFloatingPoint>(_ a: A, _ x: SendableBuffer<X>, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let shift = a.flowShift, ext = UInt(a.extent), n = x.count
        guard let xp = x.base else { return }
        let wp = w?.base, sp = s?.base
        cells.withUnsafeMutableBufferPointer { cells in
            let c = cells.baseAddress!
            // Unweighted fills of plain counters are the common case: keep that loop minimal.
            if wp == nil && sp == nil {
                for i in 0..<n {
                    let j = a.index(Double(xp[i])) &+ shift
                    if UInt(bitPattern: j) < ext { S.fill(&c[j], sample: 0) }
                }
            } else if let wp, sp == nil {
                for i in 0..<n {
                    let j = a.index(Double(xp[i])) &+ shift
                    if UInt(bitPattern: j) < ext { S.fill(&c[j], weight: wp[i], sample: 0) }
                }
            } else {
                for i in 0..<n {
                    let j = a.index(Double(xp[i])) &+ shift
                    if UInt(bitPattern: j) < ext { Self.put(c + j, i, wp, sp) }
                }
            }
        }
    }

    @inlinable
    mutating func loop2<A: RealAxis, B: RealAxis, X: BinaryFloatingPoint>(_ a: A, _ b: B, _ x: SendableBuffer<X>, _ y: SendableBuffer<X>, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let sa = a.flowShift, ea = UInt(a.extent), sb = b.flowShift, eb = UInt(b.extent)
        let strideA = b.extent, n = x.count
        guard let xp = x.base, let yp = y.base else { return }
        let wp = w?.base, sp = s?.base
        cells.withUnsafeMutableBufferPointer { cells in
            let c = cells.baseAddress!
            // Separate loops per weight/sample combination keep the common ones branch-free.
            if let wp, sp == nil {
                for i in 0..<n {
                    let j = a.index(Double(xp[i])) &+ sa
                    let k = b.index(Double(yp[i])) &+ sb
                    if UInt(bitPattern: j) < ea && UInt(bitPattern: k) < eb {
                        S.fill(&c[j &* strideA &+ k], weight: wp[i], sample: 0)
                    }
                }
            } else if wp == nil && sp == nil {
                for i in 0..<n {
                    let j = a.index(Double(xp[i])) &+ sa
                    let k = b.index(Double(yp[i])) &+ sb
                    if UInt(bitPattern: j) < ea && UInt(bitPattern: k) < eb {
                        S.fill(&c[j &* strideA &+ k], sample: 0)
                    }
                }
            } else {
                for i in 0..<n {
                    let j = a.index(Double(xp[i])) &+ sa
                    let k = b.index(Double(yp[i])) &+ sb
                    if UInt(bitPattern: j) < ea && UInt(bitPattern: k) < eb {
                        Self.put(c + (j &* strideA &+ k), i, wp, sp)
                    }
                }
            }
        }
    }

    @inlinable
    mutating func loop3<A: RealAxis, B: RealAxis, C: RealAxis, X: BinaryFloatingPoint>(_ a: A, _ b: B, _ cAxis: C, _ x: SendableBuffer<X>, _ y: SendableBuffer<X>, _ z: SendableBuffer<X>, _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let sa = a.flowShift, ea = UInt(a.extent), sb = b.flowShift, eb = UInt(b.extent)
        let sc = cAxis.flowShift, ec = UInt(cAxis.extent)
        let strideB = cAxis.extent, strideA = b.extent * cAxis.extent, n = x.count
        guard let xp = x.base, let yp = y.base, let zp = z.base else { return }
        let wp = w?.base, sp = s?.base
        cells.withUnsafeMutableBufferPointer { cells in
            let c = cells.baseAddress!
            for i in 0..<n {
                let j = a.index(Double(xp[i])) &+ sa
                let k = b.index(Double(yp[i])) &+ sb
                let l = cAxis.index(Double(zp[i])) &+ sc
                if UInt(bitPattern: j) < ea && UInt(bitPattern: k) < eb && UInt(bitPattern: l) < ec {
                    Self.put(c + (j &* strideA &+ k &* strideB &+ l), i, wp, sp)
                }
            }
        }
    }

    /// The general loop over any number of real-valued, non-growing axes.
    @inlinable
    mutating func loopN<X: BinaryFloatingPoint>(_ cols: [SendableBuffer<X>], _ w: SendableBuffer<Double>?, _ s: SendableBuffer<Double>?) {
        let n = cols.first?.count ?? 0
        let axes = self.axes, strides = self.strides
        let wp = w?.base, sp = s?.base
        cells.withUnsafeMutableBufferPointer { cells in
            let c = cells.baseAddress!
            for i in 0..<n {
                var o = 0
                var inside = true
                for k in 0..<axes.count {
                    let j = (axes[k].index(.double(Double(cols[k].base![i]))) ?? -2) + axes[k].flowShift
                    if j < 0 || j >= axes[k].extent { inside = false; break }
                    o += j * strides[k]
                }
                if inside { Self.put(c + o, i, wp, sp) }
            }
        }
    }
}

/// Calls `body` with pointers to every array in `arrays`, nested so all stay pinned.
@usableFromInline
func withPinned<T, R>(_ arrays: [[T]], _ i: Int, _ acc: inout [UnsafeBufferPointer<T>],
                      _ body: ([UnsafeBufferPointer<T>]) throws -> R) throws -> R {
    if i == arrays.count { return try body(acc) }
    return try arrays[i].withUnsafeBufferPointer { p in
        acc.append(p)
        return try withPinned(arrays, i + 1, &acc, body)
    }
}

@usableFromInline
func withOptionalBuffer<R>(_ a: [Double]?, _ body: (UnsafeBufferPointer<Double>?) throws -> R) throws -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBufferPointer { try body($0) }
}

/// One slot per parallel chunk; each chunk writes only its own slot.
@usableFromInline
final class ParallelParts<H>: @unchecked Sendable {
    @usableFromInline var parts: [H?]
    @usableFromInline init(_ k: Int) { parts = Array(repeating: nil, count: k) }
}
