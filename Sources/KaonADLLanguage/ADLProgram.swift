import Foundation
import KaonAnalysis
import KaonHist
import KaonIO
import KaonNano

/// An ADL file lowered onto Kaon's dataflow: a KaonAnalysis `Analysis` whose definitions
/// are the file's objects, whose selections are its regions' cuts (one cut-flow row each,
/// named `region/…`), and whose booked results are its histograms (`region/name`), bins
/// (selections `region/bin …`) and `save`d values. Running it is one pass over the data,
/// on all cores, like any Swift analysis, with the same outputs.
///
/// ```swift
/// let program = try ADLProgram(path: "analysis.adl")
/// let results = try program.analysis.run(samples: SampleSet(luminosity: 1, samples: [
///     Sample(name: "data", files: ["nano.root"], isMC: false)]))
/// print(results.cutFlowTable())
/// ```
public struct ADLProgram: Sendable {
    /// The parsed file.
    public let file: ADLFile
    /// The analysis graph (named after the `info` block, or the file).
    public let analysis: Analysis
    /// The regions, in file order.
    public let regions: [String]
    /// Names of the booked histograms (`region/name`), in booking order.
    public let histograms: [String]
    /// `save` and `print` lines: their result name (a take of one row of values per event
    /// passing the region's cuts above it) and the source text of each column.
    public let saved: [(name: String, columns: [String], isPrint: Bool)]

    /// Parses and compiles the file at `path` (a parse or name error is an ``ADLError``).
    public init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KaonError(.notFound, "cannot read ADL file: \(error.localizedDescription)", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw KaonError(.malformed, "the ADL file is not UTF-8 text", file: path) }
        try self.init(source: ADLSource(name: path, text: text))
    }

    /// Parses and compiles `source`.
    public init(source: ADLSource) throws(ADLError) {
        try self.init(file: try ADLParser.parse(source))
    }

    /// Compiles a parsed file: resolves every name and type, and books the graph.
    public init(file: ADLFile) throws(ADLError) {
        self.file = file
        var title = file.source.name
        for case .info(let name, _) in file.blocks { title = name.text }
        let analysis = Analysis(title)
        self.analysis = analysis
        var builder = ADLProgramBuilder(file: file, compiler: ADLExpressionCompiler(source: file.source, analysis: analysis))
        try builder.build()
        regions = builder.regionOrder
        histograms = builder.histogramNames
        saved = builder.saved
    }
}
