import KaonIO

extension SampleSet {
    /// The samples with every MC weight sum read (`sum-of-weights-from` summed over the files
    /// now), so that a work item run elsewhere normalises without reading them again.
    ///
    /// ```swift
    /// let resolved = try SampleSet(path: "samples.yml").resolvingWeightSums()
    /// ```
    public func resolvingWeightSums() throws -> SampleSet {
        var resolved = self
        for index in resolved.samples.indices where resolved.samples[index].isMC {
            resolved.samples[index].weightSum = try resolved.samples[index].sumOfWeights().map(Sample.WeightSum.sumOfWeights)
        }
        return resolved
    }

    /// The samples as JSON, for a work item run in another process (`kaon.dask`): luminosity and,
    /// per sample, name, files, tree, mc, group, cross_section and sum_of_weights (numbers
    /// written exactly). Weight sums read from branches are not carried: resolve them first
    /// (``resolvingWeightSums()``).
    ///
    /// ```swift
    /// let text = try samples.resolvingWeightSums().resolvedJSON.text
    /// ```
    public var resolvedJSON: JSONValue {
        .object([
            ("luminosity", .number(luminosity)),
            ("samples", .array(samples.map { sample in
                var members: [(String, JSONValue)] = [
                    ("name", .string(sample.name)), ("files", .array(sample.files.map(JSONValue.string))), ("tree", .string(sample.tree)),
                    ("mc", .bool(sample.isMC)), ("group", .string(sample.group)),
                ]
                if let crossSection = sample.crossSection { members.append(("cross_section", .number(crossSection))) }
                switch sample.weightSum {
                case .sumOfWeights(let sum): members.append(("sum_of_weights", .number(sum)))
                case .generatedEvents(let count): members.append(("sum_of_weights", .number(Double(count))))
                case .branch, .none: break
                }
                return .object(members)
            })),
        ])
    }

    /// Samples read back from ``resolvedJSON``.
    ///
    /// ```swift
    /// let samples = try SampleSet(resolvedJSON: JSONValue.parse(text))
    /// ```
    public init(resolvedJSON json: JSONValue) throws {
        guard let luminosity = json["luminosity"]?.number, let list = json["samples"]?.array else {
            throw KaonError(.malformed, "resolved samples: need luminosity and samples")
        }
        self.init(luminosity: luminosity, samples: try list.map { entry in
            guard let name = entry["name"]?.string, let mc = entry["mc"]?.bool, let files = entry["files"]?.array else {
                throw KaonError(.malformed, "resolved samples: every sample needs name, mc and files")
            }
            return Sample(name: name, files: files.compactMap(\.string), tree: entry["tree"]?.string ?? "Events", isMC: mc,
                          group: entry["group"]?.string, crossSection: entry["cross_section"]?.number,
                          weightSum: entry["sum_of_weights"]?.number.map(Sample.WeightSum.sumOfWeights))
        })
    }
}
