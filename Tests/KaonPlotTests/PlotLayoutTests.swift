import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KaonPlot
import Testing

/// Layout decisions of the figures: where the legend goes, the log axis' range, the ticks,
/// and the numbers drawn.
@Suite struct PlotLayoutTests {
    let edges = (0...10).map(Double.init)

    func plot(background: [Double], data: [Double], log: Bool = false) throws -> StackPlot {
        var plot = StackPlot(style: .cms(luminosity: 10, luminosityUnit: "pb"))
        plot.background = [PlotSample(legend: "Background", nominal: try BinnedHistogram(edges: edges, values: background))]
        plot.data = try BinnedHistogram(edges: edges, values: data)
        plot.logY = log
        plot.xTitle = "m [GeV]"
        return plot
    }

    /// The legend box and, per bin, the highest drawn point (stack top, band or error bar) in
    /// figure coordinates.
    func legendAndTops(_ svg: String) throws -> (legend: (x: Double, y: Double, right: Double, bottom: Double), tops: [(x0: Double, x1: Double, y: Double)]) {
        let reading = try SVGReading(svg)
        let legend = try #require(reading.elements("legend").first)
        let x = reading.number(legend, "data-x"), y = reading.number(legend, "data-y")
        var tops: [Int: (Double, Double, Double)] = [:]
        for rect in try reading.elements("stack") + reading.elements("mc-band") {
            let bin = Int(reading.number(rect, "data-bin"))
            let rx = reading.number(rect, "x"), ry = reading.number(rect, "y"), w = reading.number(rect, "width")
            tops[bin] = (rx, rx + w, Swift.min(ry, tops[bin]?.2 ?? .infinity))
        }
        for point in try reading.document.nodes(forXPath: "//*[@data-role='data-point']/*[local-name()='line']") {
            guard let bin = Int(SVGReading.attribute(point.parent, "data-bin") ?? "") else { continue }
            let upper = Swift.min(Double(SVGReading.attribute(point, "y1")!)!, Double(SVGReading.attribute(point, "y2")!)!)
            tops[bin] = (tops[bin]!.0, tops[bin]!.1, Swift.min(upper, tops[bin]!.2))
        }
        return ((x, y, x + reading.number(legend, "data-width"), y + reading.number(legend, "data-height")),
                tops.values.map { (x0: $0.0, x1: $0.1, y: $0.2) })
    }

    func expectLegendClear(_ svg: String, _ comment: Comment) throws {
        let (legend, tops) = try legendAndTops(svg)
        for top in tops where top.x0 < legend.right && top.x1 > legend.x {
            #expect(top.y > legend.bottom, comment)
        }
    }

    @Test func legendGoesToTheCornerWithHeadroom() throws {
        let falling: [Double] = [900, 800, 600, 400, 200, 100, 50, 20, 10, 5]
        let svgFalling = try plot(background: falling, data: falling).svg()
        let (legendFalling, _) = try legendAndTops(svgFalling)
        #expect(legendFalling.x > 360, "a falling spectrum leaves the upper right free")
        try expectLegendClear(svgFalling, "falling spectrum")

        let rising = Array(falling.reversed())
        let svgRising = try plot(background: rising, data: rising).svg()
        let (legendRising, _) = try legendAndTops(svgRising)
        #expect(legendRising.right < 360, "a rising spectrum leaves the upper left free")
        try expectLegendClear(svgRising, "rising spectrum")
    }

    @Test func flatSpectrumExtendsTheYRangeUnderTheLegend() throws {
        let flat = [Double](repeating: 500, count: 10)
        let svg = try plot(background: flat, data: flat).svg()
        try expectLegendClear(svg, "flat spectrum")
        let frame = try #require(try SVGReading(svg).elements("frame-main").first)
        #expect(Double(frame["data-ymax"]!)! > 600, "the range grows beyond the 5 % margin to make room")
        try expectLegendClear(try plot(background: flat, data: flat, log: true).svg(), "flat spectrum, log scale")
    }

    @Test func logScaleStartsBelowTheSmallestContentAtAPowerOfTen() throws {
        #expect(logAxisMinimum([0, 3, 1000]) == 1)
        #expect(logAxisMinimum([0.04, 7]) == 0.01)
        #expect(logAxisMinimum([1e-9, 1e3]) == 1e-3, "at most six decades below the largest")
        #expect(logAxisMinimum([0, -1]) == 0.1, "nothing positive: a default decade")

        var logPlot = try plot(background: [5000, 900, 100, 30, 8, 3, 1, 0, 0, 0], data: [5100, 870, 95, 33, 6, 2, 1, 0, 1, 0], log: true)
        logPlot.ratio = false  // only the main panel's labels
        let svg = try logPlot.svg()
        let reading = try SVGReading(svg)
        let frame = try #require(try reading.elements("frame-main").first)
        #expect(frame["data-yscale"] == "log")
        #expect(Double(frame["data-ymin"]!) == 0.1, "half the smallest positive content (1), rounded down to 0.1")
        let labels = try reading.elements("y-tick-label").map { $0["#text"]! }
        #expect(labels.contains("10⁰") && labels.contains("10³"), "\(labels)")
        #expect(labels.allSatisfy { $0.hasPrefix("10") }, "log ticks are powers of ten: \(labels)")
    }

    @Test func ticksAreNiceNumbersAndPointInwards() throws {
        var plot = try plot(background: [10, 20, 40, 70, 80, 60, 40, 20, 10, 5], data: [12, 18, 41, 75, 79, 55, 43, 18, 9, 6])
        plot.ratio = false
        let svg = try plot.svg()
        let reading = try SVGReading(svg)
        let x = try reading.elements("x-tick-label").map { $0["#text"]! }
        #expect(x == ["0", "2", "4", "6", "8", "10"])
        let y = try reading.elements("y-tick-label").map { Double($0["#text"]!)! }
        #expect(y.first == 0 && y.count >= 4 && y.count <= 8, "\(y)")
        let steps = Set(zip(y, y.dropFirst()).map { $1 - $0 })
        #expect(steps.count == 1, "evenly spaced: \(y)")
        // Every tick line lies within the frame (ticks point in).
        let frame = try #require(try reading.elements("frame-main").first)
        let (fx, fy) = (reading.number(frame, "x"), reading.number(frame, "y"))
        let (fw, fh) = (reading.number(frame, "width"), reading.number(frame, "height"))
        let lines = try reading.document.nodes(forXPath: "/*/*[local-name()='line']")
        #expect(lines.count > 20)
        for line in lines {
            for (key, lo, hi) in [("x1", fx, fx + fw), ("x2", fx, fx + fw), ("y1", fy, fy + fh), ("y2", fy, fy + fh)] {
                let v = try #require(Double(SVGReading.attribute(line, key) ?? ""), "\(line)")
                #expect(v >= lo - 0.01 && v <= hi + 0.01, "tick \(key) = \(v) outside [\(lo), \(hi)]")
            }
        }
    }

    @Test func drawnNumbersAreTheHistogramsAndGarwoodIntervals() throws {
        var plot = try plot(background: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], data: [0, 1, 10, 4, 5, 6, 7, 8, 9, 10])
        plot.blinded = [8.5...9.5]
        let reading = try SVGReading(try plot.svg())
        let points = try reading.elements("data-point")
        #expect(points.map { Int($0["data-bin"]!)! } == [0, 1, 2, 3, 4, 5, 6, 7], "bins 8 and 9 overlap the blinded range")
        // Garwood intervals at 68.27 % (tables of Garwood 1936 and the PDG's Poisson limits).
        let expected: [Int: (Double, Double)] = [0: (0, 1.8410), 1: (0.1728, 3.2995), 2: (6.8913, 14.2669)]
        for (bin, (lo, hi)) in expected {
            let point = points[bin]
            #expect(abs(reading.number(point, "data-lo") - lo) < 1e-3 && abs(reading.number(point, "data-hi") - hi) < 1e-3, "bin \(bin): \(point)")
        }
        let ratios = try reading.elements("ratio-point")
        #expect(abs(reading.number(ratios[2], "data-value") - 10.0 / 3) < 1e-12)
        let band = try reading.elements("ratio-band")
        #expect(abs(reading.number(band[3], "data-hi") - 1.5) < 1e-12, "1 + √4 / 4: the statistical band alone")
    }

    @Test func systematicBandAddsUpAndDownShiftsInQuadrature() throws {
        let nominal = try BinnedHistogram(edges: [0, 1, 2], values: [100, 50], variances: [9, 16])
        let up = try BinnedHistogram(edges: [0, 1, 2], values: [104, 47])
        let down = try BinnedHistogram(edges: [0, 1, 2], values: [97, 52])
        let other = try BinnedHistogram(edges: [0, 1, 2], values: [10, 10], variances: [0, 0])
        let band = try PredictionUncertainty([
            PlotSample(legend: "A", nominal: nominal, variations: ["jesUp": up, "jesDown": down]),
            PlotSample(legend: "B", nominal: other, variations: ["lumi_up": other.scaled(1.1)]),
        ])
        #expect(band.nominal == [110, 60])
        // Bin 1: stat 3, jes +4/−3, lumi +1 → up √(9 + 16 + 1), down √(9 + 9).
        #expect(abs(band.upper[0] - (110 + 26.0.squareRoot())) < 1e-12)
        #expect(abs(band.lower[0] - (110 - 18.0.squareRoot())) < 1e-12)
        // Bin 2: stat 4, jes −3/+2, lumi +1 → up √(16 + 4 + 1), down √(16 + 9).
        #expect(abs(band.upper[1] - (60 + 21.0.squareRoot())) < 1e-12)
        #expect(abs(band.lower[1] - 55) < 1e-12)
    }

    @Test func metadataIsWrittenEscapedIntoEverySVG() throws {
        var stack = try plot(background: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        stack.metadata = ["command": "kaon plot <x> & y", "kaon-version": "0.1.0"]
        var map = ColorMapPlot(histogram: try BinnedHistogram2D(xEdges: [0, 1, 2], yEdges: [0, 1, 2], values: [[1, 2], [3, 4]]), style: .atlas())
        map.metadata = stack.metadata
        for svg in [try stack.svg(), try map.svg()] {
            let entries = try SVGReading(svg).document.nodes(forXPath: "//*[local-name()='metadata']/*")
            #expect(entries.map { SVGReading.attribute($0, "key") ?? "" } == ["command", "kaon-version"])
            #expect(entries.first?.stringValue == "kaon plot <x> & y")
        }
    }

    @Test func experimentLabelsFollowTheStyles() throws {
        let cms = try SVGReading(try plot(background: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).svg())
        #expect(try cms.elements("experiment").first?["#text"] == "CMS")
        #expect(try cms.elements("experiment-label").first?["#text"] == "Open Data")
        #expect(try cms.elements("luminosity").first?["#text"] == "10 pb⁻¹ (13 TeV)")
        let frame = try #require(try cms.elements("frame-main").first)
        #expect(cms.number(try cms.elements("experiment")[0], "y") < cms.number(frame, "y"), "CMS writes its label above the axes")

        var atlasPlot = try plot(background: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        atlasPlot.style = .atlas(luminosity: 140)
        let atlas = try SVGReading(try atlasPlot.svg())
        #expect(try atlas.elements("luminosity").first?["#text"] == "√s = 13 TeV, 140 fb⁻¹")
        let atlasFrame = try #require(try atlas.elements("frame-main").first)
        #expect(atlas.number(try atlas.elements("experiment")[0], "y") > atlas.number(atlasFrame, "y"), "ATLAS writes it inside")
        try expectLegendClear(try atlasPlot.svg(), "ATLAS")
    }
}
