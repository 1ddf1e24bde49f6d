import KaonInference

/// Figures of fit results in the layout HEP fit tools use, drawn with the figures' fonts,
/// frames and inward ticks: the pulls of the constrained parameters over the ±1σ/±2σ bands,
/// and the nuisance-parameter ranking (impact bars on the POI with the pulls overlaid).
/// Each pull is a `data-role="pull"` group with `data-name`, `data-value` (the pull) and
/// `data-width` (σ̂/σ₀); each impact bar a `data-role="impact"` rectangle with `data-kind`
/// (prefit-up, …) and `data-value`.
///
/// ```swift
/// let svg = InferencePlots.pulls(model.pulls(fit), title: "Pulls")
/// ```
public enum InferencePlots {
    static let rowHeight = 30.0, labelWidth = 230.0, plotWidth = 440.0, top = 70.0, fontSize = 16.0

    /// Pulls (θ̂ − θ₀)/σ₀ with bars σ̂/σ₀, one row per parameter.
    public static func pulls(_ pulls: [Pull], title: String, style: PlotStyle = .cms(), metadata: [String: String] = [:]) -> String {
        let span = Swift.max(3, (pulls.map { abs($0.pull) + $0.pullUncertainty }.max() ?? 0).rounded(.up))
        var svg = SVGBuilder(width: labelWidth + plotWidth + 40, height: top + Double(pulls.count) * rowHeight + 70, fontFamily: style.fontFamily)
        let panel = PlotPanel(x: labelWidth, y: top, width: plotWidth, height: Double(pulls.count) * rowHeight,
                              xRange: AxisRange(scale: .linear, lower: -span, upper: span),
                              yRange: AxisRange(scale: .linear, lower: 0, upper: Double(Swift.max(1, pulls.count))), role: "main")
        header(&svg, title: title, style: style, panel: panel)
        bands(&svg, panel: panel)
        for (k, p) in pulls.enumerated() {
            let y = top + (Double(k) + 0.5) * rowHeight
            name(&svg, p.name, y: y)
            marker(&svg, name: p.name, pull: p.pull, width: p.pullUncertainty, y: y, panel: panel)
        }
        panel.drawAxes(into: &svg, style: rowStyle(style), xTitle: "(θ̂ − θ₀)/Δθ", yTitle: nil, yTicks: [])
        return svg.document(metadata: metadata)
    }

    /// The ranking: pre-fit impacts as outlined bars, post-fit ones filled (up blue, down
    /// red) on the top axis (ΔPOI), and each parameter's pull on the bottom axis.
    public static func ranking(_ entries: [RankingEntry], poi: String, title: String, style: PlotStyle = .cms(),
                               metadata: [String: String] = [:]) -> String {
        let maxImpact = entries.flatMap { [$0.prefitUp, $0.prefitDown, $0.postfitUp, $0.postfitDown].map(abs) }.max() ?? 0
        let impactSpan = maxImpact > 0 ? maxImpact * 1.15 : 1
        var svg = SVGBuilder(width: labelWidth + plotWidth + 40, height: top + 40 + Double(entries.count) * rowHeight + 70,
                             fontFamily: style.fontFamily)
        let panel = PlotPanel(x: labelWidth, y: top + 40, width: plotWidth, height: Double(Swift.max(1, entries.count)) * rowHeight,
                              xRange: AxisRange(scale: .linear, lower: -2, upper: 2),
                              yRange: AxisRange(scale: .linear, lower: 0, upper: 1), role: "main")
        let impacts = AxisRange(scale: .linear, lower: -impactSpan, upper: impactSpan)
        func ix(_ v: Double) -> Double { panel.x + impacts.fraction(v) * panel.width }
        header(&svg, title: title, style: style, panel: panel)
        // The impact scale along the top, in the post-fit colour.
        for t in impacts.majorTicks {
            let (label, _) = impacts.label(t)
            svg.element("text", [("x", .coordinate(ix(t))), ("y", .coordinate(panel.y - 8)), ("text-anchor", "middle"),
                                 ("font-size", .coordinate(fontSize * 0.85)), ("fill", "#1f4e9c"), ("data-role", "impact-tick-label")], content: label)
        }
        svg.element("text", [("x", .coordinate(panel.right)), ("y", .coordinate(panel.y - 10 - fontSize)), ("text-anchor", "end"),
                             ("font-size", .coordinate(fontSize)), ("fill", "#1f4e9c")], content: "Δ" + poi)
        for (k, e) in entries.enumerated() {
            let y = panel.y + Double(k) * rowHeight
            name(&svg, e.name, y: y + rowHeight / 2)
            for (kind, value, inset, look) in [("prefit-up", e.prefitUp, 4.0, [("fill", "none"), ("stroke", "#4c72b0")]),
                                              ("prefit-down", e.prefitDown, 4.0, [("fill", "none"), ("stroke", "#c44e52")]),
                                              ("postfit-up", e.postfitUp, 7.0, [("fill", "#4c72b0"), ("fill-opacity", "0.75")]),
                                              ("postfit-down", e.postfitDown, 7.0, [("fill", "#c44e52"), ("fill-opacity", "0.75")])]
                as [(String, Double, Double, [(String, SVGBuilder.Attribute)])] {
                let (a, b) = (ix(0), ix(value))
                svg.element("rect", [("x", .coordinate(Swift.min(a, b))), ("y", .coordinate(y + inset)), ("width", .coordinate(abs(b - a))),
                                     ("height", .coordinate(rowHeight - 2 * inset))] + look
                                + [("data-role", "impact"), ("data-name", .text(e.name)), ("data-kind", .text(kind)), ("data-value", .exact(value))])
            }
            if e.prefitUncertainty > 0 {
                marker(&svg, name: e.name, pull: e.pull, width: e.uncertainty / e.prefitUncertainty, y: y + rowHeight / 2, panel: panel)
            }
        }
        svg.element("line", [("x1", .coordinate(ix(0))), ("y1", .coordinate(panel.y)), ("x2", .coordinate(ix(0))), ("y2", .coordinate(panel.bottom)),
                             ("stroke", "#888888"), ("stroke-dasharray", "3,3")])
        panel.drawAxes(into: &svg, style: rowStyle(style), xTitle: "(θ̂ − θ₀)/Δθ", yTitle: nil, yTicks: [])
        return svg.document(metadata: metadata)
    }

    /// The style's fonts and ticks at the smaller sizes rows of names need.
    static func rowStyle(_ style: PlotStyle) -> PlotStyle {
        var s = style
        s.fontSize = fontSize
        s.tickLabelSize = fontSize * 0.85
        s.majorTick = 8
        s.minorTick = 4
        s.axisLineWidth = 1.5
        return s
    }

    static func header(_ svg: inout SVGBuilder, title: String, style: PlotStyle, panel: PlotPanel) {
        svg.element("text", [("x", .coordinate(20)), ("y", .coordinate(28)), ("font-size", .coordinate(fontSize * 1.2)),
                             ("font-weight", "bold"), ("data-role", "title")], content: title)
    }

    /// The ±2σ (yellow) and ±1σ (green) bands behind the pulls.
    static func bands(_ svg: inout SVGBuilder, panel: PlotPanel) {
        for (sigma, colour) in [(2.0, "#fff4a3"), (1.0, "#a8e6a1")] {
            svg.element("rect", [("x", .coordinate(panel.px(-sigma))), ("y", .coordinate(panel.y)), ("width", .coordinate(panel.px(sigma) - panel.px(-sigma))),
                                 ("height", .coordinate(panel.height)), ("fill", .text(colour))])
        }
    }

    static func name(_ svg: inout SVGBuilder, _ text: String, y: Double) {
        svg.element("text", [("x", .coordinate(labelWidth - 10)), ("y", .coordinate(y + fontSize * 0.35)), ("text-anchor", "end"),
                             ("font-size", .coordinate(fontSize))], content: text)
    }

    /// A pull: a marker at the pull and a bar of ± the post-fit/pre-fit width ratio.
    static func marker(_ svg: inout SVGBuilder, name: String, pull: Double, width: Double, y: Double, panel: PlotPanel) {
        let f = SVGBuilder.f
        svg.raw("<g data-role=\"pull\" data-name=\"\(xmlEscapedName(name))\" data-value=\"\(SVGBuilder.exact(pull))\" data-width=\"\(SVGBuilder.exact(width))\">")
        svg.raw("<line x1=\"\(f(panel.px(pull - width)))\" y1=\"\(f(y))\" x2=\"\(f(panel.px(pull + width)))\" y2=\"\(f(y))\" stroke=\"black\" stroke-width=\"2\"/>")
        svg.raw("<circle cx=\"\(f(panel.px(pull)))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"black\"/></g>\n")
    }

    static func xmlEscapedName(_ s: String) -> String { SVGBuilder.Attribute.text(s).text }
}
