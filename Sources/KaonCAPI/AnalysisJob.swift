import KaonADL
import KaonADLLanguage
import KaonAnalysis
import KaonEngine
import KaonExamples
import KaonIO

/// A run that the Python package plans once and executes one work item at a time, possibly
/// on other machines (`kaon.dask`): the ADL benchmark queries (as `kaon adl`), an example
/// analysis (as `kaon run --analysis`) or an analysis written in ADL (as `kaon run X.adl`).
///
/// It travels as a JSON spec (`WorkItemRequest` describes the common members: samples,
/// `block_size`, `on_failure`):
/// - `{"kind": "adl", "files": [paths or globs], "tree": "Events", "queries": "all" or "q1,q5",
///   "binning": "root-project" or "paper"}`;
/// - `{"kind": "analysis", "analysis": NAME, …samples…}`;
/// - `{"kind": "adl_file", "name": "zmumu.adl", "source": TEXT, …samples…}`: the ADL text
///   travels in the spec, so workers need no copy of the file.
///
/// Every work item gives partial results as `AnalysisResults` (`KAONRSLT` bytes); merged in
/// work-item order after the plan's head, they equal the local run's.
struct AnalysisJob {
    enum Kind {
        case adl(ADLAnalysis, Dataset)
        case analysis(Analysis)
    }

    let kind: Kind
    let spec: JSONValue
    let options: WorkItemRequest.Options

    init(spec text: String) throws {
        let spec = try JSONValue.parse(text)
        self.spec = spec
        options = try WorkItemRequest.Options(spec)
        switch spec["kind"]?.string {
        case "adl":
            let query = spec["queries"]?.string ?? "all"
            guard let queries = ADLQuery.parse(query) else { throw KaonError(.usage, "job spec: queries must be all or q1 … q8, got '\(query)'") }
            let binningName = spec["binning"]?.string ?? ADLBinning.rootProject.rawValue
            guard let binning = ADLBinning(rawValue: binningName) else {
                throw KaonError(.usage, "job spec: binning must be root-project or paper, got '\(binningName)'")
            }
            guard let files = spec["files"]?.array?.compactMap(\.string), !files.isEmpty else {
                throw KaonError(.usage, "job spec: files must be a non-empty list of paths")
            }
            kind = .adl(ADLAnalysis(queries: queries, binning: binning), Dataset(files: files, tree: spec["tree"]?.string ?? "Events"))
        case "analysis":
            guard let name = spec["analysis"]?.string else { throw KaonError(.usage, "job spec: 'analysis' (a name) is missing") }
            kind = .analysis(try ExampleAnalyses.make(name))
        case "adl_file":
            guard let text = spec["source"]?.string else { throw KaonError(.usage, "job spec: 'source' (the ADL text) is missing") }
            let name = spec["name"]?.string ?? "analysis.adl"
            do {
                kind = .analysis(try ADLProgram(source: ADLSource(name: name, text: text)).analysis)
            } catch {
                throw KaonError(.usage, "\(error)")  // the message starts with file:line:column
            }
        default:
            throw KaonError(.usage, "job spec: kind must be adl, analysis or adl_file, got \(spec["kind"]?.text ?? "nothing")")
        }
    }

    /// The plan as JSON (`WorkItemRequest.plan`): items, unreadable files, the spec to run the
    /// items with and the head partial.
    func plan() throws -> JSONValue {
        switch kind {
        case .adl(let analysis, let dataset):
            let found = try dataset.workItems(blockSize: options.blockSize, onFailure: options.onFailure)
            let summary = RunSummary(entries: 0, workItems: 0, seconds: 0, threads: 1, bytesLoaded: 0, skipped: found.unreadable)
            return WorkItemRequest.planJSON(items: found.items, unreadable: found.unreadable, spec: spec,
                                            head: try analysis.makeHistograms().analysisResults(summary: summary).serialized())
        case .analysis(let analysis):
            return try WorkItemRequest.plan(analysis, spec: spec)
        }
    }

    /// Runs `items` of a planned job (this spec is the plan's) on `threads` threads, without a
    /// progress line; serialized partial results.
    func run(_ items: [WorkItem], threads: Int = 1) throws -> [UInt8] {
        switch kind {
        case .adl(let analysis, _):
            let result = try analysis.run(workItems: items, options: RunOptions(threads: threads, onFailure: options.onFailure, progress: false))
            return try result.value.analysisResults(summary: result.summary).serialized()
        case .analysis(let analysis):
            return try WorkItemRequest.run(analysis, spec: spec, items: items, threads: threads)
        }
    }

    /// The whole job on this machine, as the CLI runs it (`kaon adl`, `kaon run`).
    func runLocally(threads: Int) throws -> AnalysisResults {
        let plan = try plan()
        guard let spec = plan["spec"], let head = plan["head"]?.array, let items = plan["items"]?.array else {
            throw KaonError(.usage, "job plan is incomplete")
        }
        var results = try AnalysisResults(serialized: head.map { UInt8($0.integer ?? 0) })
        let job = try AnalysisJob(spec: spec.text)
        try results.merge(AnalysisResults(serialized: job.run(items.map(WorkItem.init(json:)), threads: threads)))
        return results
    }
}
