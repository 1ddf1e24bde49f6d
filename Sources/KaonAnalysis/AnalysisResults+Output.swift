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

    /// Writes ``uhiJSON`` to a file (`hist`: `uhi.io.json.from_json` on each leaf).
    ///
    /// ```swift
    /// try results.writeUHI(to: "results.json")
    /// ```
    public func writeUHI(to path: String) throws {
        try OutputFile.write(uhiJSON.text, to: path)
    }

    /// Writes the standard set of outputs into `folder` (created if needed):
    /// `results.root` (``writeROOT(to:)``), `results.json` (``writeUHI(to:)``), and the cut
    /// flows as `cutflow.md` and `cutflow.json`. Returns the paths written, in that order.
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
        try OutputFile.write(cutFlowTable(.json), to: paths[3])
        return paths
    }

    /// The files ``writeOutputs(to:)`` writes into `folder`, in the order it writes them (a
    /// command announces them to `PendingOutputs` before the run, so an interrupt names them).
    public static func outputPaths(in folder: String) -> [String] {
        ["results.root", "results.json", "cutflow.md", "cutflow.json"].map { folder + "/" + $0 }
    }
}
