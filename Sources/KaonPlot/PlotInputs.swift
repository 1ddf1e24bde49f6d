import KaonIO
import KaonROOT

/// The histograms of a results file as `kaon run`, `kaon adl` and `kaon demo` write it: one
/// directory per sample, in it NAME (nominal) and NAME__VARIATION histograms, or REGION
/// directories holding them (ADL regions: the histogram is then called REGION/NAME).
public struct PlotInputs: Sendable {
    /// The sample directories, in file order.
    public var samples: [String]
    /// Histogram names (REGION/NAME inside regions), in the order they first appear.
    public var histogramNames: [String]
    /// `histograms[sample][name][variation]`, "nominal" for the nominal.
    public var histograms: [String: [String: [String: ROOTHistogram]]]

    /// Reads every 1D and 2D histogram of the file (the last cycle of each key).
    public init(path: String) throws {
        let file = try ROOTFile(path: path)
        samples = []
        histogramNames = []
        histograms = [:]
        var seenNames: Set<String> = []
        for key in file.root.keys where Directory.isDirectory(key) && !samples.contains(key.name) {
            samples.append(key.name)
            let directory = try withContext(file: path, object: key.name) { try file.root.subdirectory(key) }
            var latest: [String: (cycle: Int, key: Key)] = [:]
            var order: [String] = []
            for (keyPath, key) in try directory.walk() where key.className.hasPrefix("TH1") || key.className.hasPrefix("TH2") {
                if latest[keyPath] == nil { order.append(keyPath) }
                if key.cycle >= latest[keyPath]?.cycle ?? Int.min { latest[keyPath] = (key.cycle, key) }
            }
            for keyPath in order {
                let histogramKey = latest[keyPath]!.key
                let prefix = directory.path + "/"
                let inSample = keyPath.hasPrefix(prefix) ? String(keyPath.dropFirst(prefix.count)) : keyPath
                let leaf = inSample.split(separator: "/").last.map(String.init) ?? inSample
                let parts = leaf.components(separatedBy: "__")
                let name = String(inSample.dropLast(leaf.count)) + parts[0]
                let variation = parts.count > 1 ? parts[1...].joined(separator: "__") : "nominal"
                let histogram = try withContext(file: path, object: key.name + "/" + inSample) {
                    try ROOTHistogram(file.readObject(histogramKey))
                }
                histograms[key.name, default: [:]][name, default: [:]][variation] = histogram
                if seenNames.insert(name).inserted { histogramNames.append(name) }
            }
        }
        guard !samples.isEmpty else {
            throw KaonError(.notFound, "no sample directories with histograms (kaon run writes one per sample)", file: path)
        }
    }

    /// Whether a sample directory holds collision data rather than simulation, judged by its
    /// name when no configuration says: "data" anywhere, or a primary-dataset name
    /// (SingleMuon, DoubleEG, EGamma, MuonEG, JetHT, Run2016…).
    public static func looksLikeData(_ sample: String) -> Bool {
        let lower = sample.lowercased()
        return lower.contains("data") || ["single", "double", "egamma", "muoneg", "jetht", "run20", "run1", "run2", "run3"].contains { lower.hasPrefix($0) }
    }
}
