import KaonEngine
import KaonHist
import KaonIO

extension AnalysisResults {
    /// Results made of count histograms only, for one sample of data: how analyses that fill
    /// their own histograms (the ADL queries) hand their partials over in the same serialized
    /// form (``serialized()``) as the dataflow API, so that the same merging, writing and
    /// distribution (Python's `kaon.dask`) serve both.
    ///
    /// Each histogram is a result of the selection `all` with the cells' counts as Σw and Σw²
    /// (unit weights) and their total, flow included, as the entries.
    ///
    /// ```swift
    /// let partial = AnalysisResults(analysisName: "adl", sample: "data", histograms: [("q1", h)], summary: run.summary)
    /// ```
    public init(analysisName: String, sample: String, histograms: [(name: String, histogram: Histogram<Int64Storage>)],
                summary: RunSummary) {
        var tallies: [[CellTally]] = []
        for (_, histogram) in histograms {
            let counts = histogram.bins  // every cell, flow included, in storage order
            var cells = CellTally(cells: counts.count)
            for (k, count) in counts.enumerated() where count != 0 {
                cells.values[k] = ExactSum(Double(count))
                cells.variances[k] = ExactSum(Double(count))
            }
            cells.entries = Int(counts.reduce(0, +))
            tallies.append([cells])
        }
        self.init(analysisName: analysisName,
                  samples: [SampleInfo(name: sample, group: sample, isMC: false, normalisation: 1, variations: ["nominal"])],
                  summary: summary,
                  selections: [SelectionInfo(name: "all", parent: -1)],
                  results: histograms.map { ResultInfo(name: $0.name, selection: 0, kind: .histogram($0.histogram.axes)) },
                  tallies: [SampleTally(cutFlow: [[CellTally(cells: 1)]], results: tallies, takes: [:])])
    }

    /// A count histogram of results made by ``init(analysisName:sample:histograms:summary:)``
    /// (or any histogram of unit weights of data): its cells as exact integer counts.
    ///
    /// ```swift
    /// let q1 = try merged.countHistogram("q1", sample: "data")
    /// ```
    public func countHistogram(_ name: String, sample: String) throws -> Histogram<Int64Storage> {
        let (s, r, v) = try locate(name, sample: sample, variation: "nominal")
        guard case .histogram(let axes) = results[r].kind else { throw KaonError(.usage, "result '\(name)' is not a histogram") }
        var cells = tallies[s].results[r][v]
        cells.normalize()
        let counts = cells.values.map { Int64($0.value) }
        return try Histogram(axes: axes, bins: counts, metadata: HistogramMetadata(name: name))
    }
}
