import KaonEngine
import KaonIO
import KaonROOT
import KaonTree

extension Analysis {
    /// Runs the graph over every sample of `samples` in one pass and returns every result.
    ///
    /// Work items follow the files' clusters (about `blockSize` entries each); a file listed
    /// by several samples is read once and its events counted in each. MC results are
    /// normalised to luminosity × cross-section / sum of weights (``AnalysisResults``).
    ///
    /// ```swift
    /// let results = try analysis.run(samples: SampleSet(path: "samples.yml"), options: RunOptions(threads: 2))
    /// ```
    ///
    /// Under `FailurePolicy.skip` a file that cannot even be opened is skipped like one
    /// damaged further in: it is listed in the summary, and an MC sample's sum of generated
    /// weights is taken over its remaining files, which keeps the normalisation consistent
    /// with the events read.
    ///
    /// Each file is opened once: the trees opened to list the work items are the ones the
    /// run reads (an open of a remote file costs round trips).
    public func run(samples: SampleSet, blockSize: Int = 100_000, options: RunOptions = RunOptions()) throws -> AnalysisResults {
        guard options.onFailure == .skip else {
            let listed = try workItemsAndTrees(samples: samples, blockSize: blockSize)
            return try run(workItems: listed.items, samples: samples, options: options, openTrees: listed.trees)
        }
        var readable = samples
        var items: [WorkItem] = []
        var seen: Set<WorkItem> = []
        var trees: [String: Tree] = [:]
        var unreadable: [(file: String, error: String)] = []
        for (index, sample) in samples.samples.enumerated() {
            let found = try sample.dataset.workItemsAndTrees(blockSize: blockSize, onFailure: .skip)
            for item in found.items where seen.insert(item).inserted { items.append(item) }
            trees.merge(found.trees) { first, _ in first }
            for entry in found.unreadable where !unreadable.contains(where: { $0.file == entry.file }) { unreadable.append(entry) }
            let skipped = Set(found.unreadable.map(\.file))
            guard !skipped.isEmpty else { continue }
            readable.samples[index].files = try sample.files.flatMap { try Chain.expand($0) }.filter { !skipped.contains($0) }
            if readable.samples[index].files.isEmpty, case .branch = sample.weightSum {
                // No file left to sum weights over; the sample has no events, so any weight sum
                // gives the same (empty) histograms.
                readable.samples[index].weightSum = .sumOfWeights(1)
            }
        }
        var results = try run(workItems: items, samples: readable, options: options, openTrees: trees)
        results.summary.skipped = unreadable + results.summary.skipped
        return results
    }

    /// Runs the graph over one dataset as a single sample (`normalisation` scales every
    /// weight of an MC sample; data is never scaled).
    ///
    /// ```swift
    /// let results = try analysis.run(dataset: Dataset(files: ["data/*.root"], tree: "Events"), sample: "data", isMC: false)
    /// ```
    public func run(dataset: Dataset, sample: String, isMC: Bool, normalisation: Double = 1, blockSize: Int = 100_000,
                    options: RunOptions = RunOptions()) throws -> AnalysisResults {
        let set = SampleSet(luminosity: 1, samples: [Sample(name: sample, files: dataset.files, tree: dataset.treePath, isMC: isMC,
                                                            crossSection: isMC ? normalisation : nil,
                                                            weightSum: isMC ? .sumOfWeights(1) : nil)])
        return try run(samples: set, blockSize: blockSize, options: options)
    }

    /// The work items of a run over `samples`, in run order: each sample's files in order,
    /// every (file, tree) once even when several samples list it.
    ///
    /// ```swift
    /// let items = try analysis.workItems(samples: samples)
    /// let first = try analysis.run(workItems: Array(items[..<(items.count / 2)]), samples: samples)
    /// ```
    public func workItems(samples: SampleSet, blockSize: Int = 100_000) throws -> [WorkItem] {
        try workItemsAndTrees(samples: samples, blockSize: blockSize).items
    }

    /// ``workItems(samples:blockSize:)`` and the trees opened to list them, by file, for
    /// ``run(workItems:samples:options:openTrees:)``.
    func workItemsAndTrees(samples: SampleSet, blockSize: Int) throws -> (items: [WorkItem], trees: [String: Tree]) {
        var seen: Set<WorkItem> = []
        var items: [WorkItem] = []
        var trees: [String: Tree] = [:]
        for sample in samples.samples {
            let listed = try sample.dataset.workItemsAndTrees(blockSize: blockSize)
            for item in listed.items where seen.insert(item).inserted {
                items.append(item)
            }
            trees.merge(listed.trees) { first, _ in first }
        }
        return (items, trees)
    }

    /// Runs the graph over some work items only (a share of a larger run); partial results of
    /// disjoint shares merge exactly with ``AnalysisResults/merge(_:)``.
    ///
    /// Each item counts for every sample whose files include the item's file (and tree).
    /// `openTrees` are trees already open, by file (`Dataset.workItemsAndTrees`), read
    /// instead of opening those files again.
    ///
    /// ```swift
    /// var results = try analysis.run(workItems: firstHalf, samples: samples)
    /// try results.merge(analysis.run(workItems: secondHalf, samples: samples))
    /// ```
    public func run(workItems items: [WorkItem], samples: SampleSet, options: RunOptions = RunOptions(),
                    openTrees: [String: Tree] = [:]) throws -> AnalysisResults {
        let plan = freeze()
        let normalisations = try samples.normalisations()
        var filesOfSample: [Set<String>] = []
        for sample in samples.samples {
            filesOfSample.append(Set(try sample.files.flatMap { try Chain.expand($0) }))
        }
        var samplesOfItem: [WorkItem: [Int]] = [:]
        for item in items {
            let owners = samples.samples.indices.filter {
                filesOfSample[$0].contains(item.file) && samples.samples[$0].tree == item.tree
            }
            guard !owners.isEmpty else {
                throw KaonError(.usage, "work item \(item) belongs to no sample of the samples set")
            }
            samplesOfItem[item] = owners
        }
        let sampleList = samples.samples
        let lookup = samplesOfItem
        let evaluators = [BlockEvaluator(plan: plan, isMC: false), BlockEvaluator(plan: plan, isMC: true)]
        let run = try Executor.run(items, options: options, openTrees: openTrees, makeAccumulator: { AnalysisAccumulator() }) { accumulator, block in
            for index in lookup[block.item] ?? [] {
                let isMC = sampleList[index].isMC
                var tally = SampleTally(plan: plan, variations: plan.variationNames(isMC: isMC).count)
                try evaluators[isMC ? 1 : 0].evaluate(block, into: &tally)
                accumulator.samples[index] = tally
            }
        }
        let descriptions = samples.samples.map {
            AnalysisResults.SampleInfo(name: $0.name, group: $0.group, isMC: $0.isMC, normalisation: normalisations[$0.name] ?? 1,
                                       variations: plan.variationNames(isMC: $0.isMC))
        }
        var tallies: [SampleTally] = []
        for (index, info) in descriptions.enumerated() {
            tallies.append(run.value.samples[index] ?? SampleTally(plan: plan, variations: info.variations.count))
        }
        return AnalysisResults(plan: plan, samples: descriptions, tallies: tallies, summary: run.summary)
    }
}

