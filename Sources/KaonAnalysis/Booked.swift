import KaonHist
import KaonIO

/// The handle of a booked result: its name, the analysis that booked it, and the Swift type
/// it reads back as — `Histogram<WeightStorage>` for histograms, `Int` for a count (raw),
/// `Double` for a sum, `[Value]` for a take.
///
/// Booking methods of ``Selection`` return one; after the run, subscript the results with
/// it (the variation defaults to "nominal"). Results of another analysis refuse it with an
/// error rather than read a result that happens to share its name; results read back from
/// bytes (``AnalysisResults/init(serialized:name:)``, the CLI's archives) have no analysis to
/// match and are read by name instead.
///
/// ```swift
/// let mll = try os.histogram("mll", RegularAxis(60, 60, 120)) { $0[dimuonMass] }
/// let nOS = try os.count("nOS")
/// let results = try analysis.run(samples: samples)
/// let h = try results[mll, sample: "DY"]                       // Histogram<WeightStorage>
/// let up = try results[mll, sample: "DY", variation: "jesUp"]
/// let n = try results[nOS, sample: "data"]                     // Int
/// ```
public struct Booked<Value>: Sendable {
    /// The result's name (its key in written files and in string access).
    public let name: String
    /// ``Analysis/serial`` of the analysis that booked it.
    let analysis: UInt64
    /// That analysis' name (for messages).
    let analysisName: String
    /// Reads the value for a sample and variation from results of that analysis.
    let read: @Sendable (AnalysisResults, _ sample: String, _ variation: String) throws -> Value
}

extension AnalysisResults {
    /// The value of a booked result for a sample and variation: normalised histograms and
    /// sums, raw counts, take values (nominal only) — as the string accessors
    /// (``histogram(_:sample:variation:)``, ``count(_:sample:variation:)``,
    /// ``sum(_:sample:variation:)``, ``take(_:sample:as:)``) return them.
    ///
    /// ```swift
    /// let h = try results[mll, sample: "DY", variation: "muonSFUp"]
    /// ```
    public subscript<Value>(_ result: Booked<Value>, sample sample: String, variation variation: String = "nominal") -> Value {
        get throws {
            try check(result)
            return try result.read(self, sample, variation)
        }
    }

    /// The normalised sum of weights of the events a booked count counted.
    ///
    /// ```swift
    /// let expected = try results.weightedCount(nEvents, sample: "DY")
    /// ```
    public func weightedCount(_ count: Booked<Int>, sample: String, variation: String = "nominal") throws -> Double {
        try check(count)
        return try weightedCount(count.name, sample: sample, variation: variation)
    }

    /// The number of fills of a booked histogram (raw, unweighted), as ROOT's entries.
    ///
    /// ```swift
    /// let n = try results.entries(mll, sample: "DY")
    /// ```
    public func entries(_ histogram: Booked<Histogram<WeightStorage>>, sample: String, variation: String = "nominal") throws -> Int {
        try check(histogram)
        return try entries(histogram.name, sample: sample, variation: variation)
    }

    /// A booked histogram with every variation of the sample along a last "variation" axis
    /// (as the by-name `histogramWithVariations`).
    ///
    /// ```swift
    /// let h = try results.histogramWithVariations(mll, sample: "DY")
    /// ```
    public func histogramWithVariations(_ histogram: Booked<Histogram<WeightStorage>>, sample: String) throws -> Histogram<WeightStorage> {
        try check(histogram)
        return try histogramWithVariations(histogram.name, sample: sample)
    }

    /// Throws unless `result` was booked by the analysis whose run produced these results.
    private func check<Value>(_ result: Booked<Value>) throws {
        guard let producer else {
            throw KaonError(.usage, "result '\(result.name)': these results of '\(analysisName)' were read back from bytes and accept no handle; read them by name")
        }
        guard producer == result.analysis else {
            throw KaonError(.usage, "result '\(result.name)' was booked on analysis '\(result.analysisName)', not on the analysis '\(analysisName)' that produced these results")
        }
    }
}
