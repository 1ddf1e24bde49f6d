import Foundation
import KaonIO

/// A 2D histogram as a colour map (viridis, as matplotlib and mplhep's `hist2dplot` draw
/// it) with a colour bar on the right, linear or logarithmic in the contents. Empty bins of
/// a log map stay white.
///
/// ```swift
/// let h = try BinnedHistogram2D(xEdges: [0, 1, 2], yEdges: [0, 1], values: [[1, 4]])
/// let svg = try ColorMapPlot(histogram: h, style: .cms()).svg()
/// ```
public struct ColorMapPlot: Sendable {
    public var histogram: BinnedHistogram2D
    public var style: PlotStyle
    public var xTitle: String?, yTitle: String?
    public var logZ = false
    public var metadata: [String: String] = [:]

    public init(histogram: BinnedHistogram2D, style: PlotStyle) {
        self.histogram = histogram
        self.style = style
    }

    /// Viridis at eleven evenly spaced points; colours between are interpolated linearly.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 36, 117), (65, 68, 135), (53, 95, 141), (42, 120, 142), (33, 145, 140),
        (34, 168, 132), (68, 191, 112), (122, 209, 81), (189, 223, 38), (253, 231, 37),
    ]

    /// The colour at `t` ∈ [0, 1].
    static func colour(at t: Double) -> String {
        let x = Swift.min(1, Swift.max(0, t)) * Double(viridis.count - 1)
        let i = Swift.min(viridis.count - 2, Int(x)), u = x - Double(i)
        let a = viridis[i], b = viridis[i + 1]
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * u).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    public func svg() throws -> String {
        let h = histogram
        let all = h.values.flatMap { $0 }.filter(\.isFinite)
        let zRange: AxisRange
        if logZ {
            let lower = logAxisMinimum(all)
            zRange = AxisRange(scale: .log, lower: lower, upper: Swift.max(all.max() ?? 1, lower * 10))
        } else {
            let lo = Swift.min(0, all.min() ?? 0), hi = all.max() ?? 1
            zRange = AxisRange(scale: .linear, lower: lo, upper: hi > lo ? hi : lo + 1)
        }
        // The colour bar takes the right part of the axes box, as matplotlib's colorbar()
        // steals 15 % of the axes' width with a gap, and leaves room for its labels.
        let x0 = style.left * style.width, x1 = style.right * style.width
        let y0 = (1 - style.top) * style.height, y1 = (1 - style.bottom) * style.height
        let mapWidth = (x1 - x0) * 0.78, barWidth = (x1 - x0) * 0.045
        let panel = PlotPanel(x: x0, y: y0, width: mapWidth, height: y1 - y0,
                              xRange: AxisRange(scale: .linear, lower: h.xEdges.first!, upper: h.xEdges.last!),
                              yRange: AxisRange(scale: .linear, lower: h.yEdges.first!, upper: h.yEdges.last!), role: "main")
        let bar = PlotPanel(x: x0 + (x1 - x0) * 0.83, y: y0, width: barWidth, height: y1 - y0,
                            xRange: AxisRange(scale: .linear, lower: 0, upper: 1), yRange: zRange, role: "colour-bar")
        var svg = SVGBuilder(width: style.width, height: style.height, fontFamily: style.fontFamily)
        _ = ExperimentLabel.draw(into: &svg, style: style, panel: PlotPanel(x: x0, y: y0, width: x1 - x0, height: y1 - y0, xRange: panel.xRange,
                                                                          yRange: panel.yRange, role: "figure"), outside: true)
        svg.raw("<g shape-rendering=\"crispEdges\">\n")
        for (j, row) in h.values.enumerated() {
            for (i, v) in row.enumerated() where v.isFinite && !(logZ && v <= 0) {
                let top = panel.py(h.yEdges[j + 1]), bottom = panel.py(h.yEdges[j])
                svg.element("rect", [("x", .coordinate(panel.px(h.xEdges[i]))), ("y", .coordinate(top)),
                                     ("width", .coordinate(panel.px(h.xEdges[i + 1]) - panel.px(h.xEdges[i]))), ("height", .coordinate(bottom - top)),
                                     ("fill", .text(Self.colour(at: zRange.fraction(v)))), ("data-role", "cell"),
                                     ("data-x", .exact(Double(i))), ("data-y", .exact(Double(j))), ("data-value", .exact(v))])
            }
        }
        let steps = 64
        for k in 0..<steps {
            let top = bar.y + bar.height * Double(steps - k - 1) / Double(steps)
            svg.element("rect", [("x", .coordinate(bar.x)), ("y", .coordinate(top)), ("width", .coordinate(bar.width)),
                                 ("height", .coordinate(bar.height / Double(steps) + 0.5)), ("fill", .text(Self.colour(at: (Double(k) + 0.5) / Double(steps))))])
        }
        svg.raw("</g>\n")
        panel.drawAxes(into: &svg, style: style, xTitle: xTitle ?? h.xTitle, yTitle: yTitle ?? h.yTitle)
        // The colour bar's scale on its right side.
        for v in zRange.majorTicks where zRange.fraction(v) >= -1e-6 && zRange.fraction(v) <= 1 + 1e-6 {
            let y = bar.bottom - zRange.fraction(v) * bar.height
            let (base, exponent) = zRange.label(v)
            svg.element("line", [("x1", .coordinate(bar.right - style.majorTick / 2)), ("y1", .coordinate(y)), ("x2", .coordinate(bar.right)),
                                 ("y2", .coordinate(y)), ("stroke", "black")])
            svg.element("text", [("x", .coordinate(bar.right + 6)), ("y", .coordinate(y + style.tickLabelSize * 0.35)),
                                 ("font-size", .coordinate(style.tickLabelSize)), ("data-role", "z-tick-label")], content: base + superscript(exponent))
        }
        svg.element("rect", [("x", .coordinate(bar.x)), ("y", .coordinate(bar.y)), ("width", .coordinate(bar.width)), ("height", .coordinate(bar.height)),
                             ("fill", "none"), ("stroke", "black"), ("stroke-width", .coordinate(style.axisLineWidth)), ("data-role", "frame-colour-bar"),
                             ("data-zmin", .exact(zRange.lower)), ("data-zmax", .exact(zRange.upper))])
        return svg.document(metadata: metadata)
    }
}
