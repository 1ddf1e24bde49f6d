import KaonAnalysis
import KaonIO

extension ADLProgram {
    /// Writes each `save NAME csv …` line's values as `folder/REGION_NAME.csv` (prefixed by
    /// `SAMPLE_` when there are several samples): a header of the columns' source text, then
    /// one row per event that passed the cuts above the line, in dataset order; an undefined
    /// value is `nan`. `print` lines' values go to standard output, one line per event.
    /// Returns the paths written.
    ///
    /// ```swift
    /// let written = try program.writeSaved(results, to: "out")
    /// ```
    public func writeSaved(_ results: AnalysisResults, to folder: String) throws -> [String] {
        var written: [String] = []
        let samples = results.samples.map(\.name)
        for entry in saved {
            for sample in samples {
                let rows = try results.take(entry.name, sample: sample, as: [Double].self)
                let lines = rows.map { $0.map { "\($0)" }.joined(separator: ",") }
                if entry.isPrint {
                    print("\(entry.name) [\(sample)]: \(entry.columns.joined(separator: " | "))")
                    lines.forEach { print("  " + $0) }
                    continue
                }
                let header = entry.columns.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
                let file = (samples.count > 1 ? sample + "_" : "") + entry.name.replacingOccurrences(of: "/", with: "_") + ".csv"
                let path = folder + "/" + file
                try OutputFile.write(([header] + lines).joined(separator: "\n") + "\n", to: path)
                written.append(path)
            }
        }
        return written
    }
}
