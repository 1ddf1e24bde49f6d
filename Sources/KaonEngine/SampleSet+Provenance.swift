import KaonIO
import KaonRemote
import KaonROOT
import KaonTree

extension SampleSet {
    /// The inputs of a run over these samples, for its ``Provenance``: every file once (globs
    /// expanded, in sample order) with its header's UUID, its size and the entries the run
    /// read from it (`summary`, the run's).
    ///
    /// Entries come from the run's work items. A summary that carries none (results that
    /// travelled as bytes, e.g. from Dask workers) counts each file's tree entries instead:
    /// a run reads every entry of a file it does not skip. A file that cannot be opened (one
    /// a run under `FailurePolicy.skip` skipped) is listed with no UUID and no entries.
    ///
    /// ```swift
    /// let inputs = try samples.provenanceInputs(of: results.summary)
    /// ```
    public func provenanceInputs(of summary: RunSummary) throws -> [Provenance.Input] {
        let counted = summary.entriesByFile
        let measured = !summary.workItemMetrics.isEmpty
        let skipped = Set(summary.skipped.map(\.file))
        var seen: Set<String> = []
        var inputs: [Provenance.Input] = []
        for sample in samples {
            for path in try sample.files.flatMap({ try Chain.expand($0) }) where seen.insert(path).inserted {
                guard let file = try? ROOTFile(path: path) else {
                    inputs.append(Provenance.Input(path: path, uuid: nil, size: (try? openSource(path))?.size ?? 0, entries: 0))
                    continue
                }
                let entries = measured || skipped.contains(path) ? counted[path] ?? 0
                    : try OpenedEntries.open(file, path: sample.tree).entries
                inputs.append(file.provenanceInput(entries: entries))
            }
        }
        return inputs
    }
}
