import Foundation
import KaonIO

/// The file formats a plot is written in: SVG as drawn, PNG and PDF converted by librsvg's
/// `rsvg-convert` (Debian's librsvg2-bin), a real renderer with cairo underneath.
public enum PlotFormat: String, Sendable, CaseIterable {
    case svg, png, pdf

    /// Formats from a comma-separated list ("svg,png").
    public static func list(_ text: String) throws -> [PlotFormat] {
        try text.split(separator: ",").map { part in
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = PlotFormat(rawValue: name) else {
                throw KaonError(.usage, "unknown plot format '\(name)' (svg, png or pdf)")
            }
            return format
        }
    }
}

/// Writes SVG documents as files in each format.
public enum PlotRenderer {
    /// PNGs are drawn at this many pixels per SVG unit (a 720-point CMS figure becomes
    /// 1440 × 1440 pixels, sharp on a projector).
    public static let pngScale = 2.0

    /// Where `rsvg-convert` is, searched along PATH; nil when it is not installed.
    public static var converter: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { $0 + "/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Writes `svg` to `base` + ".svg"/".png"/".pdf" for each of `formats`; returns the paths.
    /// PNGs get `metadata` as text chunks (give the figure's own metadata: the SVG already
    /// holds it in `<metadata>`).
    @discardableResult
    public static func write(_ svg: String, to base: String, formats: [PlotFormat], metadata: [String: String] = [:]) throws -> [String] {
        var written: [String] = []
        for format in formats {
            let path = base + "." + format.rawValue
            switch format {
            case .svg: try OutputFile.write(svg, to: path)
            case .png, .pdf: try convert(svg, to: path, format: format, metadata: metadata)
            }
            written.append(path)
        }
        return written
    }

    /// Runs `rsvg-convert` on the SVG text (from its standard input) into `path`.
    static func convert(_ svg: String, to path: String, format: PlotFormat, metadata: [String: String]) throws {
        guard let converter else {
            throw KaonError(.system, "cannot write \(path): \(format.rawValue.uppercased()) output needs rsvg-convert, which is not on PATH "
                                + "(install Debian's librsvg2-bin: `sudo apt-get install librsvg2-bin`, or `make deps`)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        var arguments = ["--format", format.rawValue, "--output", path + ".kaon-partial"]
        if format == .png { arguments += ["--zoom", "\(pngScale)", "--background-color", "white"] }
        // One SVG unit is one point, as in matplotlib's output: a 720-unit figure is a 10 in page.
        if format == .pdf { arguments += ["--dpi-x", "72", "--dpi-y", "72"] }
        process.arguments = arguments
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(svg.utf8))
        try input.fileHandleForWriting.close()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: path + ".kaon-partial")
            throw KaonError(.system, "cannot write \(path): rsvg-convert failed: \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if format == .png && !metadata.isEmpty {
            let source = try LocalFileSource(path: path + ".kaon-partial")
            let png = try source.read(at: 0, count: source.size)
            try? FileManager.default.removeItem(atPath: path + ".kaon-partial")
            try OutputFile.write(try withContext(file: path) { try PNGText.adding(metadata, to: Array(png)) }, to: path)
        } else if rename(path + ".kaon-partial", path) != 0 {
            throw OutputFile.cannotCreate(path, errno: errno)
        }
    }
}
