import KaonADL
import KaonAnalysis
import KaonEngine
import KaonExamples
import KaonIO

/// A run that the Python package plans once and executes one work item at a time, possibly
/// on other machines (`kaon.dask`): the ADL benchmark queries (as `kaon adl`) or an example
/// analysis over a samples set (as `kaon run --analysis`).
///
/// It travels as a JSON object, the *spec*:
/// - `{"kind": "adl", "files": [paths or globs], "tree": "Events", "queries": "all" or "q1,q5",
///   "binning": "root-project" or "paper"}`;
/// - `{"kind": "analysis", "analysis": NAME, "samples_file": PATH}`, or `"files": [...]` (with
///   optional `"tree"`, `"sample"`: one data sample), or `"samples"`: a resolved samples set
///   (``resolvedSamplesJSON(_:)``, what ``plan()`` puts in the spec it returns);
/// - both with optional `"block_size"` (entries per work item, 100000) and `"on_failure"`
///   (`fail` or `skip`).
///
/// Every work item gives a partial result as `AnalysisResults` (``serialized()`` bytes,
/// `KAONRSLT`); merged in work-item order, after ``Plan/head``, they equal the local run's.
struct AnalysisJob {
    enum Kind {
        case adl(ADLAnalysis, Dataset)
        case analysis(name: String, SampleSet)
    }

    let kind: Kind
    let blockSize: Int
    let onFailure: FailurePolicy
    /// The spec as given, to return with resolved samples.
    let spec: JSONValue

    init(spec text: String) throws {
        let spec = try JSONValue.parse(text)
        self.spec = spec
        blockSize = Int(spec["block_size"]?.integer ?? 100_000)
        guard blockSize > 0 else { throw KaonError(.usage, "job spec: block_size must be positive, got \(blockSize)") }
        let policy = spec["on_failure"]?.string ?? FailurePolicy.fail.rawValue
        guard let onFailure = FailurePolicy(rawValue: policy) else {
            throw KaonError(.usage, "job spec: on_failure must be fail or skip, got '\(policy)'")
        }
        self.onFailure = onFailure
        let tree = spec["tree"]?.string ?? "Events"
        switch spec["kind"]?.string {
        case "adl":
            let query = spec["queries"]?.string ?? "all"
            guard let queries = ADLQuery.parse(query) else { throw KaonError(.usage, "job spec: queries must be all or q1 … q8, got '\(query)'") }
            let binningName = spec["binning"]?.string ?? ADLBinning.rootProject.rawValue
            guard let binning = ADLBinning(rawValue: binningName) else {
                throw KaonError(.usage, "job spec: binning must be root-project or paper, got '\(binningName)'")
            }
            kind = .adl(ADLAnalysis(queries: queries, binning: binning), Dataset(files: try Self.strings(spec["files"], "files"), tree: tree))
        case "analysis":
            guard let name = spec["analysis"]?.string else { throw KaonError(.usage, "job spec: 'analysis' (a name) is missing") }
            _ = try ExampleAnalyses.make(name)  // an unknown name fails here, listing the known ones
            let samples: SampleSet
            if let resolved = spec["samples"] {
                samples = try Self.samples(resolvedJSON: resolved)
            } else if let path = spec["samples_file"]?.string {
                samples = try SampleSet(path: path)
            } else {
                let files = try Self.strings(spec["files"], "files, samples_file or samples")
                samples = SampleSet(luminosity: 1, samples: [Sample(name: spec["sample"]?.string ?? "data", files: files, tree: tree, isMC: false)])
            }
            kind = .analysis(name: name, samples)
        default:
            throw KaonError(.usage, "job spec: kind must be adl or analysis, got \(spec["kind"]?.text ?? "nothing")")
        }
    }

    /// A job's work items, in run order, the unreadable files (`skip` only), the spec the
    /// items are to be run with (samples resolved: files expanded, weight sums read), and
    /// the head: results without events listing the unreadable files, merged first.
    struct Plan {
        var items: [WorkItem]
        var unreadable: [(file: String, error: String)]
        var spec: JSONValue
        var head: AnalysisResults
    }

    func plan() throws -> Plan {
        switch kind {
        case .adl(let analysis, let dataset):
            let found = try dataset.workItems(blockSize: blockSize, onFailure: onFailure)
            let summary = RunSummary(entries: 0, workItems: 0, seconds: 0, threads: 1, bytesLoaded: 0, skipped: found.unreadable)
            return Plan(items: found.items, unreadable: found.unreadable, spec: spec,
                        head: analysis.makeHistograms().analysisResults(summary: summary))
        case .analysis(let name, let samples):
            let analysis = try ExampleAnalyses.make(name)
            var plan = try analysis.plan(samples: samples, blockSize: blockSize, onFailure: onFailure)
            for index in plan.samples.samples.indices where plan.samples.samples[index].isMC {
                // Read once here rather than by every task.
                plan.samples.samples[index].weightSum = try plan.samples.samples[index].sumOfWeights().map(Sample.WeightSum.sumOfWeights)
            }
            return Plan(items: plan.items, unreadable: plan.unreadable, spec: replacing("samples", with: Self.resolvedSamplesJSON(plan.samples)),
                        head: try analysis.startingResults(plan))
        }
    }

    /// Runs the job over `items` (one for a task) on `threads` threads, without a progress line.
    func run(_ items: [WorkItem], threads: Int = 1) throws -> AnalysisResults {
        let options = RunOptions(threads: threads, onFailure: onFailure, progress: false)
        switch kind {
        case .adl(let analysis, _):
            let result = try analysis.run(workItems: items, options: options)
            return result.value.analysisResults(summary: result.summary)
        case .analysis(let name, let samples):
            return try ExampleAnalyses.make(name).run(workItems: items, samples: samples, options: options)
        }
    }

    /// The whole job on this machine, as the CLI runs it (`kaon adl`, `kaon run`).
    func runLocally(threads: Int) throws -> AnalysisResults {
        let plan = try plan()
        var results = plan.head
        try results.merge(AnalysisJob(spec: plan.spec.text).run(plan.items, threads: threads))
        return results
    }

    private func replacing(_ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(var members) = spec else { return spec }
        members.removeAll { $0.0 == key || $0.0 == "samples_file" || $0.0 == "files" }
        members.append((key, value))
        return .object(members)
    }

    private static func strings(_ value: JSONValue?, _ what: String, allowEmpty: Bool = false) throws -> [String] {
        guard let items = value?.array, allowEmpty || !items.isEmpty else { throw KaonError(.usage, "job spec: '\(what)' must be a non-empty list of paths") }
        return try items.map {
            guard let text = $0.string else { throw KaonError(.usage, "job spec: '\(what)' must hold strings") }
            return text
        }
    }

    /// A samples set whose weight sums are numbers, as JSON (doubles written exactly).
    static func resolvedSamplesJSON(_ set: SampleSet) -> JSONValue {
        .object([
            ("luminosity", .number(set.luminosity)),
            ("samples", .array(set.samples.map { sample in
                var members: [(String, JSONValue)] = [
                    ("name", .string(sample.name)), ("files", .array(sample.files.map(JSONValue.string))), ("tree", .string(sample.tree)),
                    ("mc", .bool(sample.isMC)), ("group", .string(sample.group)),
                ]
                if let crossSection = sample.crossSection { members.append(("cross_section", .number(crossSection))) }
                if case .sumOfWeights(let sum) = sample.weightSum { members.append(("sum_of_weights", .number(sum))) }
                return .object(members)
            })),
        ])
    }

    static func samples(resolvedJSON json: JSONValue) throws -> SampleSet {
        guard let luminosity = json["luminosity"]?.number, let list = json["samples"]?.array else {
            throw KaonError(.usage, "job spec: 'samples' needs luminosity and samples")
        }
        return SampleSet(luminosity: luminosity, samples: try list.map { entry in
            guard let name = entry["name"]?.string, let mc = entry["mc"]?.bool else {
                throw KaonError(.usage, "job spec: every sample needs a name and mc")
            }
            return Sample(name: name, files: try strings(entry["files"], "files of sample \(name)", allowEmpty: true), tree: entry["tree"]?.string ?? "Events",
                          isMC: mc, group: entry["group"]?.string, crossSection: entry["cross_section"]?.number,
                          weightSum: entry["sum_of_weights"]?.number.map(Sample.WeightSum.sumOfWeights))
        })
    }
}
