import KaonEngine
import KaonHist
import KaonIO

/// The histograms of the ADL queries: the per-block accumulator of ``ADLAnalysis`` and its
/// merged result.
///
/// Every histogram exists (so blocks merge without checks); the ones of unselected queries
/// stay empty and are left out of ``histograms``.
///
/// ```swift
/// let result = try ADLAnalysis(queries: [.q1, .q6], binning: .paper).run(files: ["data.root"])
/// for (key, histogram) in result.value.histograms { print(key, histogram.sum()) }
/// ```
public struct ADLHistograms: Accumulator, Sendable, Equatable {
    /// The queries whose histograms are reported.
    public let queries: [ADLQuery]
    /// The histograms by key (``ADLHistogramKey``); stored properties so that a fill is a
    /// direct access, not a lookup.
    public var q1, q2, q3, q4, q5, q6pt, q6btag, q7, q8: RegularBins

    /// Empty histograms in `binning`.
    ///
    /// ```swift
    /// var histograms = ADLHistograms(queries: [.q1, .q5], binning: .rootProject)
    /// ```
    public init(queries: [ADLQuery], binning: ADLBinning) {
        self.queries = queries
        q1 = RegularBins(binning.axis(for: .q1))
        q2 = RegularBins(binning.axis(for: .q2))
        q3 = RegularBins(binning.axis(for: .q3))
        q4 = RegularBins(binning.axis(for: .q4))
        q5 = RegularBins(binning.axis(for: .q5))
        q6pt = RegularBins(binning.axis(for: .q6pt))
        q6btag = RegularBins(binning.axis(for: .q6btag))
        q7 = RegularBins(binning.axis(for: .q7))
        q8 = RegularBins(binning.axis(for: .q8))
    }

    /// The bins of histogram `key`.
    ///
    /// ```swift
    /// let underflow = histograms[.q7].counts[0]   // events with no isolated jet (paper binning)
    /// ```
    public subscript(key: ADLHistogramKey) -> RegularBins {
        switch key {
        case .q1: q1
        case .q2: q2
        case .q3: q3
        case .q4: q4
        case .q5: q5
        case .q6pt: q6pt
        case .q6btag: q6btag
        case .q7: q7
        case .q8: q8
        }
    }

    /// Adds a later block's counts (integer counts: the order cannot change the result).
    ///
    /// ```swift
    /// var total = analysis.makeHistograms()
    /// for block in blocks { total.merge(block) }
    /// ```
    public mutating func merge(_ other: ADLHistograms) {
        q1.add(other.q1); q2.add(other.q2); q3.add(other.q3); q4.add(other.q4); q5.add(other.q5)
        q6pt.add(other.q6pt); q6btag.add(other.q6btag); q7.add(other.q7); q8.add(other.q8)
    }

    /// The selected queries' histograms, in query order (`q6` gives `q6pt` and `q6btag`).
    ///
    /// ```swift
    /// for (key, histogram) in histograms.histograms { print(key, histogram.sum(flow: true)) }
    /// ```
    public var histograms: [(key: ADLHistogramKey, histogram: Histogram<Int64Storage>)] {
        queries.flatMap(\.histograms).map { ($0, self[$0].histogram) }
    }

    /// The histograms as one UHI JSON dictionary (keys `q1` … `q8`, `q6pt`, `q6btag`),
    /// readable by `uhi.io.json` / hist.
    ///
    /// ```swift
    /// try OutputFile.write(histograms.uhiJSONText, to: "adl.json")
    /// ```
    public var uhiJSONText: String {
        UHIJSON.file(histograms.map { ($0.key.rawValue, $0.histogram.uhiJSON) })
    }
}
