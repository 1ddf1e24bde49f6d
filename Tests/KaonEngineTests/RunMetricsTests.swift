import KaonEngine
import KaonIO
import KaonTestSupport
import Testing

@Suite("RunMetrics")
struct RunMetricsTests {
    /// Two items, one skipped, a file name that needs escaping in a label.
    static let metrics = RunMetrics(
        command: "run",
        workItems: [WorkItemMetrics(file: #"/data/a "b"\c.root"#, tree: "Events", entries: 0..<1000, wallSeconds: 0.25, cpuSeconds: 0.125,
                                    bytesLoaded: 4096, succeeded: true),
                    WorkItemMetrics(file: "/data/d.root", tree: "Events", entries: 0..<10, wallSeconds: 0.5, cpuSeconds: 0.0625,
                                    bytesLoaded: 0, succeeded: false)],
        totals: .init(entries: 1000, workItems: 2, threads: 2, wallSeconds: 0.75, cpuSeconds: 0.1875, bytesRead: 123_456,
                      readRequests: 7, bytesDecompressed: 4096))

    @Test("the OpenMetrics text parses with prometheus_client's strict OpenMetrics parser, to the same values")
    func openMetricsParses() throws {
        let text = Self.metrics.openMetrics
        #expect(text.hasSuffix("# EOF\n"))
        let run = try Peers.run(code: """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.argv[1]):
                for sample in family.samples:
                    labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                    print(f"{family.type}|{sample.name}|{labels}|{float(sample.value)!r}")
            """, text)
        #expect(run.succeeded, "\(run.failureMessage)")
        let lines: Set<String> = Set(run.output.split(separator: "\n").map { String($0) })
        #expect(lines.contains("counter|kaon_entries_total|command=run|1000.0"))
        #expect(lines.contains("gauge|kaon_work_items|command=run|2.0"))
        #expect(lines.contains("counter|kaon_cpu_seconds_total|command=run|0.1875"))
        #expect(lines.contains("counter|kaon_bytes_read_total|command=run|123456.0"))
        #expect(lines.contains(#"counter|kaon_work_item_wall_seconds_total|command=run,entry_start=0,file=/data/a "b"\c.root,tree=Events|0.25"#))
        #expect(lines.contains("counter|kaon_work_item_entries_total|command=run,entry_start=0,file=/data/d.root,tree=Events|0.0"))
        #expect(lines.count == 8 + 4 * 2)
    }

    @Test("JSON reads back to the same metrics; compare flags counts that differ at all and times beyond the tolerance")
    func jsonAndComparison() throws {
        let back = try RunMetrics(json: JSONValue.parse(Self.metrics.json.text), source: "test")
        #expect(back == Self.metrics)
        var slower = Self.metrics
        slower.totals.wallSeconds *= 1.05
        slower.totals.cpuSeconds *= 1.5
        slower.totals.entries += 1
        let compared = Self.metrics.compared(with: slower, tolerance: 0.1)
        let rows: [String: RunMetrics.ComparedTotal] = Dictionary(uniqueKeysWithValues: compared.map { ($0.name, $0) })
        #expect(rows["wall_seconds"]?.differs == false)
        #expect(rows["cpu_seconds"]?.differs == true && rows["cpu_seconds"]?.ratio == 1.5)
        #expect(rows["entries"]?.differs == true)
        #expect(rows["bytes_read"]?.differs == false && rows["bytes_read"]?.ratio == 1)
        let table = RunMetrics.comparisonTable(compared, first: "a.json", second: "b.json")
        #expect(table.split(separator: "\n").filter { $0.hasPrefix("! ") }.count == 2)
    }
}
