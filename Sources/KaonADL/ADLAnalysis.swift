import KaonEngine
import KaonNano
import KaonROOT
import KaonTree

/// The ADL benchmark as one analysis: the selected queries run together in a single pass
/// over the events, block by block on the engine's threads.
///
/// This is the code a physicist writes: the event loop over the object view, a query per
/// file (``Query1`` … ``Query8``), histograms as the per-block accumulator. Each work item
/// fills its own ``ADLHistograms``; the engine merges them in work-item order, so the result
/// does not depend on the number of threads.
///
/// ```swift
/// let analysis = ADLAnalysis(queries: ADLQuery.allCases, binning: .rootProject)
/// let result = try analysis.run(files: ["Run2012B_SingleMu.root"], threads: 2)
/// print(result.summary)                        // entries, seconds, events/s
/// try OutputFile.write(result.value.uhiJSONText, to: "adl.json")
///
/// // Or, without the engine, over any Events:
/// var histograms = analysis.makeHistograms()
/// let scratch = ADLScratch()
/// try Events(path: "Run2012B_SingleMu_1000.root").forEachEvent { analysis.fill(&histograms, from: $0, scratch: scratch) }
/// ```
public struct ADLAnalysis: Sendable {
    /// The queries to run, in order.
    public let queries: [ADLQuery]
    /// The binning (and the Q7 variant) of the histograms.
    public let binning: ADLBinning
    // Looked up once here, not per event.
    let run1, run2, run3, run4, run5, run6, run7, run8: Bool

    /// An analysis of `queries` (default all eight) in `binning`.
    ///
    /// ```swift
    /// let zPeak = ADLAnalysis(queries: [.q5, .q8], binning: .paper)
    /// ```
    public init(queries: [ADLQuery] = ADLQuery.allCases, binning: ADLBinning = .rootProject) {
        self.queries = Array(Set(queries)).sorted()
        self.binning = binning
        let chosen = Set(queries)
        (run1, run2, run3, run4) = (chosen.contains(.q1), chosen.contains(.q2), chosen.contains(.q3), chosen.contains(.q4))
        (run5, run6, run7, run8) = (chosen.contains(.q5), chosen.contains(.q6), chosen.contains(.q7), chosen.contains(.q8))
    }

    /// Empty histograms for this analysis.
    ///
    /// ```swift
    /// var histograms = analysis.makeHistograms()
    /// ```
    public func makeHistograms() -> ADLHistograms { ADLHistograms(queries: queries, binning: binning) }

    /// Runs the selected queries on one event. `scratch` holds the queries' reusable
    /// per-event buffers: make one per thread (or per block), not one per event.
    ///
    /// ```swift
    /// let scratch = ADLScratch()
    /// try events.forEachEvent { analysis.fill(&histograms, from: $0, scratch: scratch) }
    /// ```
    public func fill(_ h: inout ADLHistograms, from event: Event, scratch: ADLScratch) {
        if run1 { h.q1.fill(Query1.value(event)) }
        if run2 { Query2.forEachValue(event) { h.q2.fill($0) } }
        if run3 { Query3.forEachValue(event) { h.q3.fill($0) } }
        if run4, let met = Query4.value(event) { h.q4.fill(met) }
        if run5, let met = Query5.value(event, leptons: scratch.leptons) { h.q5.fill(met) }
        if run6 { Query6.fill(&h.q6pt, &h.q6btag, from: event, search: scratch.trijets) }
        if run7 {
            let sum = Query7.value(event)
            // root-project skips events without a selected jet; the paper fills their 0.
            if sum != 0 || binning.fillsZeroJetSum { h.q7.fill(sum) }
        }
        if run8, let mt = Query8.value(event, leptons: scratch.leptons) { h.q8.fill(mt) }
    }

    /// Fills `h` from every event of an engine block (the body of an `Executor.run`).
    ///
    /// ```swift
    /// try Executor.run(items, makeAccumulator: { analysis.makeHistograms() }) { h, block in
    ///     try analysis.fill(&h, from: block)
    /// }
    /// ```
    public func fill(_ h: inout ADLHistograms, from block: EventBlock) throws {
        let view = ChunkView(source: block, firstEntry: block.item.firstEntry)
        let scratch = ADLScratch()
        for i in 0..<view.count { fill(&h, from: view[i], scratch: scratch) }
        // Property reads record a failed branch instead of throwing; report it here.
        try view.check()
    }

    /// Runs the analysis over the `Events` tree of `files` (paths or globs) in one pass.
    ///
    /// - Parameters:
    ///   - files: paths or globs of the input files.
    ///   - tree: the tree's path in each file.
    ///   - threads: worker threads; the result is identical for any number.
    ///   - blockSize: entries per work item, in whole clusters (`Dataset.workItems`).
    ///   - progress: draw a progress line on standard error (when it is a terminal).
    ///   - readPlanning: when reads are planned (`ReadPlanning`; by default for remote files).
    ///
    /// ```swift
    /// let result = try ADLAnalysis().run(files: ["data/*.root"], threads: 2)
    /// print(result.summary)
    /// ```
    public func run(files: [String], tree: String = "Events", threads: Int = 1, blockSize: Int = 100_000,
                    progress: Bool = false, readPlanning: ReadPlanning = .automatic) throws -> RunResult<ADLHistograms> {
        let dataset = try Dataset(files: files, tree: tree).workItemsAndTrees(blockSize: blockSize)
        return try run(workItems: dataset.items, options: RunOptions(threads: threads, progress: progress, readPlanning: readPlanning),
                       openTrees: dataset.trees)
    }

    /// Runs the analysis over some work items only (of `Dataset.workItems`): one item of a
    /// distributed run, or a share of a larger one; the histograms of disjoint shares add up
    /// to those of the whole run. The queries' branches are declared to the read planner.
    ///
    /// ```swift
    /// let items = try Dataset(files: ["data/*.root"], tree: "Events").workItems()
    /// let first = try ADLAnalysis().run(workItems: [items[0]], options: RunOptions(progress: false))
    /// ```
    public func run(workItems items: [WorkItem], options: RunOptions = RunOptions(), openTrees: [String: OpenedEntries] = [:])
        throws -> RunResult<ADLHistograms> {
        let analysis = self
        var options = options
        options.declaredBranches = Array(Set(queries.flatMap(\.branches))).sorted()
        return try Executor.run(items, options: options, openTrees: openTrees,
                                makeAccumulator: { analysis.makeHistograms() }) { histograms, block in
            try analysis.fill(&histograms, from: block)
        }
    }
}
