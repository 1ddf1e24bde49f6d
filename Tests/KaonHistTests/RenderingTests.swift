import Testing
import KaonIO
@testable import KaonHist

@Suite struct RenderingTests {
    @Test func textPlotShowsEdgesCountsAndBars() throws {
        var h = Histogram<DoubleStorage>(RegularAxis(bins: 3, lower: 0, upper: 1.5, metadata: .init(name: "x", label: "x [cm]")))
        try h.fill(column: [0.1, 0.1, 0.6, 0.6, 0.6, 0.6, 5])
        let text = h.textPlot(width: 40)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "x [cm]")
        #expect(lines[1].hasPrefix("[0, 0.5)"))
        #expect(lines[2].contains(" 4 "))
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines[2].hasSuffix("█"))
        #expect(!lines[3].contains("█"))
        let withFlow = h.textPlot(width: 40, flow: true)
        #expect(withFlow.contains("[1.5, +inf)"))
        var w = Histogram<WeightStorage>(StrCategoryAxis(categories: ["a", "b"]))
        try w.fill("a", weight: 2)
        #expect(w.textPlot().contains("2 ± 2"))
    }

    @Test func niceTicksAndLabels() {
        #expect(niceTicks(0, 87, count: 5) == [0, 20, 40, 60, 80])
        #expect(niceTicks(-1, 1, count: 4) == [-1, -0.5, 0, 0.5, 1])
        #expect(niceTicks(0, 0.3, count: 3) == [0, 0.1, 0.2, 0.3])
        #expect(tickLabel(0.5, step: 0.5) == "0.5")
        #expect(tickLabel(20, step: 20) == "20")
    }

    @Test func svgHasAxesTicksLabelsErrorBars() throws {
        var h = Histogram<WeightStorage>(RegularAxis(bins: 20, lower: -3, upper: 3, metadata: .init(name: "x", label: "x <&> y")),
                                         metadata: .init(name: "demo", label: "Demo"))
        try h.fill(column: SplitMix64.approximateNormals(count: 2000, seed: 5), weights: Array(repeating: 1.5, count: 2000))
        let svg = h.svgPlot()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("x &lt;&amp;&gt; y"))
        #expect(svg.contains(">Demo</text>"))
        #expect(svg.contains("<path d=\"M "))
        #expect(svg.ranges(of: "<circle").count == 20)   // one error bar marker per filled bin
        #expect(svg.contains(">-3</text>") && svg.contains(">3</text>"))
    }
}

