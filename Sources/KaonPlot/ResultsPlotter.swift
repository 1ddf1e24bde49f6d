import Foundation
import KaonIO

/// `kaon plot` as a library call: every histogram of a results file drawn as the
/// configuration says — 1D histograms as data/prediction stacks, 2D ones as colour maps of
/// the summed simulation (or data), and the cut flow from `cutflow.json` beside the file.
///
/// ```swift
/// let written = try ResultsPlotter.plot(results: "out/results.root", configuration: PlotConfiguration(),
///                                       to: "out/plots", formats: [.svg])
/// ```
public enum ResultsPlotter {
    /// One drawn figure: the file name it gets (without extension) and its SVG.
    public struct Figure: Sendable {
        public var name: String
        public var svg: String
        /// What its `<metadata>` holds (PNGs get it as text chunks).
        public var metadata: [String: String]
    }

    /// Draws and writes every figure; returns the paths written.
    ///
    /// - Parameters:
    ///   - results: The results file (`results.root` of `kaon run`).
    ///   - configuration: Groups, plots and style (`PlotConfiguration()` for the defaults).
    ///   - folder: Where the files go (created).
    ///   - formats: SVG, PNG and/or PDF.
    ///   - metadata: Written into every figure's `<metadata>` (provenance).
    @discardableResult
    public static func plot(results: String, configuration: PlotConfiguration, to folder: String, formats: [PlotFormat],
                            metadata: [String: String] = [:]) throws -> [String] {
        let inputs = try PlotInputs(path: results)
        let cutFlowPath = (results.contains("/") ? String(results[..<results.lastIndex(of: "/")!]) : ".") + "/cutflow.json"
        var cutFlow: JSONValue?
        if configuration.cutFlow, FileManager.default.fileExists(atPath: cutFlowPath) {
            let source = try LocalFileSource(path: cutFlowPath)
            cutFlow = try withContext(file: cutFlowPath) { try JSONValue.parse(String(decoding: try source.read(at: 0, count: source.size), as: UTF8.self)) }
        }
        let figures = try withContext(file: results) {
            try self.figures(inputs, configuration: configuration, cutFlow: cutFlow, metadata: metadata.merging(["source": results]) { a, _ in a })
        }
        try OutputFile.createDirectory(folder)
        var written: [String] = []
        for figure in figures {
            written += try PlotRenderer.write(figure.svg, to: folder + "/" + figure.name, formats: formats, metadata: figure.metadata)
        }
        return written
    }

    /// The groups of a file: the configured ones, or one per sample directory (data
    /// recognised by ``PlotInputs/looksLikeData(_:)``).
    static func groups(_ inputs: PlotInputs, configuration: PlotConfiguration) throws -> [(group: PlotConfiguration.Group, samples: [String])] {
        if configuration.groups.isEmpty {
            return inputs.samples.map { sample in
                (PlotConfiguration.Group(name: sample, type: PlotInputs.looksLikeData(sample) ? .data : .mc), [sample])
            }
        }
        return try configuration.groups.map { group in
            let samples = inputs.samples.filter { sample in group.samples.contains { globMatches($0, sample) } }
            guard !samples.isEmpty else {
                throw KaonError(.notFound, "group '\(group.name)': no sample directory matches \(group.samples.joined(separator: ", ")) (the file has \(inputs.samples.joined(separator: ", ")))")
            }
            return (group, samples)
        }
    }

    /// Every figure, in the order of the histograms in the file, then the cut flow.
    public static func figures(_ inputs: PlotInputs, configuration: PlotConfiguration, cutFlow: JSONValue? = nil,
                               metadata: [String: String] = [:]) throws -> [Figure] {
        let groups = try groups(inputs, configuration: configuration)
        var figures: [Figure] = []
        for name in inputs.histogramNames {
            guard let options = configuration.plot(for: name) else { continue }
            let dimension = inputs.samples.lazy.compactMap { inputs.histograms[$0]?[name]?["nominal"]?.dimension }.first ?? 0
            var figureMetadata = metadata
            figureMetadata["histogram"] = name
            let fileName = name.replacingOccurrences(of: "/", with: "_")
            let svg: String
            if dimension == 2 {
                svg = try withContext(object: name) { try colourMap(name, inputs: inputs, groups: groups, options: options, style: configuration.style, metadata: figureMetadata) }
            } else if dimension == 1 {
                let samples = try withContext(object: name) {
                    try groups.map { entry -> (PlotConfiguration.Group, PlotSample)? in
                        try groupSample(name, entry.group, entry.samples, inputs: inputs, rebin: options.rebin)
                    }.compactMap { $0 }
                }
                let xTitle = options.xTitle ?? samples.first.map(\.1.nominal.xTitle).flatMap { $0.isEmpty ? nil : $0 } ?? name
                svg = try withContext(object: name) {
                    try stack(samples, options: options, style: configuration.style, xTitle: xTitle, metadata: figureMetadata).svg()
                }
            } else { continue }
            figures.append(Figure(name: fileName, svg: svg, metadata: figureMetadata))
        }
        if let cutFlow, let figure = try cutFlowFigure(cutFlow, groups: groups, style: configuration.style, metadata: metadata) {
            figures.append(figure)
        }
        return figures
    }

    /// The sum of a group's samples for histogram `name`, with its variations (a sample
    /// without a variation counts with its nominal); nil when no sample has the histogram.
    static func groupSample(_ name: String, _ group: PlotConfiguration.Group, _ samples: [String], inputs: PlotInputs,
                            rebin: Int) throws -> (PlotConfiguration.Group, PlotSample)? {
        let present = samples.compactMap { inputs.histograms[$0]?[name] }.filter { $0["nominal"] != nil }
        guard !present.isEmpty else { return nil }
        let variations = Set(present.flatMap(\.keys)).subtracting(["nominal"]).sorted()
        func summed(_ variation: String) throws -> BinnedHistogram {
            var total: BinnedHistogram?
            for byVariation in present {
                let h = try BinnedHistogram(byVariation[variation] ?? byVariation["nominal"]!).rebinned(rebin)
                total = try total.map { try $0.adding(h) } ?? h
            }
            return total!
        }
        var sample = PlotSample(legend: group.legend, colour: group.colour, nominal: try summed("nominal"))
        if group.type != .data { for v in variations { sample.variations[v] = try summed(v) } }
        return (group, sample)
    }

    /// The stack plot of one histogram's groups: backgrounds ordered by `order`, then by
    /// yield (smallest at the bottom), signals and data as the groups' types say.
    static func stack(_ samples: [(PlotConfiguration.Group, PlotSample)], options: PlotConfiguration.Plot, style: PlotStyle,
                      xTitle: String, metadata: [String: String]) throws -> StackPlot {
        var plot = StackPlot(style: style)
        plot.xTitle = xTitle
        plot.yTitle = options.yTitle ?? (options.normalisation == .unit ? "Fraction of events" : "Events")
        plot.logY = options.log
        plot.ratio = options.ratio
        plot.blinded = options.blinded
        plot.metadata = metadata
        let ordered = samples.sorted { a, b in
            (a.0.order ?? Int.max, a.1.nominal.total) < (b.0.order ?? Int.max, b.1.nominal.total)
        }
        plot.background = ordered.filter { $0.0.type == .mc }.map(\.1)
        plot.signals = ordered.filter { $0.0.type == .signal }.map(\.1)
        plot.stackSignals = ordered.contains { $0.0.type == .signal && $0.0.stacked }
        if plot.stackSignals {  // stacked and superimposed signals cannot mix in one plot: stack those asked
            plot.background += ordered.filter { $0.0.type == .signal && $0.0.stacked }.map(\.1)
            plot.signals = ordered.filter { $0.0.type == .signal && !$0.0.stacked }.map(\.1)
            plot.stackSignals = false
        }
        for (group, sample) in ordered where group.type == .data {
            plot.data = try plot.data.map { try $0.adding(sample.nominal) } ?? sample.nominal
            plot.dataLegend = configuredDataLegend(group)
        }
        let prediction = plot.background.map(\.nominal.total).reduce(0, +)
        switch options.normalisation {
        case .none: break
        case .toData:
            if let data = plot.data, prediction > 0 { plot.background = plot.background.map { scaled($0, data.total / prediction) } }
        case .unit:
            if prediction > 0 { plot.background = plot.background.map { scaled($0, 1 / prediction) } }
            plot.signals = plot.signals.map { $0.nominal.total > 0 ? scaled($0, 1 / $0.nominal.total) : $0 }
            if let data = plot.data, data.total > 0 { plot.data = data.scaled(1 / data.total) }
        }
        return plot
    }

    static func configuredDataLegend(_ group: PlotConfiguration.Group) -> String {
        group.legend == group.name && PlotInputs.looksLikeData(group.name) ? "Data" : group.legend
    }

    static func scaled(_ sample: PlotSample, _ factor: Double) -> PlotSample {
        var out = sample
        out.nominal = sample.nominal.scaled(factor)
        out.variations = sample.variations.mapValues { $0.scaled(factor) }
        return out
    }

    /// A 2D histogram: the summed simulation, or the data when there is no simulation.
    static func colourMap(_ name: String, inputs: PlotInputs, groups: [(group: PlotConfiguration.Group, samples: [String])],
                          options: PlotConfiguration.Plot, style: PlotStyle, metadata: [String: String]) throws -> String {
        func sum(_ type: PlotConfiguration.GroupType) throws -> BinnedHistogram2D? {
            var total: BinnedHistogram2D?
            for entry in groups where entry.group.type == type {
                for sample in entry.samples {
                    guard let h = inputs.histograms[sample]?[name]?["nominal"] else { continue }
                    let map = try BinnedHistogram2D(h)
                    total = try total.map { try $0.adding(map) } ?? map
                }
            }
            return total
        }
        guard let histogram = try sum(.mc) ?? sum(.data) ?? sum(.signal) else {
            throw KaonError(.notFound, "no sample has a nominal '\(name)'")
        }
        var plot = ColorMapPlot(histogram: histogram, style: style)
        plot.xTitle = options.xTitle
        plot.yTitle = options.yTitle
        plot.logZ = options.log
        plot.metadata = metadata
        return try plot.svg()
    }

    /// The cut flow (`cutflow.json`: `{sample: {rows: [{name, weighted, …}]}}`) as a stack of
    /// weighted events after each selection, log scale, data as points.
    static func cutFlowFigure(_ json: JSONValue, groups: [(group: PlotConfiguration.Group, samples: [String])], style: PlotStyle,
                              metadata: [String: String]) throws -> Figure? {
        var names: [String] = []
        var perSample: [String: [Double]] = [:]
        for entry in groups {
            for sample in entry.samples {
                guard let rows = json[sample]?["rows"]?.array else { continue }
                let rowNames = rows.map { $0["name"]?.string ?? "?" }
                if names.isEmpty { names = rowNames }
                guard rowNames == names else { throw KaonError(.malformed, "the cut flow of '\(sample)' has other selections than the others") }
                perSample[sample] = rows.map { $0["weighted"]?.number ?? 0 }
            }
        }
        guard !names.isEmpty else { return nil }
        let edges = (0...names.count).map(Double.init)
        var samples: [(PlotConfiguration.Group, PlotSample)] = []
        for entry in groups {
            var total: [Double]?
            for sample in entry.samples {
                guard let values = perSample[sample] else { continue }
                total = total.map { zip($0, values).map(+) } ?? values
            }
            guard let total else { continue }
            let h = try BinnedHistogram(edges: edges, values: total, variances: entry.group.type == .data ? total : [Double](repeating: 0, count: total.count))
            samples.append((entry.group, PlotSample(legend: entry.group.legend, colour: entry.group.colour, nominal: h)))
        }
        let figureMetadata = metadata.merging(["histogram": "cut flow"]) { _, b in b }
        var plot = try stack(samples, options: PlotConfiguration.Plot(pattern: "cutflow", log: true, ratio: false), style: style, xTitle: "",
                             metadata: figureMetadata)
        plot.xCategories = names
        plot.yTitle = "Events after selection"
        return Figure(name: "cutflow", svg: try plot.svg(), metadata: figureMetadata)
    }
}
