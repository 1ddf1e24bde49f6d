import KaonIO

/// Colours of stacked layers, in order (a colour-blind-friendly palette).
let stackPalette = ["#5790fc", "#f89c20", "#e42536", "#964a8b", "#9c9ca1", "#7a21dd", "#86c8dd", "#b9ac70"]

/// An SVG of 1D histograms stacked on top of each other (simulation, by group) with an
/// optional data histogram drawn as points with √variance error bars, and a legend — the
/// standard data/simulation comparison plot.
///
/// All histograms must have the same binning as the first (an error names the offender).
/// Layers are drawn in the order given, the first at the bottom.
///
/// ```swift
/// let svg = try svgStackPlot(stack: [("tt̄", tt), ("Drell–Yan", dy)], data: ("data", data),
///                            options: .init(title: "Dimuon mass", xLabel: "m_{μμ} [GeV]"))
/// ```
public func svgStackPlot<S: Storage>(stack: [(label: String, histogram: Histogram<S>)],
                                     data: (label: String, histogram: Histogram<S>)? = nil,
                                     options: SVGPlotOptions = .init()) throws -> String {
    guard let reference = stack.first?.histogram ?? data?.histogram else {
        throw KaonError(.usage, "a stack plot needs at least one histogram")
    }
    guard reference.axes.count == 1 else { throw KaonError(.usage, "a stack plot needs 1D histograms") }
    let axis = reference.axes[0]
    for (label, histogram) in stack + (data.map { [$0] } ?? []) where histogram.axes.count != 1 || !histogram.axes[0].sameBinning(axis) {
        throw KaonError(.usage, "'\(label)' does not have the binning of the other histograms of the stack")
    }
    let n = axis.size
    let edges = axis.edges
    // Cumulative tops of the layers.
    var tops: [[Double]] = []
    var running = [Double](repeating: 0, count: n)
    for (_, histogram) in stack {
        for i in 0..<n {
            let v = S.value(histogram[i])
            running[i] += v.isFinite ? v : 0
        }
        tops.append(running)
    }
    let dataValues = data.map { d in (0..<n).map { S.value(d.histogram[$0]) } }
    let dataErrors = data.map { d in
        (0..<n).map { i -> Double in
            let v = S.variance(d.histogram[i])
            return v.isFinite && v > 0 ? v.squareRoot() : 0
        }
    }
    var yMax = running.max() ?? 0
    if let dataValues, let dataErrors {
        for i in 0..<n where dataValues[i].isFinite { yMax = Swift.max(yMax, dataValues[i] + dataErrors[i]) }
    }
    // Room above the tallest bin for the legend.
    let entries = stack.count + (data == nil ? 0 : 1)
    yMax *= 1 + 0.06 * Double(entries)
    var canvas = SVGCanvas(width: options.width, height: options.height, x: edges[0]...edges[n], y: 0...yMax)
    canvas.drawYAxis()
    canvas.drawXAxis(axis)
    for (layer, top) in tops.enumerated() {
        let colour = stackPalette[layer % stackPalette.count]
        let floor = layer == 0 ? [Double](repeating: 0, count: n) : tops[layer - 1]
        canvas.body += "<path d=\"\(canvas.stepPath(edges: edges, values: top, floor: floor))\" fill=\"\(colour)\" stroke=\"\(colour)\" stroke-width=\"0.5\"/>\n"
    }
    if let dataValues, let dataErrors {
        let centres = (0..<n).map { (edges[$0] + edges[$0 + 1]) / 2 }
        canvas.drawPoints(centres: centres, values: dataValues, errors: dataErrors, radius: 2.5)
    }
    // Legend: data first, then the layers from the top of the stack down, as physicists read it.
    var y = canvas.top + 18
    let x = canvas.left + canvas.plotWidth - 150
    let f = canvas.f
    if let data {
        canvas.body += "<circle cx=\"\(f(x + 7))\" cy=\"\(f(y - 4))\" r=\"2.5\" fill=\"black\"/>\n"
        canvas.body += "<text x=\"\(f(x + 22))\" y=\"\(f(y))\">\(xmlEscaped(data.label))</text>\n"
        y += 18
    }
    for layer in stack.indices.reversed() {
        let colour = stackPalette[layer % stackPalette.count]
        canvas.body += "<rect x=\"\(f(x))\" y=\"\(f(y - 10))\" width=\"14\" height=\"10\" fill=\"\(colour)\"/>\n"
        canvas.body += "<text x=\"\(f(x + 22))\" y=\"\(f(y))\">\(xmlEscaped(stack[layer].label))</text>\n"
        y += 18
    }
    let title = options.title ?? reference.metadata.label
    return canvas.document(xLabel: options.xLabel ?? axis.metadata.displayLabel, yLabel: options.yLabel ?? "Events", title: title,
                           metadata: options.metadata)
}
