/// One set of axes in a figure: its rectangle in figure coordinates, its x and y ranges, and
/// the drawing of its frame, inward ticks on all four sides and tick labels, as matplotlib
/// draws axes in the mplhep styles.
struct PlotPanel {
    /// Left, top, width and height in figure points (y grows downwards, as in SVG).
    var x: Double, y: Double, width: Double, height: Double
    var xRange: AxisRange, yRange: AxisRange
    /// What the panel is, for the `data-role` of its frame ("main", "ratio", "colour-bar").
    var role: String

    var right: Double { x + width }
    var bottom: Double { y + height }

    /// The horizontal position of abscissa `v`.
    func px(_ v: Double) -> Double { x + xRange.fraction(v) * width }
    /// The vertical position of ordinate `v`, clamped just outside the panel so that a bar
    /// running off the top (or a zero on a log axis) is cut by the frame.
    func py(_ v: Double) -> Double {
        let f = yRange.fraction(v)
        guard f.isFinite else { return bottom + 1 }
        return Swift.min(bottom + 1, Swift.max(y - 1, bottom - f * height))
    }

    /// The clip path that keeps drawings inside this panel (`clip-path="url(#clip-ROLE)"`).
    func clipDefinition() -> String {
        "<clipPath id=\"clip-\(role)\"><rect x=\"\(SVGBuilder.f(x))\" y=\"\(SVGBuilder.f(y))\" width=\"\(SVGBuilder.f(width))\" height=\"\(SVGBuilder.f(height))\"/></clipPath>\n"
    }

    /// The frame, ticks and tick labels; the x tick labels only when `xLabels` (a ratio
    /// panel below takes them), and the axis titles at the right end (x) and the top (y).
    /// `xCategories` names the unit-wide bins of a category axis (a cut flow): one tick and
    /// a slanted label per bin instead of numbers.
    func drawAxes(into svg: inout SVGBuilder, style: PlotStyle, xTitle: String?, yTitle: String?, xLabels: Bool = true,
                  yTicks: [Double]? = nil, xCategories: [String]? = nil) {
        let tickSize = style.tickLabelSize
        // Minor ticks first, then major ones; every tick on both opposite sides, pointing in.
        func xTick(_ v: Double, length: Double) {
            let p = px(v)
            guard p >= x - 0.01 && p <= right + 0.01 else { return }
            svg.element("line", [("x1", .coordinate(p)), ("y1", .coordinate(bottom)), ("x2", .coordinate(p)), ("y2", .coordinate(bottom - length)),
                                 ("stroke", "black"), ("stroke-width", .coordinate(style.axisLineWidth / 2))])
            svg.element("line", [("x1", .coordinate(p)), ("y1", .coordinate(y)), ("x2", .coordinate(p)), ("y2", .coordinate(y + length)),
                                 ("stroke", "black"), ("stroke-width", .coordinate(style.axisLineWidth / 2))])
        }
        func yTick(_ v: Double, length: Double) {
            let f = yRange.fraction(v)
            guard f >= -1e-6 && f <= 1 + 1e-6 else { return }
            let p = bottom - f * height
            svg.element("line", [("x1", .coordinate(x)), ("y1", .coordinate(p)), ("x2", .coordinate(x + length)), ("y2", .coordinate(p)),
                                 ("stroke", "black"), ("stroke-width", .coordinate(style.axisLineWidth / 2))])
            svg.element("line", [("x1", .coordinate(right)), ("y1", .coordinate(p)), ("x2", .coordinate(right - length)), ("y2", .coordinate(p)),
                                 ("stroke", "black"), ("stroke-width", .coordinate(style.axisLineWidth / 2))])
        }
        let majorX = xCategories.map { $0.indices.map { Double($0) + 0.5 } } ?? xRange.majorTicks
        if xCategories == nil { for v in xRange.minorTicks { xTick(v, length: style.minorTick) } }
        for v in majorX { xTick(v, length: style.majorTick) }
        let majorY = yTicks ?? yRange.majorTicks
        if yTicks == nil { for v in yRange.minorTicks { yTick(v, length: style.minorTick) } }
        for v in majorY { yTick(v, length: style.majorTick) }

        svg.element("rect", [("x", .coordinate(x)), ("y", .coordinate(y)), ("width", .coordinate(width)), ("height", .coordinate(height)),
                             ("fill", "none"), ("stroke", "black"), ("stroke-width", .coordinate(style.axisLineWidth)),
                             ("data-role", .text("frame-" + role)),
                             ("data-xmin", .exact(xRange.lower)), ("data-xmax", .exact(xRange.upper)),
                             ("data-ymin", .exact(yRange.lower)), ("data-ymax", .exact(yRange.upper)),
                             ("data-yscale", .text(yRange.scale == .log ? "log" : "linear"))])

        if xLabels, let xCategories {
            for (i, name) in xCategories.enumerated() {
                let tx = px(Double(i) + 0.5), ty = bottom + 6 + tickSize * 0.8
                svg.element("text", [("x", .coordinate(tx)), ("y", .coordinate(ty)), ("text-anchor", "end"),
                                     ("transform", .text("rotate(-30 \(SVGBuilder.f(tx)) \(SVGBuilder.f(ty)))")),
                                     ("font-size", .coordinate(tickSize * 0.75)), ("data-role", "x-tick-label")],
                            content: name.count > 18 ? name.prefix(17) + "…" : name)  // long selections would leave the figure
            }
        } else if xLabels {
            for v in xRange.majorTicks where px(v) >= x - 0.01 && px(v) <= right + 0.01 {
                let (base, exponent) = xRange.label(v)
                svg.element("text", [("x", .coordinate(px(v))), ("y", .coordinate(bottom + 6 + tickSize)), ("text-anchor", "middle"),
                                     ("font-size", .coordinate(tickSize)), ("data-role", "x-tick-label")],
                            content: base + superscript(exponent))
            }
        }
        var widest = 0.0
        for v in majorY {
            let f = yRange.fraction(v)
            guard f >= -1e-6 && f <= 1 + 1e-6 else { continue }
            let (base, exponent) = yRange.label(v)
            let text = base + superscript(exponent)
            widest = Swift.max(widest, PlotStyle.textWidth(text, size: tickSize))
            svg.element("text", [("x", .coordinate(x - 8)), ("y", .coordinate(bottom - f * height + tickSize * 0.35)), ("text-anchor", "end"),
                                 ("font-size", .coordinate(tickSize)), ("data-role", "y-tick-label")], content: text)
        }
        if let xTitle, !xTitle.isEmpty {
            svg.element("text", [("x", .coordinate(right)), ("y", .coordinate(bottom + 10 + tickSize + style.fontSize * 1.1)),
                                 ("text-anchor", "end"), ("font-size", .coordinate(style.fontSize)), ("data-role", "x-title")], content: xTitle)
        }
        if let yTitle, !yTitle.isEmpty {
            // Left of the tick labels, but never out of the figure (its ascent reaches left).
            // At the top of a main panel, as mplhep; centred, and smaller, on a short ratio panel.
            let centred = role == "ratio"
            // A ratio panel's title shrinks to fit the panel's height.
            let size = centred ? Swift.min(tickSize, height * 0.95 / Swift.max(1, PlotStyle.textWidth(yTitle, size: 1))) : style.fontSize
            let tx = Swift.max(size * 0.85, x - 10 - widest - size * 0.3)
            let ty = centred ? y + height / 2 : y
            svg.element("text", [("x", .coordinate(tx)), ("y", .coordinate(ty)), ("text-anchor", centred ? "middle" : "end"),
                                 ("transform", .text("rotate(-90 \(SVGBuilder.f(tx)) \(SVGBuilder.f(ty)))")),
                                 ("font-size", .coordinate(size)), ("data-role", "y-title")], content: yTitle)
        }
    }
}

/// An exponent in Unicode superscript digits ("-3" → "⁻³"), or "" for none.
func superscript(_ exponent: String?) -> String {
    guard let exponent else { return "" }
    let map: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
    return String(exponent.map { map[$0] ?? $0 })
}
