import Testing
@testable import KaonHist

@Suite struct AxisTests {
    @Test func regularIndexAndEdges() {
        let a = RegularAxis(bins: 4, lower: 0, upper: 1)
        #expect(a.index(0) == 0)
        #expect(a.index(0.25) == 1)
        #expect(a.index(0.9999) == 3)
        #expect(a.index(1) == 4)          // upper edge is overflow
        #expect(a.index(-0.0001) == -1)
        #expect(a.index(.nan) == 4)
        #expect(a.index(.infinity) == 4)
        #expect(a.index(-.infinity) == -1)
        #expect(a.edges == [0, 0.25, 0.5, 0.75, 1])
        #expect(a.extent == 6)
        #expect(a.centers == [0.125, 0.375, 0.625, 0.875])
    }

    @Test func regularWithoutOverflowIncludesUpperEdge() {
        let a = RegularAxis(bins: 4, lower: 0, upper: 1, overflow: false)
        #expect(a.index(1) == 3)
        #expect(a.index(1.5) == 4)   // no such bin: dropped by fills
        #expect(a.extent == 5)
    }

    @Test func regularFloatingPointEdgeCase() {
        // boost-histogram computes ((x - lower) / (upper - lower)) * bins: 0.3 * 10 rounds up
        // to 3.0000000000000004 → bin 3; on [0.1, 1.1) 0.6 gives 0.49999999999999994 * 10 → bin 4.
        let a = RegularAxis(bins: 10, lower: 0, upper: 1)
        #expect(a.index(0.3) == 3)
        #expect(a.index(0.7) == 7)
        let b = RegularAxis(bins: 10, lower: 0.1, upper: 1.1)
        #expect(b.index(0.6) == Int((0.6 - 0.1) / (1.1 - 0.1) * 10))
    }

    @Test func regularGrowth() {
        var a = RegularAxis(bins: 4, lower: 0, upper: 1, growth: true)
        let r = a.update(1.0)
        #expect(r.index == 4 && r.addedAbove == 1)
        #expect(a.size == 5 && a.upper == 1.25)
        let l = a.update(-0.3)
        #expect(l.index == 0 && l.addedBelow == 2)
        #expect(a.lower == -0.5)
        #expect(a.update(.nan).index == a.size)
        #expect(a.update(.infinity).addedAbove == 0)
    }

    @Test func variableIndex() {
        let a = VariableAxis(edges: [0, 1, 3])
        #expect(a.index(0) == 0 && a.index(1) == 1 && a.index(2.999) == 1)
        #expect(a.index(3) == 2 && a.index(.nan) == 2 && a.index(-1) == -1)
        let b = VariableAxis(edges: [0, 1, 3], overflow: false)
        #expect(b.index(3) == 1)
        #expect(a.widths == [1, 2])
    }

    @Test func integerAxis() {
        let a = IntegerAxis(lower: 0, upper: 3)
        #expect(a.index(-1) == -1 && a.index(0) == 0 && a.index(2.9) == 2 && a.index(3) == 3 && a.index(.nan) == 3)
        #expect(a.index(integer: 7) == 3)
        var g = IntegerAxis(lower: 0, upper: 3, growth: true)
        #expect(!g.traits.underflow && !g.traits.overflow)
        _ = g.update(-1); _ = g.update(7)
        #expect(g.lower == -1 && g.upper == 8)
    }

    @Test func categories() {
        var c = IntCategoryAxis(categories: [1, 2])
        #expect(c.index(2) == 1 && c.index(5) == 2 && c.traits.overflow)
        #expect(c.update(5).index == 2 && c.size == 2)
        var g = StrCategoryAxis(categories: [], growth: true)
        #expect(!g.traits.overflow)
        #expect(g.update("b").index == 0 && g.update("a").index == 1 && g.update("b").index == 0)
        #expect(g.categories == ["b", "a"])
        #expect(g.edges == [0, 1, 2])
        let b = BooleanAxis()
        #expect(b.index(true) == 1 && b.extent == 2)
    }

    @Test func metadataAndErasure() {
        let a = RegularAxis(bins: 2, lower: 0, upper: 1, metadata: .init(name: "x", label: "X [cm]"))
        var e = a.erased
        #expect(e.metadata.displayLabel == "X [cm]")
        e.metadata.name = "y"
        #expect(e.metadata.name == "y")
        #expect(e.sameBinning(a.erased))
        #expect(e != a.erased)
        #expect(e.index(.int(0)) == 0)
    }
}

