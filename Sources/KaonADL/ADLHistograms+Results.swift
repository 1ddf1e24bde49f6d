import KaonAnalysis
import KaonEngine
import KaonIO

extension ADLHistograms {
    /// The analysis name and the sample the ADL histograms carry in `AnalysisResults`.
    public static let resultsName = "adl"
    public static let resultsSample = "data"

    /// The histograms as `AnalysisResults` (one data sample, a count histogram per key of
    /// the selected queries): the serialized partial (`KAONRSLT`) a work item of a
    /// distributed ADL run returns, merged like any analysis' partials.
    ///
    /// ```swift
    /// let partial = try result.value.analysisResults(summary: result.summary).serialized()
    /// ```
    public func analysisResults(summary: RunSummary) -> AnalysisResults {
        AnalysisResults(analysisName: Self.resultsName, sample: Self.resultsSample,
                        histograms: histograms.map { ($0.key.rawValue, $0.histogram) }, summary: summary)
    }

    /// The histograms of `queries` read back from results made by
    /// ``analysisResults(summary:)`` (merged partials); their binning must be `binning`'s.
    ///
    /// ```swift
    /// let merged = try ADLHistograms(results: AnalysisResults(serialized: bytes), queries: ADLQuery.allCases, binning: .rootProject)
    /// print(merged.uhiJSONText)
    /// ```
    public init(results: AnalysisResults, queries: [ADLQuery], binning: ADLBinning) throws {
        guard results.analysisName == Self.resultsName else {
            throw KaonError(.usage, "results of '\(results.analysisName)' are not ADL benchmark histograms")
        }
        self.init(queries: Array(Set(queries)).sorted(), binning: binning)
        for key in self.queries.flatMap(\.histograms) {
            let counts = try results.countHistogram(key.rawValue, sample: Self.resultsSample)
            let empty = self[key]
            guard counts.axes.count == 1, counts.axes[0].sameBinning(empty.axis.erased) else {
                throw KaonError(.usage, "ADL histogram \(key.rawValue) of the results has another binning than '\(binning.rawValue)'")
            }
            let bins = RegularBins(empty.axis, counts: counts.bins)
            switch key {
            case .q1: q1 = bins
            case .q2: q2 = bins
            case .q3: q3 = bins
            case .q4: q4 = bins
            case .q5: q5 = bins
            case .q6pt: q6pt = bins
            case .q6btag: q6btag = bins
            case .q7: q7 = bins
            case .q8: q8 = bins
            }
        }
    }
}
