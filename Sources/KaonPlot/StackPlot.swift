import Foundation
import KaonIO

/// The data/prediction figure: simulated backgrounds stacked (first at the bottom), signals
/// stacked on top or drawn as lines over them, data as points with Garwood Poisson error
/// bars, the prediction's uncertainty (stat ⊕ syst) hatched, and optionally a ratio panel
/// (data / prediction with the relative band) below — the plot of every analysis talk.
///
/// Every drawn number is also written as a `data-*` attribute of its element
/// (`data-role="stack"`, `"data-point"`, `"mc-band"`, `"ratio-point"`, `"ratio-band"`,
/// `"signal"`), so a test or a script can read the values back from the SVG.
///
/// ```swift
/// let edges = [0.0, 1, 2, 3]
/// var plot = StackPlot(style: .cms(luminosity: 10, luminosityUnit: "pb"))
/// plot.background = [PlotSample(legend: "tt̄", nominal: try BinnedHistogram(edges: edges, values: [1, 2, 3]))]
/// plot.data = try BinnedHistogram(edges: edges, values: [2, 1, 4])
/// let svg = try plot.svg()
/// ```
public struct StackPlot: Sendable {
    public var style: PlotStyle
    /// Stacked predictions, drawn bottom first.
    public var background: [PlotSample] = []
    /// Signals: stacked on top of the backgrounds when `stackSignals`, else drawn as lines.
    public var signals: [PlotSample] = []
    public var stackSignals = false
    public var data: BinnedHistogram?
    public var dataLegend = "Data"
    public var xTitle = ""
    public var yTitle = "Events"
    public var logY = false
    /// Draw the data / prediction panel (needs data and a prediction).
    public var ratio = true
    /// X intervals where data stay hidden (bins that overlap them are not drawn).
    public var blinded: [ClosedRange<Double>] = []
    /// Names of the bins when the x axis is a list of categories (a cut flow's selections).
    public var xCategories: [String]?
    /// Written into the SVG's `<metadata>`.
    public var metadata: [String: String] = [:]

    public init(style: PlotStyle = .cms()) {
        self.style = style
    }

    /// The SVG document.
    public func svg() throws -> String {
        var stacked = background + (stackSignals ? signals : [])
        let overlaid = stackSignals ? [] : signals
        guard let reference = stacked.first?.nominal ?? overlaid.first?.nominal ?? data else {
            throw KaonError(.usage, "a stack plot needs at least one histogram")
        }
        let edges = reference.edges, n = reference.count
        for sample in stacked + overlaid where sample.nominal.edges != edges {
            throw KaonError(.usage, "'\(sample.legend)' does not have the binning of the other histograms of the plot")
        }
        if let data, data.edges != edges { throw KaonError(.usage, "the data do not have the binning of the prediction") }
        var colours = style.palette.makeIterator()
        for i in stacked.indices where stacked[i].colour == nil { stacked[i].colour = colours.next() ?? "#9c9ca1" }
        let overlaidColours = ["#e42536", "#000000", "#7a21dd", "#f89c20"]

        // Cumulative tops of the stacked layers and the prediction's band.
        var tops: [[Double]] = []
        var running = [Double](repeating: 0, count: n)
        for sample in stacked {
            for i in 0..<n where sample.nominal.values[i].isFinite { running[i] += sample.nominal.values[i] }
            tops.append(running)
        }
        let band = stacked.isEmpty ? nil : try PredictionUncertainty(stacked)
        let shown: [Bool] = (0..<n).map { i in !blinded.contains { $0.lowerBound < edges[i + 1] && $0.upperBound > edges[i] } }
        let points: [(value: Double, lower: Double, upper: Double)?] = (0..<n).map { i in
            guard let data, shown[i] else { return nil }
            let interval = PoissonInterval.interval(value: data.values[i], variance: data.variances[i])
            return (data.values[i], interval.lower, interval.upper)
        }

        // Geometry: the axes box of the style, split 3 : 1 when there is a ratio panel.
        let drawRatio = ratio && data != nil && !stacked.isEmpty
        let x0 = style.left * style.width, x1 = style.right * style.width
        let y0 = (1 - style.top) * style.height, y1 = (1 - style.bottom) * style.height
        let mainHeight = drawRatio ? (y1 - y0) * 0.75 : y1 - y0
        let xRange = AxisRange(scale: .linear, lower: edges[0], upper: edges[n])

        var obstacles: [LegendPlacement.Obstacle] = []
        var positives: [Double] = running + (data?.values ?? [])
        for i in 0..<n {
            var top = running[i]
            if let band { top = Swift.max(top, band.upper[i]) }
            if let p = points[i] { top = Swift.max(top, p.upper) }
            for s in overlaid { top = Swift.max(top, s.nominal.values[i]); positives.append(s.nominal.values[i]) }
            obstacles.append(.init(lo: edges[i], hi: edges[i + 1], top: top))
        }
        let highest = obstacles.map(\.top).filter(\.isFinite).max() ?? 1
        var yRange: AxisRange
        if logY {
            let lower = logAxisMinimum(positives)
            let upper = Swift.max(highest, lower * 10)
            yRange = AxisRange(scale: .log, lower: lower, upper: pow(10, log10(upper) + 0.05 * log10(upper / lower)))
        } else {
            yRange = AxisRange(scale: .linear, lower: 0, upper: highest > 0 ? highest * 1.05 : 1)
        }
        var main = PlotPanel(x: x0, y: y0, width: x1 - x0, height: mainHeight, xRange: xRange, yRange: yRange, role: "main")

        var svg = SVGBuilder(width: style.width, height: style.height, fontFamily: style.fontFamily)
        let reserved = ExperimentLabel.draw(into: &svg, style: style, panel: main)

        var entries: [LegendEntry] = []
        if data != nil { entries.append(.init(handle: .marker, text: dataLegend)) }
        for sample in stacked.reversed() { entries.append(.init(handle: .fill(sample.colour!), text: sample.legend)) }
        for (k, sample) in overlaid.enumerated() { entries.append(.init(handle: .line(sample.colour ?? overlaidColours[k % overlaidColours.count]), text: sample.legend)) }
        if let band, zip(band.lower, band.upper).contains(where: { $0 < $1 }) {
            entries.append(.init(handle: .hatch, text: "Stat. ⊕ syst. unc."))
        }
        let placement = LegendPlacement.place(size: LegendPlacement.size(of: entries, style: style), panel: main,
                                              obstacles: obstacles, reserved: reserved)
        main.yRange.upper = placement.upper

        let f = SVGBuilder.f
        svg.raw("<defs>\n" + main.clipDefinition())
        svg.raw("<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"><path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\" stroke=\"#555555\" stroke-width=\"1\"/></pattern>\n")
        var ratioPanel: PlotPanel?
        if drawRatio {
            let r = PlotPanel(x: x0, y: y0 + mainHeight, width: x1 - x0, height: (y1 - y0) - mainHeight, xRange: xRange,
                              yRange: AxisRange(scale: .linear, lower: 0.5, upper: 1.5), role: "ratio")
            ratioPanel = r
            svg.raw(r.clipDefinition())
        }
        svg.raw("</defs>\n")

        // The stack: one rectangle per layer and bin (crisp edges, so neighbours leave no seam).
        svg.raw("<g clip-path=\"url(#clip-main)\" shape-rendering=\"crispEdges\">\n")
        for (layer, top) in tops.enumerated() {
            let sample = stacked[layer]
            for i in 0..<n {
                let floor = layer == 0 ? 0 : tops[layer - 1][i]
                let lowY = main.py(logY && floor <= 0 ? main.yRange.lower : floor), highY = main.py(top[i])
                svg.element("rect", [("x", .coordinate(main.px(edges[i]))), ("y", .coordinate(highY)),
                                     ("width", .coordinate(main.px(edges[i + 1]) - main.px(edges[i]))), ("height", .coordinate(Swift.max(0, lowY - highY))),
                                     ("fill", .text(sample.colour!)), ("data-role", "stack"), ("data-sample", .text(sample.legend)),
                                     ("data-bin", .exact(Double(i))), ("data-value", .exact(sample.nominal.values[i])),
                                     ("data-top", .exact(top[i]))])
            }
        }
        svg.raw("</g>\n<g clip-path=\"url(#clip-main)\">\n")
        // Layer outlines, so that equal colours of neighbouring layers stay apart.
        for top in tops {
            var path = "M \(f(main.px(edges[0]))) \(f(main.py(top[0])))"
            for i in 0..<n { path += " V \(f(main.py(top[i]))) H \(f(main.px(edges[i + 1])))" }
            svg.element("path", [("d", .text(path)), ("fill", "none"), ("stroke", "black"), ("stroke-width", 0.6)])
        }
        if let band {
            for i in 0..<n where band.nominal[i] > 0 || band.upper[i] > 0 {
                let hiY = main.py(band.upper[i]), loY = main.py(Swift.max(band.lower[i], logY ? main.yRange.lower : 0))
                svg.element("rect", [("x", .coordinate(main.px(edges[i]))), ("y", .coordinate(hiY)),
                                     ("width", .coordinate(main.px(edges[i + 1]) - main.px(edges[i]))), ("height", .coordinate(Swift.max(0, loY - hiY))),
                                     ("fill", "url(#hatch)"), ("data-role", "mc-band"), ("data-bin", .exact(Double(i))),
                                     ("data-nominal", .exact(band.nominal[i])), ("data-lo", .exact(band.lower[i])), ("data-hi", .exact(band.upper[i]))])
            }
        }
        for (k, sample) in overlaid.enumerated() {
            let colour = sample.colour ?? overlaidColours[k % overlaidColours.count]
            var path = "M \(f(main.px(edges[0]))) \(f(main.py(sample.nominal.values[0])))"
            for i in 0..<n { path += " V \(f(main.py(sample.nominal.values[i]))) H \(f(main.px(edges[i + 1])))" }
            svg.element("path", [("d", .text(path)), ("fill", "none"), ("stroke", .text(colour)), ("stroke-width", 3),
                                 ("data-role", "signal"), ("data-sample", .text(sample.legend)),
                                 ("data-values", .text(sample.nominal.values.map(SVGBuilder.exact).joined(separator: " ")))])
        }
        let radius = style.fontSize * 0.2
        for i in 0..<n {
            guard let p = points[i] else { continue }
            let x = main.px((edges[i] + edges[i + 1]) / 2)
            svg.raw("<g data-role=\"data-point\" data-bin=\"\(i)\" data-x=\"\(SVGBuilder.exact((edges[i] + edges[i + 1]) / 2))\" data-value=\"\(SVGBuilder.exact(p.value))\" data-lo=\"\(SVGBuilder.exact(p.lower))\" data-hi=\"\(SVGBuilder.exact(p.upper))\">")
            svg.raw("<line x1=\"\(f(x))\" y1=\"\(f(main.py(Swift.max(p.lower, logY ? main.yRange.lower : p.lower))))\" x2=\"\(f(x))\" y2=\"\(f(main.py(p.upper)))\" stroke=\"black\" stroke-width=\"2\"/>")
            if !(logY && p.value <= 0) {
                svg.raw("<circle cx=\"\(f(x))\" cy=\"\(f(main.py(p.value)))\" r=\"\(f(radius))\" fill=\"black\"/>")
            }
            svg.raw("</g>\n")
        }
        svg.raw("</g>\n")
        main.drawAxes(into: &svg, style: style, xTitle: drawRatio ? nil : xTitle, yTitle: yTitle, xLabels: !drawRatio, xCategories: xCategories)
        LegendPlacement.draw(entries, in: placement.box, style: style, into: &svg)

        if var r = ratioPanel, let band {
            drawRatioPanel(&r, band: band, points: points, edges: edges, into: &svg)
        }
        return svg.document(metadata: metadata)
    }

    /// Data / prediction with the prediction's relative band around 1; the y range is
    /// 0.5–1.5, or 0–2 when points fall outside (points beyond are cut, as in CMS figures).
    private func drawRatioPanel(_ panel: inout PlotPanel, band: PredictionUncertainty,
                                points: [(value: Double, lower: Double, upper: Double)?], edges: [Double], into svg: inout SVGBuilder) {
        let f = SVGBuilder.f
        let n = edges.count - 1
        var ratios: [(i: Int, value: Double, lower: Double, upper: Double)] = []
        for i in 0..<n {
            guard let p = points[i], band.nominal[i] > 0 else { continue }
            let d = band.nominal[i]
            ratios.append((i, p.value / d, p.lower / d, p.upper / d))
        }
        let extreme = ratios.map { abs($0.value - 1) }.max() ?? 0
        panel.yRange = AxisRange(scale: .linear, lower: extreme <= 0.45 ? 0.5 : 0, upper: extreme <= 0.45 ? 1.5 : 2)
        svg.raw("<g clip-path=\"url(#clip-ratio)\">\n")
        for i in 0..<n where band.nominal[i] > 0 {
            let lo = band.lower[i] / band.nominal[i], hi = band.upper[i] / band.nominal[i]
            let hiY = panel.py(hi), loY = panel.py(lo)
            svg.element("rect", [("x", .coordinate(panel.px(edges[i]))), ("y", .coordinate(hiY)),
                                 ("width", .coordinate(panel.px(edges[i + 1]) - panel.px(edges[i]))), ("height", .coordinate(Swift.max(0, loY - hiY))),
                                 ("fill", "#9c9ca1"), ("fill-opacity", "0.5"), ("shape-rendering", "crispEdges"),
                                 ("data-role", "ratio-band"), ("data-bin", .exact(Double(i))), ("data-lo", .exact(lo)), ("data-hi", .exact(hi))])
        }
        svg.element("line", [("x1", .coordinate(panel.x)), ("y1", .coordinate(panel.py(1))), ("x2", .coordinate(panel.right)),
                             ("y2", .coordinate(panel.py(1))), ("stroke", "black"), ("stroke-width", 1), ("stroke-dasharray", "6 4")])
        let radius = style.fontSize * 0.2
        for r in ratios {
            let x = panel.px((edges[r.i] + edges[r.i + 1]) / 2)
            svg.raw("<g data-role=\"ratio-point\" data-bin=\"\(r.i)\" data-value=\"\(SVGBuilder.exact(r.value))\" data-lo=\"\(SVGBuilder.exact(r.lower))\" data-hi=\"\(SVGBuilder.exact(r.upper))\">")
            svg.raw("<line x1=\"\(f(x))\" y1=\"\(f(panel.py(r.lower)))\" x2=\"\(f(x))\" y2=\"\(f(panel.py(r.upper)))\" stroke=\"black\" stroke-width=\"2\"/>")
            svg.raw("<circle cx=\"\(f(x))\" cy=\"\(f(panel.py(r.value)))\" r=\"\(f(radius))\" fill=\"black\"/></g>\n")
        }
        svg.raw("</g>\n")
        let ticks = niceTicksFor(panel.yRange)
        panel.drawAxes(into: &svg, style: style, xTitle: xTitle, yTitle: "Data/Pred.", yTicks: ticks, xCategories: xCategories)
    }

    /// Three labelled ticks for the ratio panel, away from its top and bottom edges where they
    /// would collide with the main panel's labels.
    private func niceTicksFor(_ range: AxisRange) -> [Double] {
        range.upper == 1.5 ? [0.6, 1, 1.4] : [0.5, 1, 1.5]
    }
}
