import KaonAnalysis
import KaonIO
import KaonWrite

/// The AGC's results in the reference's file layout, which its cabinetry configs read:
/// `histograms.root` with one TH1D per region, process and variation, named
/// `{region}_{process}` (nominal) or `{region}_{process}_{variation}` (`4j1b_ttbar_pt_scale_up`,
/// `4j2b_wjets_scale_var_down`, `4j1b_ttbar_ME_var` from the alternative sample), plus
/// `{region}_pseudodata` = (ME_var + PS_var) / 2 + W+jets; `histograms_ml.root` the same for
/// the 20 ML features. Empty histograms are left out, as the reference leaves them out.
///
/// ```swift
/// let layout = try AGCHistograms.layout(runs, histograms: AGCAnalysis.regions)
/// try AGCHistograms.write(layout, to: "histograms.root")
/// ```
public enum AGCHistograms {
    /// One histogram of the layout.
    public struct Entry {
        public var name: String
        public var histogram: Histogram<WeightStorage>
        public var entries: Double
    }

    /// The AGC's name of an engine variation of a nominal sample of `process`, or nil when the
    /// layout does not hold it (the Down of the jet variations; `scale_var` outside W+jets).
    public static func variationName(_ variation: String, process: String) -> String? {
        if variation == "nominal" { return "" }
        let jetVariations = ["pt_scale", "pt_res"]
        for name in jetVariations where variation == name + "Up" { return "_\(name)_up" }
        for name in AGCAnalysis.bTagVariations + ["scale_var"] {
            if name == "scale_var" && process != "wjets" { continue }
            if variation == name + "Up" { return "_\(name)_up" }
            if variation == name + "Down" { return "_\(name)_down" }
        }
        return nil
    }

    /// The layout's histograms for `histograms` (booked names of the AGC graph) from the
    /// results of ``AGCAnalysis/run(_:samples:options:)``, in the order of the samples, then pseudodata.
    public static func layout(_ runs: [AnalysisResults], histograms: [String]) throws -> [Entry] {
        var out: [Entry] = []
        for name in histograms {
            var byName: [String: Histogram<WeightStorage>] = [:]
            for results in runs {
                for sample in results.samples {
                    let (process, sampleVariation) = AGCSamples.split(sample.name)
                    for variation in sample.variations {
                        let suffix: String
                        if sampleVariation == "nominal" {
                            guard let s = variationName(variation, process: process) else { continue }
                            suffix = s
                        } else {
                            // Alternative samples give the nominal of their variation only.
                            guard variation == "nominal" else { continue }
                            suffix = "_" + sampleVariation
                        }
                        let h = try results.histogram(name, sample: sample.name, variation: variation)
                        guard h.values().reduce(0, +) > 0 else { continue }
                        let key = "\(name)_\(process)\(suffix)"
                        byName[key] = h
                        out.append(Entry(name: key, histogram: h,
                                         entries: Double(try results.entries(name, sample: sample.name, variation: variation))))
                    }
                }
            }
            if let me = byName["\(name)_ttbar_ME_var"], let ps = byName["\(name)_ttbar_PS_var"], let wjets = byName["\(name)_wjets"] {
                let pseudodata = (me + ps).scaled(by: 0.5) + wjets
                out.append(Entry(name: "\(name)_pseudodata", histogram: pseudodata, entries: pseudodata.values().reduce(0, +)))
            }
        }
        return out
    }

    /// Writes the entries as TH1Ds at the top of a new ROOT file.
    public static func write(_ entries: [Entry], to path: String) throws {
        let file = try ROOTFileWriter(path: path, title: "Kaon AGC histograms")
        for entry in entries {
            try file.write(WritableHistogram(entry.histogram, name: entry.name, title: entry.name, entries: entry.entries), to: entry.name)
        }
        try file.close()
    }
}
