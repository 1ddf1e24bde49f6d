/// A rectangle in figure points (y downwards).
struct LegendBox: Equatable {
    var x: Double, y: Double, width: Double, height: Double
    var right: Double { x + width }
    var bottom: Double { y + height }
    func overlapsHorizontally(_ lo: Double, _ hi: Double) -> Bool { lo < right && hi > x }
}

/// One legend row: what its handle looks like and its text.
struct LegendEntry {
    enum Handle { case marker, fill(String), line(String), hatch }
    var handle: Handle
    var text: String
}

/// Where a legend goes: the upper corner of the panel where it covers nothing drawn; when
/// both would, the one needing the least extra headroom, and the y range grows to make that
/// room (as physicists do by hand with `ax.set_ylim`).
enum LegendPlacement {
    /// The highest point drawn over the x interval [lo, hi], in data units.
    struct Obstacle { var lo: Double, hi: Double, top: Double }

    /// The legend's size for `entries` at the style's legend font.
    static func size(of entries: [LegendEntry], style: PlotStyle) -> (width: Double, height: Double) {
        let row = style.legendSize * 1.35
        let widest = entries.map { PlotStyle.textWidth($0.text, size: style.legendSize) }.max() ?? 0
        return (style.legendSize * 2.2 + widest, row * Double(entries.count))
    }

    /// The y maximum that keeps every obstacle under `box`'s bottom edge in `panel`
    /// (unchanged when they already are).
    static func upperNeeded(for box: LegendBox, obstacles: [Obstacle], panel: PlotPanel) -> Double {
        let range = panel.yRange
        // The fraction of the panel's height below the box, less a small gap.
        let free = (panel.bottom - box.bottom - 4) / panel.height
        guard free > 0.05 else { return range.upper }
        var upper = range.upper
        let t0 = range.scale.transform(range.lower)
        for o in obstacles where box.overlapsHorizontally(panel.px(o.lo), panel.px(o.hi)) && o.top > range.lower {
            let t = range.scale.transform(o.top)
            if range.fraction(o.top) > free { upper = Swift.max(upper, range.scale.inverse(t0 + (t - t0) / free)) }
        }
        return upper
    }

    /// The box of a legend of `size` in the upper right (`right`) or upper left corner of
    /// `panel`, below `reserved` (the ATLAS label) when they would share the corner.
    static func box(size: (width: Double, height: Double), panel: PlotPanel, right: Bool, reserved: LegendBox?) -> LegendBox {
        let margin = 0.03 * panel.width
        var box = LegendBox(x: right ? panel.right - margin - size.width : panel.x + margin, y: panel.y + margin,
                            width: size.width, height: size.height)
        if let reserved, box.x < reserved.right && box.right > reserved.x { box.y = reserved.bottom + margin / 2 }
        return box
    }

    /// The chosen box and the y maximum that makes room for it and for `reserved`.
    static func place(size: (width: Double, height: Double), panel: PlotPanel, obstacles: [Obstacle],
                      reserved: LegendBox?) -> (box: LegendBox, upper: Double) {
        let reservedUpper = reserved.map { upperNeeded(for: $0, obstacles: obstacles, panel: panel) } ?? panel.yRange.upper
        let candidates = [true, false].map { right -> (LegendBox, Double) in
            let box = box(size: size, panel: panel, right: right, reserved: reserved)
            return (box, Swift.max(reservedUpper, upperNeeded(for: box, obstacles: obstacles, panel: panel)))
        }
        // The upper right wins ties, where readers look for the legend first.
        let best = candidates[1].1 < candidates[0].1 ? candidates[1] : candidates[0]
        return best
    }

    /// Draws the legend rows inside `box`.
    static func draw(_ entries: [LegendEntry], in box: LegendBox, style: PlotStyle, into svg: inout SVGBuilder) {
        let size = style.legendSize
        let row = size * 1.35
        svg.raw("<g data-role=\"legend\" data-x=\"\(SVGBuilder.f(box.x))\" data-y=\"\(SVGBuilder.f(box.y))\" data-width=\"\(SVGBuilder.f(box.width))\" data-height=\"\(SVGBuilder.f(box.height))\">\n")
        for (i, entry) in entries.enumerated() {
            let top = box.y + Double(i) * row
            let mid = top + row / 2
            let handleWidth = size * 1.5
            switch entry.handle {
            case .marker:
                svg.element("line", [("x1", .coordinate(box.x + handleWidth / 2)), ("y1", .coordinate(mid - size * 0.45)),
                                     ("x2", .coordinate(box.x + handleWidth / 2)), ("y2", .coordinate(mid + size * 0.45)),
                                     ("stroke", "black"), ("stroke-width", 2)])
                svg.element("circle", [("cx", .coordinate(box.x + handleWidth / 2)), ("cy", .coordinate(mid)), ("r", .coordinate(size * 0.22)), ("fill", "black")])
            case .fill(let colour):
                svg.element("rect", [("x", .coordinate(box.x)), ("y", .coordinate(mid - size * 0.4)), ("width", .coordinate(handleWidth)),
                                     ("height", .coordinate(size * 0.8)), ("fill", .text(colour)), ("stroke", "black"), ("stroke-width", 0.5)])
            case .line(let colour):
                svg.element("line", [("x1", .coordinate(box.x)), ("y1", .coordinate(mid)), ("x2", .coordinate(box.x + handleWidth)),
                                     ("y2", .coordinate(mid)), ("stroke", .text(colour)), ("stroke-width", 3)])
            case .hatch:
                svg.element("rect", [("x", .coordinate(box.x)), ("y", .coordinate(mid - size * 0.4)), ("width", .coordinate(handleWidth)),
                                     ("height", .coordinate(size * 0.8)), ("fill", "url(#hatch)"), ("stroke", "#555555"), ("stroke-width", 0.5)])
            }
            svg.element("text", [("x", .coordinate(box.x + size * 2.2)), ("y", .coordinate(mid + size * 0.35)), ("font-size", .coordinate(size)),
                                 ("data-role", "legend-text")], content: entry.text)
        }
        svg.raw("</g>\n")
    }
}
