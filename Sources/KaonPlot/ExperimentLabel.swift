/// The experiment label and the luminosity text of a figure, placed as mplhep places them:
/// CMS puts the bold "CMS" and the italic extra label above the axes on the left and
/// "L fb⁻¹ (√s TeV)" above them on the right; ATLAS writes the bold italic "ATLAS", the
/// label and, on a second line, "√s = 13 TeV, L fb⁻¹" inside the axes at the top left.
enum ExperimentLabel {
    /// Draws the label for `panel` (the top panel) and returns the box it takes inside the
    /// panel (the legend and the y range must leave it free), nil when it sits outside.
    /// `outside` moves the ATLAS label above the axes too (over a colour map, whose cells
    /// fill the whole panel, it could not be read).
    static func draw(into svg: inout SVGBuilder, style: PlotStyle, panel: PlotPanel, outside: Bool = false) -> LegendBox? {
        let size = style.fontSize
        if outside && style.experiment == .atlas {
            let nameWidth = PlotStyle.textWidth("ATLAS", size: size, bold: true)
            svg.element("text", [("x", .coordinate(panel.x)), ("y", .coordinate(panel.y - 8)), ("font-size", .coordinate(size)),
                                 ("font-weight", "bold"), ("font-style", "italic"), ("data-role", "experiment")], content: "ATLAS")
            svg.element("text", [("x", .coordinate(panel.x + nameWidth + size * 0.3)), ("y", .coordinate(panel.y - 8)),
                                 ("font-size", .coordinate(size)), ("data-role", "experiment-label")], content: style.label)
            svg.element("text", [("x", .coordinate(panel.right)), ("y", .coordinate(panel.y - 8)), ("text-anchor", "end"),
                                 ("font-size", .coordinate(size * 0.8)), ("data-role", "luminosity")], content: style.luminosityText)
            return nil
        }
        switch style.experiment {
        case .none:
            if !style.luminosityText.isEmpty {
                svg.element("text", [("x", .coordinate(panel.right)), ("y", .coordinate(panel.y - 8)), ("text-anchor", "end"),
                                     ("font-size", .coordinate(size)), ("data-role", "luminosity")], content: style.luminosityText)
            }
            return nil
        case .cms:
            let name = size * 1.3
            svg.element("text", [("x", .coordinate(panel.x)), ("y", .coordinate(panel.y - 8)), ("font-size", .coordinate(name)),
                                 ("font-weight", "bold"), ("data-role", "experiment")], content: "CMS")
            if !style.label.isEmpty {
                svg.element("text", [("x", .coordinate(panel.x + PlotStyle.textWidth("CMS", size: name, bold: true) + size * 0.3)),
                                     ("y", .coordinate(panel.y - 8)), ("font-size", .coordinate(size)), ("font-style", "italic"),
                                     ("data-role", "experiment-label")], content: style.label)
            }
            if !style.luminosityText.isEmpty {
                svg.element("text", [("x", .coordinate(panel.right)), ("y", .coordinate(panel.y - 8)), ("text-anchor", "end"),
                                     ("font-size", .coordinate(size)), ("data-role", "luminosity")], content: style.luminosityText)
            }
            return nil
        case .atlas:
            let x = panel.x + 0.05 * panel.width
            let first = panel.y + 0.05 * panel.height + size
            let nameWidth = PlotStyle.textWidth("ATLAS", size: size, bold: true)
            svg.element("text", [("x", .coordinate(x)), ("y", .coordinate(first)), ("font-size", .coordinate(size)),
                                 ("font-weight", "bold"), ("font-style", "italic"), ("data-role", "experiment")], content: "ATLAS")
            var width = nameWidth
            if !style.label.isEmpty {
                svg.element("text", [("x", .coordinate(x + nameWidth + size * 0.3)), ("y", .coordinate(first)), ("font-size", .coordinate(size)),
                                     ("data-role", "experiment-label")], content: style.label)
                width += size * 0.3 + PlotStyle.textWidth(style.label, size: size)
            }
            var bottom = first + size * 0.3
            if !style.luminosityText.isEmpty {
                let second = first + size * 1.3
                svg.element("text", [("x", .coordinate(x)), ("y", .coordinate(second)), ("font-size", .coordinate(size * 0.8)),
                                     ("data-role", "luminosity")], content: style.luminosityText)
                width = Swift.max(width, PlotStyle.textWidth(style.luminosityText, size: size * 0.8))
                bottom = second + size * 0.3
            }
            return LegendBox(x: x, y: panel.y, width: width, height: bottom - panel.y)
        }
    }
}
