import Testing
import KaonIO
@testable import KaonHist

@Suite struct OperationsTests {
    /// Regular(10, 0, 10) filled once at every half-integer from -0.5 to 10.5 (one per bin incl. flow).
    func tenBins() throws -> Histogram<DoubleStorage> {
        var h = Histogram<DoubleStorage>(RegularAxis(bins: 10, lower: 0, upper: 10))
        try h.fill(column: stride(from: -0.5, to: 11, by: 1).map { $0 })
        return h
    }

    @Test func addAndScale() throws {
        let h = try tenBins()
        let s = h + h
        #expect(s.values(flow: true) == Array(repeating: 2, count: 12))
        #expect((h * 0.5).sum(flow: true) == 6)
        let other = Histogram<DoubleStorage>(RegularAxis(bins: 5, lower: 0, upper: 10))
        #expect(throws: KaonError.self) { try h.adding(other) }
        var w = Histogram<WeightStorage>(RegularAxis(bins: 1, lower: 0, upper: 1))
        try w.fill(0.5, weight: 2)
        #expect(w.scaled(by: 3)[0] == WeightedSum(value: 6, variance: 36))
    }

    @Test func sliceByIndexMovesOutsideIntoFlow() throws {
        // boost-histogram: h[2:5].view(flow=True) == [3, 1, 1, 1, 6]
        let h = try tenBins()
        let s = try h.slice(axis: 0, from: .index(2), to: .index(5))
        #expect(s.values(flow: true) == [3, 1, 1, 1, 6])
        #expect(s.axes[0].edges == [2, 3, 4, 5])
        #expect(try h.slice(axis: 0, to: .index(5)).values(flow: true) == [1, 1, 1, 1, 1, 1, 6])
    }

    @Test func sliceByLocation() throws {
        // h[bh.loc(2.5):bh.loc(6.2)] → edges 2…6, flow [3, …, 5]
        let h = try tenBins()
        let s = try h.slice(axis: 0, from: .loc(2.5), to: .loc(6.2))
        #expect(s.axes[0].edges == [2, 3, 4, 5, 6])
        #expect(s.values(flow: true) == [3, 1, 1, 1, 1, 5])
    }

    @Test func sliceWithoutFlowDrops() throws {
        var h = Histogram<DoubleStorage>(RegularAxis(bins: 10, lower: 0, upper: 10, underflow: false, overflow: false))
        try h.fill(column: stride(from: -0.5, to: 11, by: 1).map { $0 })
        #expect(try h.slice(axis: 0, from: .index(2), to: .index(5)).values(flow: true) == [1, 1, 1])
    }

    @Test func rebin() throws {
        // h[::bh.rebin(3)] → [1, 3, 3, 3, 2], edges 0, 3, 6, 9; h[1:8:bh.rebin(2)] → [2, 2, 2, 2, 4]
        let h = try tenBins()
        let r = try h.rebinned(axis: 0, by: 3)
        #expect(r.values(flow: true) == [1, 3, 3, 3, 2] && r.axes[0].edges == [0, 3, 6, 9])
        let sr = try h.slice(axis: 0, from: .index(1), to: .index(8), rebin: 2)
        #expect(sr.values(flow: true) == [2, 2, 2, 2, 4])
        // Edges come from the source axis' edge formula, like boost's reduce: 7.000000000000001.
        #expect(zip(sr.axes[0].edges, [1.0, 3, 5, 7]).allSatisfy { abs($0 - $1) < 1e-12 })
        let v = try Histogram<DoubleStorage>(VariableAxis(edges: [0, 1, 2, 4, 8])).rebinned(axis: 0, by: 2)
        #expect(v.axes[0].edges == [0, 2, 8])
    }

    @Test func projectAndSelectCategories() throws {
        // boost-histogram: StrCategory(["a","b","c"]) × Regular(2, 0, 2) filled with
        // (a,0.5) (b,1.5) (b,1.5) (z,0.1): c[loc("b"), :] == [0, 0, 2, 0]; project(1) == [0, 2, 2, 0];
        // c[1:3, :] has categories b, c and the "a" row moved into the overflow row.
        var c = Histogram<DoubleStorage>(StrCategoryAxis(categories: ["a", "b", "c"], metadata: .init(name: "cat")),
                                         RegularAxis(bins: 2, lower: 0, upper: 2))
        try c.fill(columns: [.string(["a", "b", "b", "z"]), .real([0.5, 1.5, 1.5, 0.1])])
        #expect(try c.selecting(axis: 0, .loc("b")).values(flow: true) == [0, 0, 2, 0])
        #expect(try c.selecting("cat", "b").values(flow: true) == [0, 0, 2, 0])
        #expect(try c.project(1).values(flow: true) == [0, 2, 2, 0])
        let s = try c.slice(axis: 0, from: .index(1), to: .index(3))
        #expect(s.values(flow: true) == [0, 0, 2, 0, 0, 0, 0, 0, 0, 2, 0, 0])
        let swapped = try c.project(1, 0)
        #expect(swapped.shape(flow: true) == [4, 4])
        #expect(swapped[0, 0] == 1 && swapped[0, 3] == 1)
    }

    @Test func valuesVariancesDensity() throws {
        var h = Histogram<DoubleStorage>(VariableAxis(edges: [0, 1, 3]))
        try h.fill(column: [0.5, 1, 2, 2.5, 5])
        #expect(h.values() == [1, 3] && h.variances() == [1, 3])
        #expect(h.scaled(by: 2).variances() == nil && (h + h).variances() == nil)   // unknown, as boost-histogram
        let d = h.density()
        #expect(d == [0.25, 0.375])   // 1/4/1, 3/4/2 — integrates to one
        #expect(h.shape() == [2] && h.shape(flow: true) == [4])
    }
}
