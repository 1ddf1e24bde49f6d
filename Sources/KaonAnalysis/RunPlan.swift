import KaonEngine
import KaonTree

/// What a run over a samples set will do: its work items, in run order, the samples as the
/// run counts them, and the files that could not be opened.
///
/// A local run (``Analysis/run(samples:blockSize:options:)``) and a distributed one (Python's
/// `kaon.dask`, each work item a task) start from the same plan, so they process the same
/// items with the same normalisations and merge to the same results.
///
/// ```swift
/// let plan = try analysis.plan(samples: samples, onFailure: .skip)
/// var results = try analysis.run(workItems: plan.items, samples: plan.samples)
/// ```
public struct RunPlan: Sendable {
    /// The work items: each sample's files in order, every (file, tree) once.
    public var items: [WorkItem]
    /// The samples without the unreadable files (an MC sample left with no file sums its
    /// weights to 1: it has no events, so any sum gives the same empty histograms).
    public var samples: SampleSet
    /// The files skipped because they could not be opened (`FailurePolicy.skip` only).
    public var unreadable: [(file: String, error: String)]
    /// The trees (or RNTuples) opened to list the work items, by file: a local run reads
    /// these instead of opening every file again (an open of a remote file costs round trips).
    public var openTrees: [String: OpenedEntries] = [:]
}

extension Analysis {
    /// The work items of a run over `samples` and the samples they count for; under
    /// `FailurePolicy.skip` a file that cannot be opened is left out and listed, and an MC
    /// sample's sum of generated weights is then taken over its remaining files, which keeps
    /// the normalisation consistent with the events read.
    ///
    /// ```swift
    /// let plan = try analysis.plan(samples: SampleSet(path: "samples.yml"), onFailure: .skip)
    /// print(plan.items.count, plan.unreadable)
    /// ```
    public func plan(samples: SampleSet, blockSize: Int = 100_000, onFailure: FailurePolicy = .fail) throws -> RunPlan {
        var plan = RunPlan(items: [], samples: samples, unreadable: [])
        var seen: Set<WorkItem> = []
        for (index, sample) in samples.samples.enumerated() {
            let found = try sample.dataset.workItemsAndTrees(blockSize: blockSize, onFailure: onFailure)
            for item in found.items where seen.insert(item).inserted { plan.items.append(item) }
            plan.openTrees.merge(found.trees) { first, _ in first }
            for entry in found.unreadable where !plan.unreadable.contains(where: { $0.file == entry.file }) {
                plan.unreadable.append(entry)
            }
            let skipped = Set(found.unreadable.map(\.file))
            guard !skipped.isEmpty else { continue }
            plan.samples.samples[index].files = try sample.files.flatMap { try Chain.expand($0) }.filter { !skipped.contains($0) }
            if plan.samples.samples[index].files.isEmpty, case .branch = sample.weightSum {
                plan.samples.samples[index].weightSum = .sumOfWeights(1)
            }
        }
        return plan
    }
}

extension Analysis {
    /// Results without events that list the plan's unreadable files: the first partial of a
    /// run assembled from per-item partials, so that the merged summary lists skipped files
    /// as a local run's does (unreadable files first, then those that failed while read).
    ///
    /// ```swift
    /// var results = try analysis.startingResults(plan)
    /// for item in plan.items { try results.merge(analysis.run(workItems: [item], samples: plan.samples)) }
    /// ```
    public func startingResults(_ plan: RunPlan) throws -> AnalysisResults {
        var results = try run(workItems: [], samples: plan.samples, options: RunOptions(progress: false))
        results.summary.skipped = plan.unreadable
        return results
    }
}
