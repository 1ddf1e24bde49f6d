#if canImport(Glibc)
import Glibc
#endif
import KaonADL
import KaonAnalysis
import KaonEngine
import KaonIO

// Running analyses from Python one work item at a time (`kaon.run_work_item`, `kaon.dask`):
// plan a job (`AnalysisJob`), run one item into serialized partial results (`KAONRSLT`
// bytes), merge partials, and read or write merged results. Bytes cross the boundary as a
// pointer and a length: Swift's are copies in memory from `malloc`, freed with `kaon_bytes_free`.

/// Plans the job of `spec` (JSON, see `AnalysisJob`) with the engine's work-item planning:
/// `json` receives `{"items": [{"file", "tree", "first", "end"}], "unreadable": [{"file",
/// "error"}], "spec": the spec to run the items with, "head": [bytes]}` where `head` are the
/// partial results without events (listing the unreadable files) to merge first.
@_cdecl("kaon_job_plan")
public func kaonJobPlan(_ spec: UnsafePointer<CChar>, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                        _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        json.pointee = newCString(try AnalysisJob(spec: String(cString: spec)).plan().text)
    }
}

/// Runs one work item (`item`: JSON `{"file", "tree", "first", "end"}` from `kaon_job_plan`)
/// of the job `spec` (the plan's) on one thread and stores its serialized partial results.
/// Under `on_failure: skip` an unreadable file gives results without its events that list it.
@_cdecl("kaon_job_run_item")
public func kaonJobRunItem(_ spec: UnsafePointer<CChar>, _ item: UnsafePointer<CChar>,
                           _ bytes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ length: UnsafeMutablePointer<Int64>,
                           _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let job = try AnalysisJob(spec: String(cString: spec))
        let item = try WorkItem(json: JSONValue.parse(String(cString: item)))
        try handOver(job.run([item]), bytes, length)
    }
}

/// Runs the whole job of `spec` on this machine with `threads` threads (as `kaon adl` and
/// `kaon run` do) and stores its serialized results.
@_cdecl("kaon_job_run")
public func kaonJobRun(_ spec: UnsafePointer<CChar>, _ threads: Int32,
                       _ bytes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ length: UnsafeMutablePointer<Int64>,
                       _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let results = try AnalysisJob(spec: String(cString: spec)).runLocally(threads: RunOptions.cappedThreads(Int(max(1, threads)), option: "threads").threads)
        try handOver(results.serialized(), bytes, length)
    }
}

/// Merges `count` serialized partial results, in the order given, into one.
@_cdecl("kaon_partials_merge")
public func kaonPartialsMerge(_ parts: UnsafePointer<UnsafePointer<UInt8>?>, _ lengths: UnsafePointer<Int64>, _ count: Int64,
                              _ bytes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ length: UnsafeMutablePointer<Int64>,
                              _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        guard count > 0 else { throw KaonError(.usage, "merge_partials: no partial results to merge") }
        var merged: AnalysisResults?
        for k in 0..<Int(count) {
            let part = try AnalysisResults(serialized: borrowedBytes(parts[k], lengths[k]), name: "partial \(k)")
            if merged == nil { merged = part } else { try merged!.merge(part) }
        }
        try handOver(merged!.serialized(), bytes, length)
    }
}

/// The serialized results as JSON: `analysis`, `summary` (`entries`, `work_items`,
/// `seconds`, `threads`, `bytes_loaded`, `skipped` as `[{"file", "error"}]`, `text`: the
/// CLI's summary line), `cutflow` (the CLI's table), `samples` (names) and `histograms`
/// (UHI JSON, normalised: `{sample: {name: {variation: histogram}}}`).
@_cdecl("kaon_results_json")
public func kaonResultsJSON(_ data: UnsafePointer<UInt8>?, _ count: Int64, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                            _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let results = try AnalysisResults(serialized: borrowedBytes(data, count))
        let summary = results.summary
        json.pointee = newCString(JSONValue.object([
            ("analysis", .string(results.analysisName)),
            ("summary", .object([
                ("entries", .integer(Int64(summary.entries))), ("work_items", .integer(Int64(summary.workItems))),
                ("seconds", .number(summary.seconds)), ("threads", .integer(Int64(summary.threads))),
                ("bytes_loaded", .integer(Int64(summary.bytesLoaded))),
                ("skipped", .array(summary.skipped.map { .object([("file", .string($0.file)), ("error", .string($0.error))]) })),
                ("text", .string(summary.description)),
            ])),
            ("cutflow", .string(results.cutFlowTable())),
            ("samples", .array(results.samples.map { .string($0.name) })),
            ("histograms", results.uhiJSON),
        ]).text)
    }
}

/// The ADL histograms of serialized results of an ADL job (`queries`, `binning` as in its
/// spec) as `kaon adl --json` prints them: UHI JSON by key, integer counts.
@_cdecl("kaon_results_adl_json")
public func kaonResultsADLJSON(_ data: UnsafePointer<UInt8>?, _ count: Int64, _ queries: UnsafePointer<CChar>, _ binning: UnsafePointer<CChar>,
                               _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                               _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let query = String(cString: queries), binningName = String(cString: binning)
        guard let selected = ADLQuery.parse(query) else { throw KaonError(.usage, "queries must be all or q1 … q8, got '\(query)'") }
        guard let binning = ADLBinning(rawValue: binningName) else { throw KaonError(.usage, "binning must be root-project or paper, got '\(binningName)'") }
        let results = try AnalysisResults(serialized: borrowedBytes(data, count))
        json.pointee = newCString(try ADLHistograms(results: results, queries: selected, binning: binning).uhiJSONText)
    }
}

/// Writes what `kaon run` writes into `folder` (results.root, results.json, cutflow.md,
/// cutflow.json) from serialized results; `json` receives the paths written as a JSON array.
@_cdecl("kaon_results_write")
public func kaonResultsWrite(_ data: UnsafePointer<UInt8>?, _ count: Int64, _ folder: UnsafePointer<CChar>,
                             _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                             _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let results = try AnalysisResults(serialized: borrowedBytes(data, count))
        let written = try results.writeOutputs(to: String(cString: folder))
        json.pointee = newCString(JSONValue.array(written.map(JSONValue.string)).text)
    }
}

/// Frees bytes a `kaon_*` function handed out.
@_cdecl("kaon_bytes_free")
public func kaonBytesFree(_ bytes: UnsafeMutablePointer<UInt8>?) {
    free(bytes)
}

/// A copy of the caller's `count` bytes at `data`.
private func borrowedBytes(_ data: UnsafePointer<UInt8>?, _ count: Int64) throws -> [UInt8] {
    guard count >= 0, count == 0 || data != nil else { throw KaonError(.usage, "no bytes given (length \(count))") }
    guard let data else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: Int(count)))
}

/// Stores a `malloc` copy of `source` and its length for the caller.
private func handOver(_ source: [UInt8], _ bytes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                      _ length: UnsafeMutablePointer<Int64>) throws {
    guard let copy = malloc(max(source.count, 1))?.assumingMemoryBound(to: UInt8.self) else {
        throw KaonError(.system, "out of memory for \(source.count) bytes of results")
    }
    source.withUnsafeBufferPointer { if let start = $0.baseAddress { copy.update(from: start, count: source.count) } }
    bytes.pointee = copy
    length.pointee = Int64(source.count)
}
