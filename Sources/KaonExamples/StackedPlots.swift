import KaonAnalysis
import KaonIO

/// Data/simulation plots of an analysis' nominal histograms: simulation stacked by the
/// samples' groups (smallest yield at the bottom), data as points.
public enum StackedPlots {
    /// One SVG document per histogram name.
    ///
    /// ```swift
    /// let svgs = try StackedPlots.make(results, samples: samples, histograms: ["mll"])
    /// try OutputFile.write(svgs["mll"]!, to: "mll.svg")
    /// ```
    public static func make(_ results: AnalysisResults, samples: SampleSet, histograms names: [String]) throws -> [String: String] {
        var plots: [String: String] = [:]
        for name in names {
            var groups: [String: Histogram<WeightStorage>] = [:]
            var data: Histogram<WeightStorage>?
            for sample in samples.samples {
                let histogram = try results.histogram(name, sample: sample.name, variation: "nominal")
                if sample.isMC {
                    groups[sample.group] = groups[sample.group].map { $0 + histogram } ?? histogram
                } else {
                    data = data.map { $0 + histogram } ?? histogram
                }
            }
            let stack = groups.sorted { total($0.value) < total($1.value) }.map { (label: $0.key, histogram: $0.value) }
            let label = stack.first?.histogram.axes.first?.metadata.displayLabel ?? name
            // The run's provenance goes into every plot, so `kaon provenance mll.svg` answers.
            let metadata = results.provenance.map { [Provenance.outputName: $0.json.text] } ?? [:]
            plots[name] = try svgStackPlot(stack: stack, data: data.map { (label: "data", histogram: $0) },
                                           options: SVGPlotOptions(title: name, xLabel: label, metadata: metadata))
        }
        return plots
    }

    static func total(_ h: Histogram<WeightStorage>) -> Double { h.values(flow: true).reduce(0, +) }
}
