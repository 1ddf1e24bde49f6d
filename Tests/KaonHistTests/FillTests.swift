import Foundation
import Testing
import KaonIO
import KaonTestSupport
@testable import KaonHist

@Suite struct FillTests {
    @Test func scalarAndColumnFillsAgree() throws {
        var a = Histogram<DoubleStorage>(RegularAxis(bins: 10, lower: 0, upper: 1))
        var b = a
        let xs: [Double] = [0, 0.05, 0.1, 0.3, 0.7, 0.999, 1, 1.5, -0.1, .nan, .infinity, -.infinity]
        for x in xs { try a.fill(.double(x)) }
        try b.fill(column: xs)
        #expect(a.bins == b.bins)
        #expect(a[-1] == 2 && a[10] == 4 && a[1] == 1 && a[3] == 1 && a[0] == 2)
        #expect(a.sum() == 6 && a.sum(flow: true) == 12)
    }

    @Test func floatColumnsAndBuffers() throws {
        var h = Histogram<Int64Storage>(RegularAxis(bins: 4, lower: 0, upper: 4))
        try h.fill(columns: [[Float(0.5), 1.5, 1.5, 3.5, 9]])
        #expect(h.bins == [0, 1, 2, 0, 1, 1])
        let xs: [Double] = [0.5, 0.5]
        try xs.withUnsafeBufferPointer { try h.fill(buffers: [$0]) }
        #expect(h[0] == 3)
    }

    @Test func weightsAndSamples() throws {
        var w = Histogram<WeightStorage>(RegularAxis(bins: 2, lower: 0, upper: 2))
        try w.fill(column: [0.5, 0.5, 1.5], weights: [2, 3, 1])
        #expect(w.values() == [5, 1] && w.variances()! == [13, 1] && w.counts() == [5, 1])
        var p = Histogram<MeanStorage>(RegularAxis(bins: 2, lower: 0, upper: 2))
        try p.fill(column: [0.5, 0.5, 1.5], samples: [1, 3, 7])
        #expect(p.values() == [2, 7] && p.counts() == [2, 1])
        #expect(p.variances()![0] == 1 && p.variances()![1].isNaN)
        #expect(throws: KaonError.self) { try p.fill(column: [0.5]) }      // missing sample
        #expect(throws: KaonError.self) { try w.fill(column: [0.5], weights: [1, 2]) }  // length mismatch
        var wm = Histogram<WeightedMeanStorage>(RegularAxis(bins: 1, lower: 0, upper: 1))
        try wm.fill(0.5, weight: 2, sample: 1)
        try wm.fill(0.5, weight: 1, sample: 4)
        #expect(wm.values() == [2])
    }

    @Test func fastPathsMatchGeneralPath() throws {
        let n = 5000
        let xs = SplitMix64.approximateNormals(count: n, seed: 7), ys = SplitMix64.approximateNormals(count: n, seed: 8)
        let zs = SplitMix64.approximateNormals(count: n, seed: 9), ws = SplitMix64.approximateNormals(count: n, seed: 10)
        let axes: [AnyAxis] = [RegularAxis(bins: 7, lower: -2, upper: 2).erased,
                               VariableAxis(edges: [-3, -1, 0, 0.5, 2], overflow: false).erased,
                               IntegerAxis(lower: -2, upper: 2).erased]
        for rank in 1...3 {
            var fast = Histogram<WeightStorage>(axes: Array(axes.prefix(rank)))
            var slow = fast
            let cols = Array([xs, ys, zs].prefix(rank))
            try fast.fill(columns: cols, weights: ws)
            for i in 0..<n { try slow.fill(values: cols.map { .double($0[i]) }, weight: ws[i]) }
            #expect(fast.bins == slow.bins)
            // 4D goes through the generic loop; check it against scalar fills too.
        }
        var four = Histogram<DoubleStorage>(axes: axes + [RegularAxis(bins: 3, lower: -1, upper: 1).erased])
        var fourSlow = four
        try four.fill(columns: [xs, ys, zs, ws])
        for i in 0..<n { try fourSlow.fill(values: [.double(xs[i]), .double(ys[i]), .double(zs[i]), .double(ws[i])]) }
        #expect(four.bins == fourSlow.bins)
    }

    /// Values on, just below and just above every edge of `axis` (as boost-histogram computes
    /// the edges, and as lower + i·width), the axis ends' neighbours, NaN, ±inf, huge values,
    /// and uniform values around the axis.
    static func edgeValues(_ axis: RegularAxis, random: Int, _ rng: inout SplitMix64) -> [Double] {
        var values: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, .leastNonzeroMagnitude, -0.0]
        let width = (axis.upper - axis.lower) / Double(axis.size)
        for i in 0...axis.size {
            for edge in [axis.value(at: Double(i)), axis.lower + Double(i) * width] {
                values += [edge, edge.nextUp, edge.nextDown, edge.nextUp.nextUp, edge.nextDown.nextDown]
            }
        }
        let span = axis.upper - axis.lower
        values += (0..<random).map { _ in axis.lower - 0.1 * span + 1.2 * span * rng.uniform() }
        // Values a few thousand ulps around edges: where the multiply-based kernels must decide
        // between proving a bin and recomputing it by division.
        values += (0..<random).map { _ in
            let edge = axis.value(at: Double(rng.next() % UInt64(axis.size + 1)))
            return edge + (rng.uniform() - 0.5) * Double(rng.next() % 4096) * Swift.max(abs(edge), abs(span)).ulp
        }
        return values
    }

    /// Each regular-axis kernel this machine can run (scalar, AVX2 division, multiply-based
    /// AVX2 and AVX-512) gives the bins of ``RegularAxis/index(_:)`` for the 1D indices and the
    /// 2D cell offsets of `values` on `axis` (paired with `other` both ways round).
    static func expectKernelsMatchIndex(_ axis: RegularAxis, _ other: RegularAxis, _ values: [Double]) -> Int {
        let ys = values.reversed().map { $0 }
        func cell(_ x: Double, _ a: RegularAxis, _ y: Double, _ b: RegularAxis) -> Int32 {
            let j = a.index(x) + a.flowShift, k = b.index(y) + b.flowShift
            return (0..<a.extent).contains(j) && (0..<b.extent).contains(k) ? Int32(j * b.extent + k) : -1
        }
        let indices = values.map { Int32(axis.index($0)) }
        // The one-value-at-a-time form of the multiply-based rule.
        let indexer = axis.indexer
        #expect(values.map { Int32(indexer.index($0)) } == indices, "Indexer, axis \(axis.size) [\(axis.lower), \(axis.upper))")
        let cells = zip(values, ys).map { cell($0, axis, $1, other) }
        let cellsSwapped = zip(ys, values).map { cell($0, other, $1, axis) }
        var ran = 0
        for kernel in RegularFillKernel.allCases {
            var out = [Int32](repeating: 99, count: values.count)
            let usable = values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { axis.binIndices(v.baseAddress!, count: v.count, into: $0.baseAddress!, kernel: kernel) }
            }
            guard usable else { continue }
            ran += 1
            #expect(out == indices, "\(kernel) 1D, axis \(axis.size) [\(axis.lower), \(axis.upper))")
            for (a, b, x, y, expected) in [(axis, other, values, ys, cells), (other, axis, ys, values, cellsSwapped)] {
                let done = x.withUnsafeBufferPointer { xv in
                    y.withUnsafeBufferPointer { yv in
                        out.withUnsafeMutableBufferPointer {
                            a.cellOffsets(xv.baseAddress!, yv.baseAddress!, count: xv.count, other: b, into: $0.baseAddress!, kernel: kernel)
                        }
                    }
                }
                #expect(done && out == expected, "\(kernel) 2D, axis \(axis.size) [\(axis.lower), \(axis.upper))")
            }
        }
        return ran
    }

    /// The vectorised regular-axis kernel of the column fills puts every value in the bin
    /// ``RegularAxis/index(_:)`` (boost-histogram's formula, checked against boost-histogram by
    /// PeerComparisonTests) gives, on random axes and values on and next to their edges.
    @Test func regularKernelMatchesScalarIndex() throws {
        var rng = SplitMix64(state: 42)
        for trial in 0..<400 {
            let bins = 1 + Int(rng.next() % 120)
            let lower = (rng.uniform() - 0.5) * pow(10, Double(Int(rng.next() % 9)) - 4)
            let upper = lower + rng.uniform() * pow(10, Double(Int(rng.next() % 9)) - 4) + 1e-9
            let axis = RegularAxis(bins: bins, lower: lower, upper: upper, underflow: trial % 3 != 0, overflow: trial % 2 == 0)
            let values = Self.edgeValues(axis, random: 200, &rng)
            let other = RegularAxis(bins: 3, lower: -1, upper: 1, underflow: trial % 5 != 0, overflow: trial % 7 != 0)
            #expect(Self.expectKernelsMatchIndex(axis, other, values) >= 1)
            // And through the histogram: column fills equal scalar fills, 1D and 2D, weighted or not.
            var column = Histogram<WeightStorage>(axes: [axis.erased])
            var scalar = column
            try column.fill(column: values, weights: values.indices.map { Double($0 % 7) - 2.5 })
            for (i, x) in values.enumerated() { try scalar.fill(.double(x), weight: Double(i % 7) - 2.5) }
            #expect(column.bins == scalar.bins)
            var column2 = Histogram<DoubleStorage>(axes: [axis.erased, RegularAxis(bins: 3, lower: -1, upper: 1).erased])
            var scalar2 = column2
            let ys = values.reversed().map { $0 }
            try column2.fill(columns: [values, ys])
            for (x, y) in zip(values, ys) { try scalar2.fill(.double(x), .double(y)) }
            #expect(column2.bins == scalar2.bins)
        }
    }

    /// The kernels on axes the multiply-based index must handle or refuse: reversed axes,
    /// many bins, edges from 1e-300 to 1e300, an axis whose width is nearly its position.
    @Test func regularKernelsOnUnusualAxes() throws {
        var rng = SplitMix64(state: 7)
        var axes = [RegularAxis(bins: 10, lower: 1, upper: -1), RegularAxis(bins: 100_000, lower: -3, upper: 3),
                    RegularAxis(bins: 7, lower: 1e300, upper: 1.7e300), RegularAxis(bins: 5, lower: -1e-300, upper: 2e-300),
                    RegularAxis(bins: 3, lower: 1e15, upper: 1e15 + 3), RegularAxis(bins: 1, lower: 0, upper: 1, underflow: false, overflow: false),
                    RegularAxis(bins: 1 << 17, lower: 0, upper: 1, overflow: false)]
        for _ in 0..<100 {
            let lower = (rng.uniform() - 0.5) * pow(10, Double(Int(rng.next() % 400)) - 200)
            let span = rng.uniform() * pow(10, Double(Int(rng.next() % 400)) - 200)
            if span > 0, lower + span != lower, (lower + span).isFinite {
                axes.append(RegularAxis(bins: 1 + Int(rng.next() % 500), lower: lower, upper: lower + span, overflow: rng.next() % 2 == 0))
            }
        }
        for axis in axes {
            var values = Self.edgeValues(axis, random: 300, &rng)
            if values.count > 20_000 { values = (0..<20_000).map { _ in values[Int(rng.next() % UInt64(values.count))] } }
            #expect(Self.expectKernelsMatchIndex(axis, RegularAxis(bins: 4, lower: 0, upper: 1), values) >= 1)
        }
    }

    /// The vectorised variable-axis search and the scalar one give ``VariableAxis/index(_:)``'s
    /// bin (boost-histogram's, checked by PeerComparisonTests) on random axes with values on and
    /// next to every edge, NaN, ±inf; and 1D column fills equal scalar fills.
    @Test func variableKernelMatchesScalarIndex() throws {
        var rng = SplitMix64(state: 11)
        for trial in 0..<300 {
            let n = 2 + Int(rng.next() % (trial % 10 == 0 ? 3000 : 130))
            var edges = [(rng.uniform() - 0.5) * 100]
            for _ in 1..<n { edges.append(edges.last!.nextUp + (rng.next() % 4 == 0 ? 0 : rng.uniform() * pow(10, Double(Int(rng.next() % 6)) - 3))) }
            let axis = VariableAxis(edges: edges, underflow: trial % 3 != 0, overflow: trial % 2 == 0)
            var values: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e308, -1e308]
            for e in edges { values += [e, e.nextUp, e.nextDown] }
            values += (0..<300).map { _ in edges[0] - 1 + (edges[n - 1] - edges[0] + 2) * rng.uniform() }
            let expected = values.map { Int32(axis.index($0)) }
            for vectorised in [false, true] {
                var out = [Int32](repeating: 99, count: values.count)
                let ran = values.withUnsafeBufferPointer { v in
                    out.withUnsafeMutableBufferPointer { axis.binIndices(v.baseAddress!, count: v.count, into: $0.baseAddress!, vectorised: vectorised) }
                }
                #expect(ran == true || vectorised, "the scalar search always runs")
                if ran { #expect(out == expected, "vectorised \(vectorised), \(n) edges") }
            }
            var column = Histogram<WeightStorage>(axes: [axis.erased])
            var scalar = column
            try column.fill(column: values, weights: values.indices.map { Double($0 % 5) - 1.5 })
            for (i, x) in values.enumerated() { try scalar.fill(.double(x), weight: Double(i % 5) - 1.5) }
            #expect(column.bins == scalar.bins)
            // 2D: this axis against a small one with or without flow bins, both orders.
            let small = VariableAxis(edges: [-1, 0, 0.5, 2], underflow: trial % 4 != 0, overflow: trial % 5 != 0)
            let ys = values.reversed().map { $0 }
            for (first, second) in [(axis, small), (small, axis)] {
                var column2 = Histogram<WeightStorage>(axes: [first.erased, second.erased])
                var scalar2 = column2
                try column2.fill(columns: [values, ys], weights: values.indices.map { Double($0 % 3) + 0.5 })
                for i in values.indices { try scalar2.fill(.double(values[i]), .double(ys[i]), weight: Double(i % 3) + 0.5) }
                #expect(column2.bins == scalar2.bins)
            }
        }
    }

    @Test func parallelFillEqualsSerial() throws {
        let xs = SplitMix64.approximateNormals(count: 100_001, seed: 3), ys = SplitMix64.approximateNormals(count: 100_001, seed: 4)
        var serial = Histogram<Int64Storage>(RegularAxis(bins: 20, lower: -2, upper: 2), RegularAxis(bins: 5, lower: -1, upper: 1))
        var parallel = serial
        try serial.fill(columns: [xs, ys])
        try parallel.fillParallel(columns: [xs, ys], threads: 3)
        #expect(serial == parallel)
    }

    @Test func growthAndCategories() throws {
        var h = Histogram<DoubleStorage>(StrCategoryAxis(categories: [], growth: true), RegularAxis(bins: 2, lower: 0, upper: 2, growth: true))
        try h.fill(columns: [.string(["b", "a", "b"]), .real([0.5, 2.5, -1])])
        guard case .strCategory(let c) = h.axes[0], case .regular(let r) = h.axes[1] else { Issue.record("axes"); return }
        #expect(c.categories == ["b", "a"])
        #expect(r.lower == -1 && r.upper == 3 && r.size == 4)
        // Earlier entries move with the growth: b@0.5 is now in bin 1, a@2.5 in bin 3, b@-1 in bin 0.
        #expect(h[0, 1] == 1 && h[1, 3] == 1 && h[0, 0] == 1)
        #expect(h.sum(flow: true) == 3)
        var b = Histogram<Int64Storage>(BooleanAxis(), IntCategoryAxis(categories: [11, 13]))
        try b.fill(true, 13)
        try b.fill(false, 22)
        #expect(b[1, 1] == 1 && b[0, 2] == 1)
        #expect(throws: KaonError.self) { try b.fill("x", 13) }
    }
}
