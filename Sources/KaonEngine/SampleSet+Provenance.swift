import KaonIO
import KaonRemote
import KaonROOT
import KaonTree

extension SampleSet {
    /// The inputs of a run over these samples, for its `Provenance`: every file once (globs
    /// expanded, in sample order) with its header's UUID, its size and the entries the run
    /// read from it (`summary`, the run's).
    ///
    /// The files the run read are described as it opened them (``RunSummary/inputs``: no
    /// file is opened twice, which for a remote file would cost round trips). Others are
    /// opened here: a file skipped under `FailurePolicy.skip` (no entries; no UUID when it
    /// cannot be opened), and every file of results that travelled as bytes (from Dask
    /// workers), which carry no inputs: each counts its tree's entries, as a run reads every
    /// entry of a file it does not skip.
    ///
    /// ```swift
    /// let inputs = try samples.provenanceInputs(of: results.summary)
    /// ```
    public func provenanceInputs(of summary: RunSummary) throws -> [Provenance.Input] {
        let read = Dictionary(summary.inputs.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let measured = !summary.workItemMetrics.isEmpty
        let skipped = Set(summary.skipped.map(\.file))
        var seen: Set<String> = []
        var inputs: [Provenance.Input] = []
        for sample in samples {
            for path in try sample.files.flatMap({ try Chain.expand($0) }) where seen.insert(path).inserted {
                if let input = read[path] {
                    inputs.append(input)
                    continue
                }
                guard let file = try? ROOTFile(path: path) else {
                    inputs.append(Provenance.Input(path: path, uuid: nil, size: (try? openSource(path))?.size ?? 0, entries: 0))
                    continue
                }
                let entries = measured || skipped.contains(path) ? 0 : try OpenedEntries.open(file, path: sample.tree).entries
                inputs.append(file.provenanceInput(entries: entries))
            }
        }
        return inputs
    }
}
