/// The frame every Kaon SVG plot is drawn in: a plot area with a linear x range and y
/// range, y grid lines and ticks, x ticks (numbers or category names), axis labels, a
/// title and a border — so single histograms and stacks share one layout.
struct SVGCanvas {
    let width: Double, height: Double
    let left = 72.0, top = 40.0, bottom = 56.0
    let right: Double
    let x0: Double, x1: Double
    private(set) var yMin: Double, yMax: Double
    private(set) var yTicks: [Double]
    /// Drawing commands so far (between the background and the frame).
    var body = ""

    /// A canvas whose y range covers `yRange` with 5 % headroom, extended to a nice tick.
    init(width: Double, height: Double, right: Double = 20, x: ClosedRange<Double>, y yRange: ClosedRange<Double>) {
        self.width = width
        self.height = height
        self.right = right
        x0 = x.lowerBound
        x1 = x.upperBound
        var lo = yRange.lowerBound, hi = yRange.upperBound
        if hi <= lo { hi = lo + 1 }
        hi += (hi - lo) * 0.05  // headroom so the highest bar does not touch the frame
        let ticks = niceTicks(lo, hi, count: 6)
        if let last = ticks.last, ticks.count > 1 { hi = Swift.max(hi, last) }
        lo = Swift.min(lo, hi)
        yMin = lo
        yMax = hi
        yTicks = ticks
    }

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    /// Horizontal position of abscissa `x`.
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotWidth }
    /// Vertical position of ordinate `y`.
    func py(_ y: Double) -> Double { top + plotHeight - (y - yMin) / (yMax - yMin) * plotHeight }
    /// The y position of zero, clamped into the plot: where bars start.
    var baseline: Double { py(Swift.max(yMin, Swift.min(0, yMax))) }
    func f(_ v: Double) -> String { v.formatted(decimals: 2) }

    /// Horizontal grid lines and labelled y ticks.
    mutating func drawYAxis() {
        let step = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for t in yTicks where t >= yMin && t <= yMax {
            let y = py(t)
            body += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#e6e6e6\"/>\n"
            body += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" stroke=\"black\"/>\n"
            body += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(xmlEscaped(tickLabel(t, step: step)))</text>\n"
        }
    }

    /// X ticks: nice numbers for a continuous axis, category names at slot centres otherwise.
    mutating func drawXAxis(_ axis: AnyAxis) {
        let bottomEdge = top + plotHeight
        func tick(at x: Double, _ label: String) {
            body += "<line x1=\"\(f(x))\" y1=\"\(f(bottomEdge))\" x2=\"\(f(x))\" y2=\"\(f(bottomEdge + 5))\" stroke=\"black\"/>\n"
            body += "<text x=\"\(f(x))\" y=\"\(f(bottomEdge + 19))\" text-anchor=\"middle\">\(xmlEscaped(label))</text>\n"
        }
        if axis.isContinuous {
            let ticks = niceTicks(x0, x1, count: 8)
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            for t in ticks { tick(at: px(t), tickLabel(t, step: step)) }
        } else {
            for (i, label) in axis.binLabels(0..<axis.size).enumerated() { tick(at: px(Double(i) + 0.5), label) }
        }
    }

    /// The closed step outline of `values` over `edges`, from the baseline (or from `floor`,
    /// the top of the layer below, for stacks).
    func stepPath(edges: [Double], values: [Double], floor: [Double]? = nil) -> String {
        let n = values.count
        guard let floor else {
            var path = "M \(f(px(edges[0]))) \(f(baseline))"
            for i in 0..<n { path += " V \(f(py(values[i].isFinite ? values[i] : 0))) H \(f(px(edges[i + 1])))" }
            return path + " V \(f(baseline))"
        }
        // Top edge left to right, then the floor right to left.
        var path = "M \(f(px(edges[0]))) \(f(py(floor[0])))"
        for i in 0..<n { path += " V \(f(py(values[i]))) H \(f(px(edges[i + 1])))" }
        for i in stride(from: n - 1, through: 0, by: -1) { path += " V \(f(py(floor[i]))) H \(f(px(edges[i])))" }
        return path + " Z"
    }

    /// Points with vertical error bars.
    mutating func drawPoints(centres: [Double], values: [Double], errors: [Double], radius: Double = 1.8) {
        for i in values.indices where values[i].isFinite {
            let x = px(centres[i])
            if errors[i] > 0 {
                body += "<line x1=\"\(f(x))\" y1=\"\(f(py(values[i] - errors[i])))\" x2=\"\(f(x))\" y2=\"\(f(py(values[i] + errors[i])))\" stroke=\"black\" stroke-width=\"1\"/>\n"
            }
            body += "<circle cx=\"\(f(x))\" cy=\"\(f(py(values[i])))\" r=\"\(f(radius))\" fill=\"black\"/>\n"
        }
    }

    /// The whole document: metadata, background, body, frame, labels and title.
    func document(xLabel: String, yLabel: String, title: String, metadata: [String: String]) -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:kaon=\"\(svgMetadataNamespace)\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += svgMetadata(metadata)
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"white\"/>\n"
        svg += body
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\" font-size=\"14\">\(xmlEscaped(xLabel))</text>\n"
        svg += "<text x=\"18\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 18 \(f(top + plotHeight / 2)))\">\(xmlEscaped(yLabel))</text>\n"
        if !title.isEmpty {
            svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(xmlEscaped(title))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
