import KaonEngine
import KaonIO

/// How a process other than the one that plans a run executes its work items: Python's
/// `kaon.dask` plans a run once, then runs each work item as a task, in the Kaon library
/// (built-in analyses) or by starting the analysis executable of a `kaon new` package with
/// ``argument`` (``Analysis/serveWorkItemRequest(_:)``), so that workers need only that
/// executable and the Python package.
///
/// A run is described by a *spec*, a JSON object: the samples (`"samples_file"`: a samples
/// file; or `"files"` with optional `"tree"` and `"sample"`: one data sample; or `"samples"`:
/// resolved samples, `SampleSet.resolvedJSON`), `"block_size"` (entries per work item,
/// default 100000) and `"on_failure"` (`fail` or `skip`); other members are kept as they are.
///
/// ```swift
/// let plan = try WorkItemRequest.plan(analysis, spec: JSONValue.parse(#"{"samples_file": "samples.yml"}"#))
/// let partial = try WorkItemRequest.run(analysis, spec: plan["spec"]!, item: plan["items"]![0]!)
/// ```
public enum WorkItemRequest {
    /// The command-line argument that introduces a request: `--kaon-work-item-request JSON`,
    /// JSON being `{"action": "plan", "spec": SPEC, "output": PATH}` (writes ``plan(_:spec:)``'s
    /// JSON to PATH) or `{"action": "run", "spec": SPEC, "item": ITEM, "output": PATH}` (writes
    /// the item's serialized partial results to PATH).
    public static let argument = "--kaon-work-item-request"

    /// The run's plan as JSON: `items` (`WorkItem.json`, in run order), `unreadable`
    /// (`[{"file", "error"}]`, under `skip`), `spec` (the spec with the samples resolved, to
    /// run the items with) and `head` (the bytes, as numbers, of the partial results without
    /// events to merge first: ``Analysis/startingResults(_:)``).
    public static func plan(_ analysis: Analysis, spec: JSONValue) throws -> JSONValue {
        let options = try Options(spec)
        var plan = try analysis.plan(samples: samples(spec), blockSize: options.blockSize, onFailure: options.onFailure)
        plan.samples = try plan.samples.resolvingWeightSums()
        var resolved: [(String, JSONValue)] = []
        if case .object(let members) = spec { resolved = members.filter { !["samples", "samples_file", "files", "sample"].contains($0.0) } }
        resolved.append(("samples", plan.samples.resolvedJSON))
        return planJSON(items: plan.items, unreadable: plan.unreadable, spec: .object(resolved),
                        head: try analysis.startingResults(plan).serialized())
    }

    /// The plan JSON of ``plan(_:spec:)`` from its parts (also for runs that are not an `Analysis`).
    public static func planJSON(items: [WorkItem], unreadable: [(file: String, error: String)], spec: JSONValue, head: [UInt8]) -> JSONValue {
        .object([
            ("items", .array(items.map(\.json))),
            ("unreadable", .array(unreadable.map { .object([("file", .string($0.file)), ("error", .string($0.error))]) })),
            ("spec", spec),
            ("head", .array(head.map { .integer(Int64($0)) })),
        ])
    }

    /// Runs one work item (of a plan's `items`, with the plan's `spec`) on `threads` threads and
    /// returns its serialized partial results (``AnalysisResults/serialized()``). Under `skip` a
    /// file that cannot be read gives results without its events that list it.
    public static func run(_ analysis: Analysis, spec: JSONValue, items: [WorkItem], threads: Int = 1) throws -> [UInt8] {
        let options = try Options(spec)
        let runOptions = RunOptions(threads: threads, onFailure: options.onFailure, progress: false)
        return try analysis.run(workItems: items, samples: samples(spec), options: runOptions).serialized()
    }

    /// ``run(_:spec:items:threads:)`` of one item given as JSON.
    public static func run(_ analysis: Analysis, spec: JSONValue, item: JSONValue) throws -> [UInt8] {
        try run(analysis, spec: spec, items: [WorkItem(json: item)])
    }

    /// The options every spec carries.
    public struct Options: Sendable {
        public var blockSize: Int
        public var onFailure: FailurePolicy

        public init(_ spec: JSONValue) throws {
            blockSize = Int(spec["block_size"]?.integer ?? 100_000)
            guard blockSize > 0 else { throw KaonError(.usage, "run spec: block_size must be positive, got \(blockSize)") }
            let policy = spec["on_failure"]?.string ?? FailurePolicy.fail.rawValue
            guard let onFailure = FailurePolicy(rawValue: policy) else {
                throw KaonError(.usage, "run spec: on_failure must be fail or skip, got '\(policy)'")
            }
            self.onFailure = onFailure
        }
    }

    /// The spec's samples (see ``WorkItemRequest``).
    public static func samples(_ spec: JSONValue) throws -> SampleSet {
        if let resolved = spec["samples"] { return try SampleSet(resolvedJSON: resolved) }
        if let path = spec["samples_file"]?.string { return try SampleSet(path: path) }
        guard let files = spec["files"]?.array?.compactMap(\.string), !files.isEmpty else {
            throw KaonError(.usage, "run spec: give samples_file, files or samples")
        }
        let sample = Sample(name: spec["sample"]?.string ?? "data", files: files, tree: spec["tree"]?.string ?? "Events", isMC: false)
        return SampleSet(luminosity: 1, samples: [sample])
    }
}

extension Analysis {
    /// Serves a request of `kaon.dask` when `arguments` hold ``WorkItemRequest/argument``
    /// (planning the run, or running one work item and writing its partial results) and
    /// returns true; returns false otherwise. Call it in an analysis executable once the
    /// analysis is booked, before reading its own arguments:
    ///
    /// ```swift
    /// if try analysis.serveWorkItemRequest() { exit(0) }   // a task of kaon.dask
    /// ```
    public func serveWorkItemRequest(_ arguments: [String] = CommandLine.arguments) throws -> Bool {
        guard let position = arguments.firstIndex(of: WorkItemRequest.argument) else { return false }
        guard position + 1 < arguments.count else { throw KaonError(.usage, "\(WorkItemRequest.argument) needs a JSON request") }
        let request = try JSONValue.parse(arguments[position + 1])
        guard let spec = request["spec"], let output = request["output"]?.string else {
            throw KaonError(.usage, "work item request: needs spec and output, got \(request.text)")
        }
        switch request["action"]?.string {
        case "plan": try OutputFile.write(WorkItemRequest.plan(self, spec: spec).text, to: output)
        case "run":
            guard let item = request["item"] else { throw KaonError(.usage, "work item request: run needs an item") }
            try OutputFile.write(WorkItemRequest.run(self, spec: spec, item: item), to: output)
        default: throw KaonError(.usage, "work item request: action must be plan or run, got \(request["action"]?.text ?? "nothing")")
        }
        return true
    }
}
