/// Options for ``Histogram/svgPlot(_:)``.
///
/// ```swift
/// let svg = h.svgPlot(.init(width: 640, height: 400, title: "Muon p_T"))
/// ```
public struct SVGPlotOptions: Sendable {
    public var width: Double
    public var height: Double
    /// Title above the plot (default: the histogram's label or name).
    public var title: String?
    /// X axis label (default: the axis' label or name).
    public var xLabel: String?
    /// Y axis label (default: "Counts", or "Mean" for profiles).
    public var yLabel: String?
    /// Draw ±√variance error bars at bin centres.
    public var errorBars: Bool
    /// Outline colour of the step line.
    public var color: String

    public init(width: Double = 640, height: Double = 420, title: String? = nil, xLabel: String? = nil,
                yLabel: String? = nil, errorBars: Bool = true, color: String = "#1f77b4") {
        self.width = width
        self.height = height
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.errorBars = errorBars
        self.color = color
    }
}

/// Tick positions at "nice" numbers (1, 2 or 5 times a power of ten) covering a range.
///
/// ```swift
/// niceTicks(0, 87, count: 5)   // [0, 20, 40, 60, 80]
/// ```
public func niceTicks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
    guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
    let raw = (hi - lo) / Double(Swift.max(1, count))
    // step = mantissa × 10^exponent; ticks are k·mantissa scaled by 10^exponent, dividing
    // for negative exponents so that 3 × 0.1 prints as 0.3, not 0.30000000000000004.
    var exponent = 0
    var power = 1.0
    while power * 10 <= raw { power *= 10; exponent += 1 }
    while power > raw { power /= 10; exponent -= 1 }
    let mantissa = [1.0, 2, 5, 10].first { $0 * power >= raw } ?? 10
    let scale = (0..<abs(exponent)).reduce(1.0) { r, _ in r * 10 }
    func value(_ k: Double) -> Double { exponent >= 0 ? k * mantissa * scale : k * mantissa / scale }
    let step = value(1)
    var k = (lo / step).rounded(.up)
    var ticks: [Double] = []
    while value(k) <= hi + step * 1e-9 {
        ticks.append(value(k) == 0 ? 0 : value(k))
        k += 1
    }
    return ticks
}

/// Tick label text with just enough decimals for the tick spacing.
public func tickLabel(_ v: Double, step: Double) -> String {
    var decimals = 0
    var s = step
    while s < 1 && decimals < 10 { s *= 10; decimals += 1 }
    if abs(v) >= 1e6 || (abs(v) > 0 && abs(v) < 1e-4) { return String(v) }
    return v.formatted(decimals: decimals)
}

/// Escapes text for SVG/XML content and attributes.
public func xmlEscaped(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

extension Histogram {
    /// An SVG image of a 1D histogram: framed axes with ticks at nice numbers, axis
    /// labels, the bin contents as a step outline and ±√variance error bars. Categorical
    /// axes get one labelled slot per category.
    ///
    /// ```swift
    /// try h.svgPlot().write(toFile: "pt.svg", atomically: true, encoding: .utf8)
    /// ```
    public func svgPlot(_ options: SVGPlotOptions = .init()) -> String {
        guard axes.count == 1 else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"40\"><text x=\"10\" y=\"25\">svgPlot needs a 1D histogram</text></svg>"
        }
        let axis = axes[0]
        let edges = axis.edges
        let n = axis.size
        let values = (0..<n).map { S.value(self[$0]) }
        let errors = (0..<n).map { i -> Double in
            if S.variancesFromValues && !varianceKnown { return 0 }
            let v = S.variance(self[i])
            return v.isFinite && v > 0 ? v.squareRoot() : 0
        }
        let W = options.width, H = options.height
        let left = 72.0, right = 20.0, top = 40.0, bottom = 56.0
        let pw = W - left - right, ph = H - top - bottom
        let x0 = edges[0], x1 = edges[n]
        var yMin = 0.0, yMax = 0.0
        for i in 0..<n where values[i].isFinite {
            let e = options.errorBars ? errors[i] : 0
            yMax = Swift.max(yMax, values[i] + e)
            yMin = Swift.min(yMin, values[i] - e)
        }
        if yMax <= yMin { yMax = yMin + 1 }
        yMax += (yMax - yMin) * 0.05  // headroom so the highest bar does not touch the frame
        let yTicks = niceTicks(yMin, yMax, count: 6)
        if let last = yTicks.last, yTicks.count > 1 { yMax = Swift.max(yMax, last) }
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + ph - (y - yMin) / (yMax - yMin) * ph }
        func f(_ v: Double) -> String { v.formatted(decimals: 2) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(W))\" height=\"\(f(H))\" viewBox=\"0 0 \(f(W)) \(f(H))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(W))\" height=\"\(f(H))\" fill=\"white\"/>\n"
        // Grid and ticks on the y axis.
        let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for t in yTicks where t >= yMin && t <= yMax {
            let y = py(t)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + pw))\" y2=\"\(f(y))\" stroke=\"#e6e6e6\"/>\n"
            svg += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" stroke=\"black\"/>\n"
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(xmlEscaped(tickLabel(t, step: yStep)))</text>\n"
        }
        // X ticks: nice numbers for continuous axes, category names at slot centres otherwise.
        if axis.isContinuous {
            let xTicks = niceTicks(x0, x1, count: 8)
            let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
            for t in xTicks {
                let x = px(t)
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(top + ph))\" x2=\"\(f(x))\" y2=\"\(f(top + ph + 5))\" stroke=\"black\"/>\n"
                svg += "<text x=\"\(f(x))\" y=\"\(f(top + ph + 19))\" text-anchor=\"middle\">\(xmlEscaped(tickLabel(t, step: xStep)))</text>\n"
            }
        } else {
            for i in 0..<n {
                let x = px(Double(i) + 0.5)
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(top + ph))\" x2=\"\(f(x))\" y2=\"\(f(top + ph + 5))\" stroke=\"black\"/>\n"
                svg += "<text x=\"\(f(x))\" y=\"\(f(top + ph + 19))\" text-anchor=\"middle\">\(xmlEscaped(axis.binLabel(i)))</text>\n"
            }
        }
        // The step outline, drawn from the baseline so the shape closes at both ends.
        let base = py(Swift.max(yMin, Swift.min(0, yMax)))
        var path = "M \(f(px(x0))) \(f(base))"
        for i in 0..<n {
            let v = values[i].isFinite ? values[i] : 0
            path += " V \(f(py(v))) H \(f(px(edges[i + 1])))"
        }
        path += " V \(f(base))"
        svg += "<path d=\"\(path)\" fill=\"\(options.color)\" fill-opacity=\"0.15\" stroke=\"\(options.color)\" stroke-width=\"1.5\"/>\n"
        if options.errorBars {
            for i in 0..<n where errors[i] > 0 && values[i].isFinite {
                let x = px((edges[i] + edges[i + 1]) / 2)
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(py(values[i] - errors[i])))\" x2=\"\(f(x))\" y2=\"\(f(py(values[i] + errors[i])))\" stroke=\"black\" stroke-width=\"1\"/>\n"
                svg += "<circle cx=\"\(f(x))\" cy=\"\(f(py(values[i])))\" r=\"1.8\" fill=\"black\"/>\n"
            }
        }
        // Frame on top of everything.
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"black\"/>\n"
        let xLabel = options.xLabel ?? axis.metadata.displayLabel
        let yLabel = options.yLabel ?? (S.needsSample ? "Mean" : "Counts")
        let title = options.title ?? (metadata.label.isEmpty ? metadata.name : metadata.label)
        svg += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(H - 14))\" text-anchor=\"middle\" font-size=\"14\">\(xmlEscaped(xLabel))</text>\n"
        svg += "<text x=\"18\" y=\"\(f(top + ph / 2))\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 18 \(f(top + ph / 2)))\">\(xmlEscaped(yLabel))</text>\n"
        if !title.isEmpty {
            svg += "<text x=\"\(f(left + pw / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(xmlEscaped(title))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }
}
