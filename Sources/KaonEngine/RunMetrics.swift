import KaonIO

/// A run's metrics (`--metrics FILE`): each work item's wall and CPU time, entries and bytes
/// decompressed, and the totals, which are the run's printed summary (entries, blocks,
/// seconds, bytes of columns loaded) plus what its reads cost.
///
/// Written as JSON (``json``) or as OpenMetrics text (``openMetrics``) for dashboards;
/// `kaon metrics compare` reads two JSON files back (``init(json:source:)``) and compares
/// their ``totals``.
///
/// ```swift
/// let metrics = RunMetrics(command: "draw", summary: result.summary)
/// try OutputFile.write(metrics.json.text, to: "metrics.json")
/// ```
public struct RunMetrics: Sendable, Equatable {
    /// The run's totals, by name (in the order of ``RunMetrics/totalValues``).
    public struct Totals: Sendable, Equatable {
        public var entries: Int
        public var workItems: Int
        public var threads: Int
        /// The run's wall-clock time (the summary's).
        public var wallSeconds: Double
        /// The work items' CPU time added up.
        public var cpuSeconds: Double
        /// Bytes the run's reads received (all sources), and the requests sent for them.
        public var bytesRead: Int
        public var readRequests: Int
        /// Uncompressed bytes of the columns loaded (the summary's "of columns loaded").
        public var bytesDecompressed: Int

        public init(entries: Int, workItems: Int, threads: Int, wallSeconds: Double, cpuSeconds: Double, bytesRead: Int,
                    readRequests: Int, bytesDecompressed: Int) {
            self.entries = entries
            self.workItems = workItems
            self.threads = threads
            self.wallSeconds = wallSeconds
            self.cpuSeconds = cpuSeconds
            self.bytesRead = bytesRead
            self.readRequests = readRequests
            self.bytesDecompressed = bytesDecompressed
        }
    }

    /// The command that ran (`run`, `adl`, `draw`, `copy`).
    public var command: String
    public var workItems: [WorkItemMetrics]
    public var totals: Totals

    /// Metrics from a run's summary.
    public init(command: String, summary: RunSummary) {
        self.command = command
        workItems = summary.workItemMetrics
        totals = Totals(entries: summary.entries, workItems: summary.workItems, threads: summary.threads,
                        wallSeconds: summary.seconds, cpuSeconds: summary.workItemMetrics.reduce(0) { $0 + $1.cpuSeconds },
                        bytesRead: summary.io.bytes, readRequests: summary.io.requests, bytesDecompressed: summary.bytesLoaded)
    }

    /// Metrics from their parts (a command that loops on its own, e.g. `kaon copy`).
    public init(command: String, workItems: [WorkItemMetrics], totals: Totals) {
        self.command = command
        self.workItems = workItems
        self.totals = totals
    }

    /// The totals as (name, value, is a whole count) in a fixed order: JSON keys, and with a
    /// `kaon_` prefix the OpenMetrics families.
    public var totalValues: [(name: String, value: Double, isCount: Bool)] {
        [("entries", Double(totals.entries), true), ("work_items", Double(totals.workItems), true),
         ("threads", Double(totals.threads), true), ("wall_seconds", totals.wallSeconds, false),
         ("cpu_seconds", totals.cpuSeconds, false), ("bytes_read", Double(totals.bytesRead), true),
         ("read_requests", Double(totals.readRequests), true), ("bytes_decompressed", Double(totals.bytesDecompressed), true)]
    }

    /// `{"command", "totals": {…}, "work_items": [{file, tree, entry_start, entry_stop,
    /// entries, wall_seconds, cpu_seconds, bytes_decompressed, succeeded}, …]}`.
    public var json: JSONValue {
        .object([
            ("command", .string(command)),
            ("totals", .object(totalValues.map { ($0.name, $0.isCount ? .integer(Int64($0.value)) : .number($0.value)) })),
            ("work_items", .array(workItems.map { item in
                .object([("file", .string(item.file)), ("tree", .string(item.tree)),
                         ("entry_start", .integer(Int64(item.entries.lowerBound))), ("entry_stop", .integer(Int64(item.entries.upperBound))),
                         ("entries", .integer(Int64(item.entries.count))), ("wall_seconds", .number(item.wallSeconds)),
                         ("cpu_seconds", .number(item.cpuSeconds)), ("bytes_decompressed", .integer(Int64(item.bytesLoaded))),
                         ("succeeded", .bool(item.succeeded))])
            })),
        ])
    }

    /// Reads metrics back from ``json`` (`source` names the file, for errors).
    public init(json: JSONValue, source: String) throws {
        func fail(_ what: String) -> KaonError { KaonError(.malformed, "metrics: \(what)", file: source) }
        guard let command = json["command"]?.string, let totals = json["totals"] else { throw fail("no \"command\" or \"totals\"") }
        func count(_ key: String) throws -> Int {
            guard let value = totals[key]?.integer else { throw fail("totals has no integer \"\(key)\"") }
            return Int(value)
        }
        func seconds(_ key: String) throws -> Double {
            guard let value = totals[key]?.number else { throw fail("totals has no number \"\(key)\"") }
            return value
        }
        var items: [WorkItemMetrics] = []
        for item in json["work_items"]?.array ?? [] {
            guard let file = item["file"]?.string, let tree = item["tree"]?.string, let start = item["entry_start"]?.integer,
                  let stop = item["entry_stop"]?.integer, start <= stop, let wall = item["wall_seconds"]?.number,
                  let cpu = item["cpu_seconds"]?.number, let bytes = item["bytes_decompressed"]?.integer,
                  let succeeded = item["succeeded"]?.bool else { throw fail("a work item with missing or invalid fields") }
            items.append(WorkItemMetrics(file: file, tree: tree, entries: Int(start)..<Int(stop), wallSeconds: wall, cpuSeconds: cpu,
                                         bytesLoaded: Int(bytes), succeeded: succeeded))
        }
        self.init(command: command, workItems: items,
                  totals: Totals(entries: try count("entries"), workItems: try count("work_items"), threads: try count("threads"),
                                 wallSeconds: try seconds("wall_seconds"), cpuSeconds: try seconds("cpu_seconds"),
                                 bytesRead: try count("bytes_read"), readRequests: try count("read_requests"),
                                 bytesDecompressed: try count("bytes_decompressed")))
    }

    /// Writes the metrics to `path`: OpenMetrics text when `format` says so or the path ends
    /// in `.prom`, JSON otherwise.
    public func write(to path: String, format: RunMetricsFormat? = nil) throws {
        let format = format ?? (path.hasSuffix(".prom") ? .openmetrics : .json)
        try OutputFile.write(format == .openmetrics ? openMetrics : json.text + "\n", to: path)
    }
}

/// The file formats of ``RunMetrics``.
public enum RunMetricsFormat: String, Sendable, CaseIterable {
    case json
    /// The OpenMetrics text exposition format (Prometheus' successor; ``RunMetrics/openMetrics``).
    case openmetrics
}
