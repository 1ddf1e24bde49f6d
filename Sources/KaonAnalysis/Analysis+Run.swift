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
    /// with the events read (see ``plan(samples:blockSize:onFailure:)``).
    ///
    /// Each file is opened once: the trees opened to plan the work items are the ones the run
    /// reads (an open of a remote file costs round trips).
    public func run(samples: SampleSet, blockSize: Int = 100_000, options: RunOptions = RunOptions()) throws -> AnalysisResults {
        let plan = try plan(samples: samples, blockSize: blockSize, onFailure: options.onFailure)
        var results = try run(workItems: plan.items, samples: plan.samples, options: options, openTrees: plan.openTrees)
        results.summary.skipped = plan.unreadable + results.summary.skipped
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
        try plan(samples: samples, blockSize: blockSize).items
    }

    /// Runs the graph over some work items only (a share of a larger run); partial results of
    /// disjoint shares merge exactly with ``AnalysisResults/merge(_:)``.
    ///
    /// Each item counts for every sample whose files include the item's file (and tree).
    /// `openTrees` are trees already open, by file (``RunPlan/openTrees``), read instead of
    /// opening those files again.
    ///
    /// ```swift
    /// var results = try analysis.run(workItems: firstHalf, samples: samples)
    /// try results.merge(analysis.run(workItems: secondHalf, samples: samples))
    /// ```
    public func run(workItems items: [WorkItem], samples: SampleSet, options: RunOptions = RunOptions(),
                    openTrees: [String: OpenedEntries] = [:]) throws -> AnalysisResults {
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

