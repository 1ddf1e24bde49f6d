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
    /// Written into the SVG's `<metadata>` block as `<kaon:entry key="…">value</kaon:entry>`
    /// (provenance: inputs, version, command), as KaonPlot's figures do.
    public var metadata: [String: String]

    public init(width: Double = 640, height: Double = 420, title: String? = nil, xLabel: String? = nil,
                yLabel: String? = nil, errorBars: Bool = true, color: String = "#1f77b4", metadata: [String: String] = [:]) {
        self.width = width
        self.height = height
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.errorBars = errorBars
        self.color = color
        self.metadata = metadata
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

/// The namespace of the entries of ``svgMetadata(_:)``, declared on the root `<svg>` as
/// `xmlns:kaon`.
public let svgMetadataNamespace = "https://kaon.dev/plot"

/// An SVG `<metadata>` element holding `metadata` as `<kaon:entry key="…">value</kaon:entry>`
/// in key order — the one place every Kaon SVG (histograms, stacks, publication figures)
/// records provenance; the root element must declare ``svgMetadataNamespace`` as `kaon`.
///
/// ```swift
/// svgMetadata(["command": "kaon draw …"])   // <metadata><kaon:entry key="command">kaon draw …</kaon:entry></metadata>
/// ```
public func svgMetadata(_ metadata: [String: String]) -> String {
    var text = "<metadata>"
    for key in metadata.keys.sorted() {
        text += "<kaon:entry key=\"\(xmlEscaped(key))\">\(xmlEscaped(metadata[key]!))</kaon:entry>"
    }
    return text + "</metadata>\n"
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
        var yMin = 0.0, yMax = 0.0
        for i in 0..<n where values[i].isFinite {
            let e = options.errorBars ? errors[i] : 0
            yMax = Swift.max(yMax, values[i] + e)
            yMin = Swift.min(yMin, values[i] - e)
        }
        var canvas = SVGCanvas(width: options.width, height: options.height, x: edges[0]...edges[n], y: yMin...yMax)
        canvas.drawYAxis()
        canvas.drawXAxis(axis)
        canvas.body += "<path d=\"\(canvas.stepPath(edges: edges, values: values))\" fill=\"\(options.color)\" fill-opacity=\"0.15\" stroke=\"\(options.color)\" stroke-width=\"1.5\"/>\n"
        if options.errorBars {
            let centres = (0..<n).map { (edges[$0] + edges[$0 + 1]) / 2 }
            let shown = (0..<n).map { errors[$0] > 0 ? values[$0] : .nan }  // bins without an error get no marker
            canvas.drawPoints(centres: centres, values: shown, errors: errors)
        }
        let title = options.title ?? (metadata.label.isEmpty ? metadata.name : metadata.label)
        return canvas.document(xLabel: options.xLabel ?? axis.metadata.displayLabel,
                               yLabel: options.yLabel ?? (S.needsSample ? "Mean" : "Counts"), title: title, metadata: options.metadata)
    }
}
