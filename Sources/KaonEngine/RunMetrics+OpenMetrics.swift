extension RunMetrics {
    /// The metrics in the OpenMetrics text exposition format (version 1.0.0): the totals as
    /// `kaon_<name>` families — counters (samples `_total`) for what accumulates (entries,
    /// bytes, requests, seconds), gauges for work items and threads — then each work item's
    /// wall and CPU seconds, entries and bytes as counters labelled by command, file, tree
    /// and first entry; `# EOF` ends it.
    ///
    /// ```swift
    /// try OutputFile.write(metrics.openMetrics, to: "run.prom")
    /// ```
    public var openMetrics: String {
        var lines: [String] = []
        let command = "command=\"\(Self.escapeLabel(self.command))\""
        let gauges: Set<String> = ["work_items", "threads"]
        for total in totalValues {
            let family = "kaon_" + total.name
            let isCounter = !gauges.contains(total.name)
            lines.append("# TYPE \(family) \(isCounter ? "counter" : "gauge")")
            lines.append("# HELP \(family) \(Self.help[total.name] ?? total.name)")
            lines.append("\(family)\(isCounter ? "_total" : ""){\(command)} \(Self.number(total.value))")
        }
        let perItem: [(name: String, help: String, value: (WorkItemMetrics) -> Double)] = [
            ("work_item_wall_seconds", "Wall-clock seconds of one work item.", { $0.wallSeconds }),
            ("work_item_cpu_seconds", "CPU seconds of the thread that ran one work item.", { $0.cpuSeconds }),
            ("work_item_entries", "Entries of one work item (0 when it was skipped).", { $0.succeeded ? Double($0.entries.count) : 0 }),
            ("work_item_bytes_decompressed", "Uncompressed column bytes one work item loaded.", { Double($0.bytesLoaded) }),
        ]
        for metric in perItem where !workItems.isEmpty {
            let family = "kaon_" + metric.name
            lines.append("# TYPE \(family) counter")
            lines.append("# HELP \(family) \(metric.help)")
            for item in workItems {
                let labels = "\(command),file=\"\(Self.escapeLabel(item.file))\",tree=\"\(Self.escapeLabel(item.tree))\",entry_start=\"\(item.entries.lowerBound)\""
                lines.append("\(family)_total{\(labels)} \(Self.number(metric.value(item)))")
            }
        }
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }

    static let help = [
        "entries": "Entries read.", "work_items": "Work items (blocks) of the run.", "threads": "Worker threads.",
        "wall_seconds": "Wall-clock seconds of the run.", "cpu_seconds": "CPU seconds of the work items, added up.",
        "bytes_read": "Bytes the reads received.", "read_requests": "Read requests sent.",
        "bytes_decompressed": "Uncompressed bytes of the columns loaded.",
    ]

    /// A label value with `\`, `"` and newlines escaped, as the format requires.
    static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Integers without a fraction, others in Swift's shortest round-trip form.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
