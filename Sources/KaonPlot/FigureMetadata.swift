import Foundation
import KaonIO

/// Reading back what a figure carries: the entries of an SVG's `<metadata>` (written by
/// KaonHist's `svgMetadata`) or of a PNG's iTXt chunks (written by `PNGText`), so that
/// `kaon provenance plot.png` finds the record of the run the plot was made from.
public enum FigureMetadata {
    /// The entries of the figure at `path` (`.svg` or `.png`), by key; empty when it has none.
    public static func read(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KaonError(.notFound, "cannot read the figure", file: path)
        }
        let bytes = [UInt8](data)
        if path.lowercased().hasSuffix(".png") { return try withContext(file: path) { try pngEntries(bytes) } }
        return svgEntries(String(decoding: bytes, as: UTF8.self))
    }

    /// `<kaon:entry key="K">V</kaon:entry>` elements, XML escapes undone.
    static func svgEntries(_ svg: String) -> [String: String] {
        guard let start = svg.range(of: "<metadata>"), let end = svg.range(of: "</metadata>", range: start.upperBound..<svg.endIndex)
        else { return [:] }
        var entries: [String: String] = [:]
        var rest = svg[start.upperBound..<end.lowerBound]
        while let open = rest.range(of: "<kaon:entry key=\""), let keyEnd = rest.range(of: "\">", range: open.upperBound..<rest.endIndex),
              let close = rest.range(of: "</kaon:entry>", range: keyEnd.upperBound..<rest.endIndex) {
            entries[xmlUnescaped(String(rest[open.upperBound..<keyEnd.lowerBound]))] = xmlUnescaped(String(rest[keyEnd.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return entries
    }

    /// Uncompressed iTXt chunks (keyword, 0, flag 0, method, language tag, 0, translated keyword, 0, text).
    static func pngEntries(_ png: [UInt8]) throws -> [String: String] {
        guard png.count >= 8, png[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw KaonError(.malformed, "not a PNG")
        }
        var entries: [String: String] = [:]
        var position = 8
        while position + 12 <= png.count {
            let length = png[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: png[(position + 4)..<(position + 8)], as: UTF8.self)
            let dataStart = position + 8
            guard length <= png.count - dataStart - 4 else { throw KaonError(.truncated, "chunk \(type) runs past the end of the file") }
            if type == "iTXt" {
                let data = Array(png[dataStart..<(dataStart + length)])
                let zeros = data.indices.filter { data[$0] == 0 }
                // keyword\0, compression flag, method, language\0, translated keyword\0, text
                if let keywordEnd = zeros.first, keywordEnd + 2 < data.count, data[keywordEnd + 1] == 0,
                   let languageEnd = zeros.first(where: { $0 > keywordEnd + 2 }),
                   let translatedEnd = zeros.first(where: { $0 > languageEnd }) {
                    let keyword = String(decoding: data[0..<keywordEnd], as: UTF8.self)
                    entries[keyword] = String(decoding: data[(translatedEnd + 1)...], as: UTF8.self)
                }
            }
            if type == "IEND" { break }
            position = dataStart + length + 4
        }
        return entries
    }

    static func xmlUnescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
