import KaonHist
import KaonIO

/// An SVG document assembled element by element, with a `<metadata>` block (provenance and
/// anything else a caller wants to travel with the picture) and numbers formatted once.
///
/// Drawn elements may carry `data-*` attributes with the exact numbers they show, so that a
/// test (or a reader) can recover bin contents and error bars from the picture itself.
struct SVGBuilder {
    let width: Double, height: Double
    let fontFamily: String
    private(set) var body = ""

    init(width: Double, height: Double, fontFamily: String) {
        self.width = width
        self.height = height
        self.fontFamily = fontFamily
    }

    /// Coordinates with two decimals (a hundredth of a point is below any renderer's precision).
    static func f(_ v: Double) -> String { v.isFinite ? HumanFormat.fixed(v, decimals: 2) : "0" }
    /// Data values at full precision, for the `data-*` attributes.
    static func exact(_ v: Double) -> String { v.isFinite ? "\(v)" : "nan" }

    /// Appends one element; attribute values are escaped, numbers written with two decimals.
    mutating func element(_ name: String, _ attributes: [(String, Attribute)], content: String? = nil) {
        body += "<" + name
        for (key, value) in attributes { body += " \(key)=\"\(value.text)\"" }
        if let content { body += ">" + xmlEscaped(content) + "</\(name)>\n" } else { body += "/>\n" }
    }

    mutating func raw(_ text: String) { body += text }

    /// The text of an attribute: a coordinate, an exact number, or a string.
    enum Attribute: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case coordinate(Double), exact(Double), text(String)
        init(stringLiteral value: String) { self = .text(value) }
        init(floatLiteral value: Double) { self = .coordinate(value) }
        init(integerLiteral value: Int) { self = .coordinate(Double(value)) }
        var text: String {
            switch self {
            case .coordinate(let v): SVGBuilder.f(v)
            case .exact(let v): SVGBuilder.exact(v)
            case .text(let s): xmlEscaped(s)
            }
        }
    }

    /// The finished document: white background, the body, and `metadata` as
    /// `<metadata><kaon:entry key="…">value</kaon:entry>…</metadata>` in sorted key order.
    func document(metadata: [String: String]) -> String {
        let f = SVGBuilder.f
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:kaon=\"\(svgMetadataNamespace)\" width=\"\(f(width))\" height=\"\(f(height))\""
        svg += " viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"\(xmlEscaped(fontFamily))\">\n"
        svg += svgMetadata(metadata)
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"white\"/>\n"
        return svg + body + "</svg>\n"
    }
}
