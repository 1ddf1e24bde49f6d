import KaonEngine
import KaonHist
import KaonIO

/// Everything an analysis run produced: per sample and variation, every booked histogram,
/// count, sum and take, the cut flow, and the run's summary.
///
/// ## Normalisation
/// Values are stored unnormalised (exact sums of the event weights) together with each
/// sample's normalisation — luminosity × cross-section / sum of generated weights for MC, 1
/// for data — and every accessor returns **normalised** values: a histogram's contents are
/// multiplied by the normalisation and its variances by its square; the cut flow's weighted
/// column and weighted counts and sums likewise. Raw counts (cut-flow rows, ``count(_:sample:variation:)``,
/// a histogram's entries in ROOT files) are never scaled.
///
/// ## Variations
/// Every sample has `"nominal"`; MC samples also have `<name>Up`/`<name>Down` for each
/// weight and object variation, in declaration order (``variations(sample:)``).
///
/// ```swift
/// ## Reading results
/// Read a result with the handle its booking returned (``Booked``):
/// `results[mll, sample: "DY"]`. The string accessors below serve results that have no
/// handle: read back from bytes or files, or listed by ``resultNames``.
///
/// ```swift
/// let results = try analysis.run(samples: samples)
/// let h = try results[mll, sample: "DY", variation: "jesUp"]
/// print(results.cutFlowTable())
/// try results.writeROOT(to: "results.root")
/// ```
public struct AnalysisResults: Sendable {
    /// What the results know about a sample.
    ///
    /// ```swift
    /// for sample in results.samples where sample.isMC { print(sample.name, sample.normalisation) }
    /// ```
    public struct SampleInfo: Sendable, Equatable {
        public var name: String
        public var group: String
        public var isMC: Bool
        /// The factor every weighted value of the sample is multiplied by when read.
        public var normalisation: Double
        /// "nominal" first, then the variations (MC only).
        public var variations: [String]
    }

    struct SelectionInfo: Sendable, Equatable {
        var name: String
        var parent: Int
    }

    struct ResultInfo: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case histogram([AnyAxis])
            case count, sum, take
        }
        var name: String
        var selection: Int
        var kind: Kind
    }

    /// The analysis' name.
    public internal(set) var analysisName: String
    /// The samples, in samples-file order.
    public internal(set) var samples: [SampleInfo]
    /// How the run went (for merged results: entries, blocks, bytes and seconds added up).
    public internal(set) var summary: RunSummary
    /// What produced these results (inputs, configuration, command line), written into every
    /// output by ``writeOutputs(to:)``; nil until the caller sets it. Merging keeps the union
    /// of both records' inputs (`Provenance.merged(with:)`).
    public var provenance: Provenance?
    /// ``Analysis/serial`` of the analysis whose run produced these results (the handles they
    /// accept); nil for results read back from bytes, or merged from different producers.
    var producer: UInt64?
    var selections: [SelectionInfo]
    var results: [ResultInfo]
    var tallies: [SampleTally]

    init(plan: GraphPlan, samples: [SampleInfo], tallies: [SampleTally], summary: RunSummary) {
        analysisName = plan.analysisName
        producer = plan.serial
        self.samples = samples
        self.tallies = tallies
        self.summary = summary
        selections = plan.selections.map { SelectionInfo(name: $0.name, parent: $0.parent) }
        results = plan.results.map { node in
            let kind: ResultInfo.Kind
            switch node.kind {
            case .histogram(let layout, _): kind = .histogram(layout.axes)
            case .count: kind = .count
            case .sum: kind = .sum
            case .take: kind = .take
            }
            return ResultInfo(name: node.name, selection: node.selection, kind: kind)
        }
    }

    init(analysisName: String, samples: [SampleInfo], summary: RunSummary, selections: [SelectionInfo],
         results: [ResultInfo], tallies: [SampleTally]) {
        self.analysisName = analysisName
        producer = nil
        self.samples = samples
        self.summary = summary
        self.selections = selections
        self.results = results
        self.tallies = tallies
    }

    /// Names of the booked results, in booking order.
    ///
    /// ```swift
    /// results.resultNames   // ["mll", "nEvents", …]
    /// ```
    public var resultNames: [String] { results.map(\.name) }

    /// Names of the histograms, in booking order.
    ///
    /// ```swift
    /// for name in results.histogramNames { print(try results.histogram(name, sample: "DY").textPlot()) }
    /// ```
    public var histogramNames: [String] {
        results.compactMap { if case .histogram = $0.kind { $0.name } else { nil } }
    }

    /// The variations of a sample ("nominal" first).
    ///
    /// ```swift
    /// try results.variations(sample: "DY")   // ["nominal", "jesUp", "jesDown", …]
    /// ```
    public func variations(sample: String) throws -> [String] { samples[try sampleIndex(sample)].variations }

    func sampleIndex(_ name: String) throws -> Int {
        guard let k = samples.firstIndex(where: { $0.name == name }) else {
            throw KaonError(.usage, "no sample '\(name)' in the results (samples: \(samples.map(\.name).joined(separator: ", ")))")
        }
        return k
    }

    func locate(_ name: String, sample: String, variation: String) throws -> (sample: Int, result: Int, variation: Int) {
        let s = try sampleIndex(sample)
        guard let r = results.firstIndex(where: { $0.name == name }) else {
            throw KaonError(.usage, "no result '\(name)' was booked (results: \(resultNames.joined(separator: ", ")))")
        }
        guard let v = samples[s].variations.firstIndex(of: variation) else {
            throw KaonError(.usage, "sample '\(sample)' has no variation '\(variation)' (it has \(samples[s].variations.joined(separator: ", ")))")
        }
        return (s, r, v)
    }

    /// A booked histogram of a sample and variation, normalised, with weighted storage
    /// (Σw and Σw² per cell, boost-histogram's `Weight`).
    ///
    /// ```swift
    /// let h: Histogram<WeightStorage> = try results.histogram("mll", sample: "DY", variation: "nominal")
    /// ```
    public func histogram(_ name: String, sample: String, variation: String = "nominal") throws -> Histogram<WeightStorage> {
        let (s, r, v) = try locate(name, sample: sample, variation: variation)
        guard case .histogram(let axes) = results[r].kind else { throw KaonError(.usage, "result '\(name)' is not a histogram") }
        let cells = tallies[s].results[r][v].cells(scale: samples[s].normalisation)
        return try Histogram(axes: axes, bins: cells, metadata: HistogramMetadata(name: name))
    }

    /// A booked histogram with every variation of the sample along one more axis: a string
    /// category axis named "variation" ("nominal" first), without flow bin.
    ///
    /// ```swift
    /// let h = try results.histogramWithVariations("mll", sample: "DY")
    /// let up = try h.selecting("variation", .string("jesUp"))
    /// ```
    public func histogramWithVariations(_ name: String, sample: String) throws -> Histogram<WeightStorage> {
        let s = try sampleIndex(sample)
        let variations = samples[s].variations
        let perVariation = try variations.map { try histogram(name, sample: sample, variation: $0) }
        let axis = StrCategoryAxis(categories: variations, overflow: false, metadata: AxisMetadata(name: "variation"))
        let cellsPerVariation = perVariation[0].bins.count
        var cells: [WeightedSum] = []
        cells.reserveCapacity(cellsPerVariation * variations.count)
        for cell in 0..<cellsPerVariation {
            for h in perVariation { cells.append(h.bins[cell]) }  // the new axis is last, so fastest
        }
        return try Histogram(axes: perVariation[0].axes + [axis.erased], bins: cells, metadata: HistogramMetadata(name: name))
    }

    /// The number of fills of a histogram (raw, unweighted), as ROOT's entries.
    ///
    /// ```swift
    /// let n = try results.entries("mll", sample: "DY")
    /// ```
    public func entries(_ name: String, sample: String, variation: String = "nominal") throws -> Int {
        let (s, r, v) = try locate(name, sample: sample, variation: variation)
        return tallies[s].results[r][v].entries
    }

    /// A booked count: the raw number of events passing.
    ///
    /// ```swift
    /// let n = try results.count("nEvents", sample: "data")
    /// ```
    public func count(_ name: String, sample: String, variation: String = "nominal") throws -> Int {
        let (s, r, v) = try locate(name, sample: sample, variation: variation)
        guard results[r].kind == .count else { throw KaonError(.usage, "result '\(name)' is not a count") }
        return tallies[s].results[r][v].entries
    }

    /// A booked count: the normalised sum of weights of the events passing.
    ///
    /// ```swift
    /// let expected = try results.weightedCount("nEvents", sample: "DY")
    /// ```
    public func weightedCount(_ name: String, sample: String, variation: String = "nominal") throws -> Double {
        let (s, r, v) = try locate(name, sample: sample, variation: variation)
        guard results[r].kind == .count else { throw KaonError(.usage, "result '\(name)' is not a count") }
        return tallies[s].results[r][v].values[0].value * samples[s].normalisation
    }

    /// A booked sum: Σ weight × value over the passing events, normalised.
    ///
    /// ```swift
    /// let total = try results.sum("sumMET", sample: "DY")
    /// ```
    public func sum(_ name: String, sample: String, variation: String = "nominal") throws -> Double {
        let (s, r, v) = try locate(name, sample: sample, variation: variation)
        guard results[r].kind == .sum else { throw KaonError(.usage, "result '\(name)' is not a sum") }
        return tallies[s].results[r][v].values[0].value * samples[s].normalisation
    }

    /// A booked take: the values of every passing event (nominal), in dataset order.
    ///
    /// ```swift
    /// let runs = try results.take("runs", sample: "data", as: Int.self)
    /// ```
    public func take<Value: Decodable>(_ name: String, sample: String, as type: Value.Type) throws -> [Value] {
        let (s, r, _) = try locate(name, sample: sample, variation: "nominal")
        guard results[r].kind == .take else { throw KaonError(.usage, "result '\(name)' is not a take") }
        return try (tallies[s].takes[r] ?? TakeTally()).decoded(as: type, name: name)
    }

    /// Adds the results of another run of the same analysis over other work items.
    ///
    /// Sums are exact (``ExactSum``), so merging partial runs — in any grouping — gives the
    /// same values bit for bit as one run over all items. `take` values are appended:
    /// merge shares in work-item order to keep them in dataset order.
    ///
    /// ```swift
    /// var results = try AnalysisResults(serialized: first)
    /// try results.merge(AnalysisResults(serialized: second))
    /// ```
    public mutating func merge(_ other: AnalysisResults) throws {
        guard other.analysisName == analysisName, other.selections == selections, other.results == results else {
            throw KaonError(.usage, "cannot merge results of different analyses ('\(analysisName)' and '\(other.analysisName)', or a different graph)")
        }
        if other.producer != producer { producer = nil }
        for (k, info) in other.samples.enumerated() {
            if let mine = samples.firstIndex(where: { $0.name == info.name }) {
                guard samples[mine] == info else {
                    throw KaonError(.usage, "cannot merge results: sample '\(info.name)' differs (normalisation or variations)")
                }
                tallies[mine].merge(other.tallies[k])
            } else {
                samples.append(info)
                tallies.append(other.tallies[k])
            }
        }
        let mergedMetrics = summary.workItemMetrics + other.summary.workItemMetrics
        let mergedInputs = Provenance.union(summary.inputs, other.summary.inputs)
        let mergedProvenance = provenance.map { mine in other.provenance.map { mine.merged(with: $0) } ?? mine } ?? other.provenance
        summary = RunSummary(entries: summary.entries + other.summary.entries,
                             workItems: summary.workItems + other.summary.workItems,
                             seconds: summary.seconds + other.summary.seconds,
                             threads: max(summary.threads, other.summary.threads),
                             bytesLoaded: summary.bytesLoaded + other.summary.bytesLoaded,
                             skipped: summary.skipped + other.summary.skipped)
        summary.workItemMetrics = mergedMetrics
        summary.inputs = mergedInputs
        provenance = mergedProvenance
    }
}
