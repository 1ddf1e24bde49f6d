import KaonIO
import KaonROOT
import KaonRemote
import KaonTree

/// A set of samples and the integrated luminosity they are normalised to, as read from a
/// samples file.
///
/// The file is YAML, in the spirit of bamboo's:
///
/// ```yaml
/// luminosity: 59740          # integrated luminosity, in 1/pb
/// tree: Events               # default tree name for every sample
/// samples:
///   DY:
///     files: [dy/*.root]      # paths or globs, relative to the samples file, or URLs
///     type: mc
///     group: Drell-Yan        # samples of one group are stacked together in plots
///     cross-section: 6077.22  # in pb
///     sum-of-weights-from: {tree: Runs, branch: genEventSumw}
///   TTbar:
///     files: [tt.root]
///     type: mc
///     cross-section: 831.76
///     generated-events: 1000000   # or sum-of-weights: 1.2e6
///   SingleMuon:
///     files: [data/*.root]
///     type: data
/// ```
///
/// Monte Carlo is scaled by `luminosity × cross-section / sum of generated weights`; data
/// by 1. Units are the user's, as long as luminosity and cross-sections agree.
public struct SampleSet: Sendable {
    public var luminosity: Double
    public var samples: [Sample]

    public init(luminosity: Double, samples: [Sample]) {
        self.luminosity = luminosity
        self.samples = samples
    }

    /// Reads a samples file (a path or a URL); relative file patterns are resolved against its
    /// folder.
    public init(path: String) throws {
        let source = try openSource(path)
        let text = String(decoding: try source.read(at: 0, count: source.size), as: UTF8.self)
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        try self.init(yaml: text, baseDirectory: folder, name: path)
    }

    /// Parses samples-file YAML.
    public init(yaml: String, baseDirectory: String = ".", name: String = "samples file") throws {
        guard let top = try YAMLJSON.load(yaml, name: name) as? [String: Any] else {
            throw KaonError(.malformed, "expected a mapping with 'luminosity' and 'samples'", file: name)
        }
        let known: Set = ["luminosity", "tree", "samples"]
        if let unknown = top.keys.first(where: { !known.contains($0) }) {
            throw KaonError(.malformed, "unknown key '\(unknown)' (expected luminosity, tree, samples)", file: name)
        }
        let defaultTree = top["tree"] as? String ?? "Events"
        guard let entries = top["samples"] as? [String: Any], !entries.isEmpty else {
            throw KaonError(.malformed, "'samples' must be a non-empty mapping of sample names", file: name)
        }
        var samples: [Sample] = []
        for sampleName in entries.keys.sorted() {
            guard let fields = entries[sampleName] as? [String: Any] else {
                throw KaonError(.malformed, "sample '\(sampleName)' must be a mapping", file: name)
            }
            samples.append(try withContext(file: name, object: "sample \(sampleName)") {
                try Sample(name: sampleName, fields: fields, defaultTree: defaultTree, baseDirectory: baseDirectory)
            })
        }
        let luminosity = Self.number(top["luminosity"])
        if samples.contains(where: { $0.isMC }) {
            guard let luminosity, luminosity > 0 else {
                throw KaonError(.malformed, "'luminosity' must be a positive number when there are MC samples", file: name)
            }
        }
        self.init(luminosity: luminosity ?? 0, samples: samples)
    }

    /// The scale factor of each sample: luminosity × cross-section / sum of weights for MC,
    /// 1 for data. Reads the weight sums from the files where the samples file says so.
    public func normalisations() throws -> [String: Double] {
        var result: [String: Double] = [:]
        for sample in samples {
            result[sample.name] = try sample.normalisation(luminosity: luminosity)
        }
        return result
    }

    static func number(_ value: Any?) -> Double? {
        switch value {
        case let v as Double: v
        case let v as Int: Double(v)
        case let v as String: Double(v)
        default: nil
        }
    }
}

/// One sample of a samples file.
public struct Sample: Sendable {
    /// How the sum of generated weights is known.
    public enum WeightSum: Sendable, Equatable {
        case generatedEvents(Int)
        case sumOfWeights(Double)
        /// Summed over every entry of a branch (NanoAOD: tree `Runs`, branch `genEventSumw`).
        case branch(tree: String, branch: String)
    }

    public var name: String
    public var files: [String]
    public var tree: String
    public var isMC: Bool
    public var group: String
    public var crossSection: Double?
    public var weightSum: WeightSum?

    public var dataset: Dataset { Dataset(files: files, tree: tree) }

    /// A sample given in code rather than read from a samples file (MC needs a cross-section
    /// and a weight sum for ``normalisation(luminosity:)``).
    ///
    /// ```swift
    /// let dy = Sample(name: "DY", files: ["dy.root"], isMC: true, crossSection: 6077, weightSum: .sumOfWeights(1.2e6))
    /// ```
    public init(name: String, files: [String], tree: String = "Events", isMC: Bool, group: String? = nil,
                crossSection: Double? = nil, weightSum: WeightSum? = nil) {
        self.name = name
        self.files = files
        self.tree = tree
        self.isMC = isMC
        self.group = group ?? name
        self.crossSection = crossSection
        self.weightSum = weightSum
    }

    init(name: String, fields: [String: Any], defaultTree: String, baseDirectory: String) throws {
        let known: Set = ["files", "tree", "type", "group", "cross-section", "generated-events", "sum-of-weights", "sum-of-weights-from"]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) {
            throw KaonError(.malformed, "unknown key '\(unknown)'")
        }
        self.name = name
        let rawFiles: [String]
        switch fields["files"] {
        case let list as [Any]: rawFiles = list.compactMap { $0 as? String }
        case let single as String: rawFiles = [single]
        default: throw KaonError(.malformed, "'files' must be a list of paths or globs")
        }
        guard !rawFiles.isEmpty else { throw KaonError(.malformed, "'files' is empty") }
        // A URL (https://…, root://…) is absolute like a path from /.
        files = rawFiles.map { $0.hasPrefix("/") || RemoteURL($0) != nil ? $0 : baseDirectory + "/" + $0 }
        tree = fields["tree"] as? String ?? defaultTree
        switch (fields["type"] as? String)?.lowercased() {
        case "mc": isMC = true
        case "data": isMC = false
        default: throw KaonError(.malformed, "'type' must be 'mc' or 'data'")
        }
        group = fields["group"] as? String ?? name
        crossSection = SampleSet.number(fields["cross-section"])
        let sums = ["generated-events", "sum-of-weights", "sum-of-weights-from"].filter { fields[$0] != nil }
        guard sums.count <= 1 else { throw KaonError(.malformed, "give only one of \(sums.joined(separator: ", "))") }
        if let n = fields["generated-events"] as? Int {
            weightSum = .generatedEvents(n)
        } else if let w = SampleSet.number(fields["sum-of-weights"]) {
            weightSum = .sumOfWeights(w)
        } else if let from = fields["sum-of-weights-from"] as? [String: Any] {
            guard let branch = from["branch"] as? String else {
                throw KaonError(.malformed, "'sum-of-weights-from' needs a 'branch' (and optionally a 'tree', default Runs)")
            }
            weightSum = .branch(tree: from["tree"] as? String ?? "Runs", branch: branch)
        } else if !sums.isEmpty {
            throw KaonError(.malformed, "'\(sums[0])' has the wrong type")
        }
        if isMC {
            guard let crossSection, crossSection > 0 else { throw KaonError(.malformed, "MC needs a positive 'cross-section'") }
            guard weightSum != nil else {
                throw KaonError(.malformed, "MC needs 'generated-events', 'sum-of-weights' or 'sum-of-weights-from'")
            }
        }
    }

    /// The sum of generated weights this sample is normalised by.
    public func sumOfWeights() throws -> Double? {
        switch weightSum {
        case .none: return nil
        case .generatedEvents(let n): return Double(n)
        case .sumOfWeights(let w): return w
        case .branch(let treeName, let branchName):
            let chain = try Chain(patterns: files, treePath: treeName)
            let column = try chain.read(branchName)
            guard column.offsets.isEmpty, column.innerShape.isEmpty, case .primitive(let type, _) = column.values else {
                throw KaonError(.usage, "\(treeName):\(branchName) must be a scalar numeric branch to sum weights from")
            }
            // Summed in entry order in double precision, whatever the stored type.
            var total = 0.0
            switch type {
            case .float32: for v in try column.values(as: Float.self) { total += Double(v) }
            case .float64: for v in try column.values(as: Double.self) { total += v }
            case .int64: for v in try column.values(as: Int64.self) { total += Double(v) }
            case .int32: for v in try column.values(as: Int32.self) { total += Double(v) }
            case .uint32: for v in try column.values(as: UInt32.self) { total += Double(v) }
            case .uint64: for v in try column.values(as: UInt64.self) { total += Double(v) }
            default: throw KaonError(.usage, "\(treeName):\(branchName) has type \(type.rawValue), not a weight")
            }
            return total
        }
    }

    /// luminosity × cross-section / sum of weights for MC, 1 for data.
    public func normalisation(luminosity: Double) throws -> Double {
        guard isMC else { return 1 }
        guard let sum = try sumOfWeights(), sum != 0, let crossSection else {
            throw KaonError(.usage, "sample \(name): the sum of generated weights is zero")
        }
        return luminosity * crossSection / sum
    }
}
