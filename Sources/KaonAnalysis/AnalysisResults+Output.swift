import Foundation
import KaonHist
import KaonIO
import KaonWrite

extension AnalysisResults {
    /// The name of a histogram's variation in files: `name` for nominal, `name__<variation>`
    /// otherwise (`mll__jesUp`) — the convention cabinetry and combine-style tools read.
    ///
    /// ```swift
    /// AnalysisResults.objectName("mll", variation: "jesUp")   // "mll__jesUp"
    /// ```
    public static func objectName(_ name: String, variation: String) -> String {
        variation == "nominal" ? name : name + "__" + variation
    }

    /// Writes every histogram as a ROOT file: one directory per sample, in it each histogram
    /// as a TH1D/TH2D/TH3D with Sumw2 (normalised), named by ``objectName(_:variation:)``.
    /// Histograms of more than three axes, or with category axes, are skipped (use UHI JSON).
    ///
    /// ```swift
    /// try results.writeROOT(to: "results.root")
    /// // uproot.open("results.root")["DY/mll__jesUp"]
    /// ```
    public func writeROOT(to path: String) throws {
        try checkProvenanceName(in: path)
        let file = try ROOTFileWriter(path: path, title: "Kaon analysis \(analysisName)")
        for sample in samples {
            try file.mkdir(sample.name)
            for (r, result) in results.enumerated() {
                guard case .histogram(let axes) = result.kind, (1...3).contains(axes.count), axes.allSatisfy(\.isContinuous) else { continue }
                for variation in sample.variations {
                    let h = try histogram(result.name, sample: sample.name, variation: variation)
                    let name = Self.objectName(result.name, variation: variation)
                    let s = try sampleIndex(sample.name), v = sample.variations.firstIndex(of: variation)!
                    let root = try WritableHistogram(h, name: name, title: result.name,
                                                     entries: Double(tallies[s].results[r][v].entries))
                    try file.write(root, to: sample.name + "/" + name)
                }
            }
        }
        if let provenance { try file.write(provenance) }
        try file.close()
    }

    /// Every histogram as UHI JSON, normalised: `{sample: {name: {variation: histogram}}}`.
    ///
    /// ```swift
    /// let json = results.uhiJSON
    /// ```
    public var uhiJSON: JSONValue {
        .object(samples.map { sample in
            (sample.name, .object(histogramNames.map { name in
                (name, .object(sample.variations.compactMap { variation in
                    (try? histogram(name, sample: sample.name, variation: variation)).map { (variation, $0.uhiJSON) }
                }))
            }))
        })
    }

    /// Writes ``uhiJSON`` to a file (`hist`: `uhi.io.json.from_json` on each leaf), with
    /// the ``provenance`` (when set) as the member `provenance` after the samples.
    ///
    /// ```swift
    /// try results.writeUHI(to: "results.json")
    /// ```
    public func writeUHI(to path: String) throws {
        try OutputFile.write(try withProvenance(uhiJSON, in: path).text, to: path)
    }

    /// `document` (an object by sample) with the provenance appended as its last member.
    func withProvenance(_ document: JSONValue, in path: String) throws -> JSONValue {
        try checkProvenanceName(in: path)
        guard let provenance, case .object(let members) = document else { return document }
        return .object(members + [(Provenance.outputName, provenance.json)])
    }

    /// With a provenance to write, refuses a sample named like its member (or directory in
    /// `results.root`), whose results it would mix with the record.
    func checkProvenanceName(in path: String) throws {
        guard provenance != nil, samples.contains(where: { $0.name == Provenance.outputName }) else { return }
        throw KaonError(.usage, "a sample named '\(Provenance.outputName)' clashes with where the outputs record their provenance; rename the sample", file: path)
    }

    /// Writes the standard set of outputs into `folder` (created if needed):
    /// `results.root` (``writeROOT(to:)``), `results.json` (``writeUHI(to:)``), and the cut
    /// flows as `cutflow.md` and `cutflow.json`. Returns the paths written, in that order.
    /// The ``provenance``, when set, goes into `results.root`, `results.json` and
    /// `cutflow.json`.
    ///
    /// ```swift
    /// let written = try results.writeOutputs(to: "out")   // out/results.root, out/results.json, …
    /// ```
    @discardableResult
    public func writeOutputs(to folder: String) throws -> [String] {
        try OutputFile.createDirectory(folder)
        let paths = Self.outputPaths(in: folder)
        try writeROOT(to: paths[0])
        try writeUHI(to: paths[1])
        try OutputFile.write(cutFlowTable(.markdown), to: paths[2])
        try OutputFile.write(try withProvenance(cutFlowJSON, in: paths[3]).text, to: paths[3])
        return paths
    }

    /// The files ``writeOutputs(to:)`` writes into `folder`, in the order it writes them (a
    /// command announces them to `PendingOutputs` before the run, so an interrupt names them).
    public static func outputPaths(in folder: String) -> [String] {
        ["results.root", "results.json", "cutflow.md", "cutflow.json"].map { folder + "/" + $0 }
    }
}
