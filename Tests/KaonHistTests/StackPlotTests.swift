import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KaonHist
import Testing

@Suite struct StackPlotTests {
    func histogram(_ values: [Double]) throws -> Histogram<WeightStorage> {
        var h = Histogram<WeightStorage>(RegularAxis(bins: values.count, lower: 0, upper: Double(values.count),
                                                     metadata: .init(name: "x", label: "m [GeV]")))
        for (i, v) in values.enumerated() { try h.fill(.double(Double(i) + 0.5), weight: v) }
        return h
    }

    @Test func layersStackAndDataIsDrawnAsPoints() throws {
        let svg = try svgStackPlot(stack: [("tt̄", histogram([1, 2, 3])), ("Drell–Yan", histogram([4, 5, 6]))],
                                   data: ("data", histogram([5, 8, 9])), options: .init(title: "Stack <test>"))
        let document = try XMLDocument(xmlString: svg)
        #expect(document.rootElement()?.name == "svg")
        // Two filled layers, three data points plus the legend marker, every label present.
        #expect(svg.ranges(of: "<path").count == 2)
        #expect(svg.ranges(of: "<circle").count == 4)
        for label in ["tt̄", "Drell–Yan", "data", "Stack &lt;test&gt;", "m [GeV]", ">Events<"] { #expect(svg.contains(label), "\(label)") }
        // The second layer's top in the first bin sits at 1 + 4 = 5, the height of the first data point.
        let layer = svg.components(separatedBy: "<path d=\"")[2]
        let point = svg.components(separatedBy: "<circle cx=\"")[1]
        let cy = point.components(separatedBy: "cy=\"")[1].prefix { $0 != "\"" }
        #expect(layer.contains(" V \(cy) "), "layer 2 top in bin 1 should be at the data point's height \(cy)")
    }

    @Test func mismatchedBinningIsAnError() throws {
        #expect(throws: (any Error).self) {
            _ = try svgStackPlot(stack: [("a", histogram([1, 2])), ("b", histogram([1, 2, 3]))])
        }
    }
}
