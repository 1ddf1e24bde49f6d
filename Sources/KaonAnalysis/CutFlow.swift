import KaonEngine
import KaonIO

/// The cut flow of one sample: one row per selection in booking order, starting with `all`.
///
/// `weighted` is the normalised sum of nominal weights of the events passing (see
/// ``AnalysisResults``); efficiencies are raw-count ratios against the selection the row
/// refines (its parent, the previous row in a linear chain) and against the first row.
///
/// ```swift
/// let flow = try results.cutFlow(sample: "DY")
/// for row in flow.rows { print(row.name, row.raw, row.weighted, row.efficiencyVsFirst) }
/// print(flow.table)
/// ```
public struct CutFlow: Sendable, Equatable {
    /// One selection's counts.
    public struct Row: Sendable, Equatable {
        public var name: String
        /// The selection this one refines (`nil` for `all`).
        public var parent: String?
        /// Events passing (unweighted).
        public var raw: Int
        /// Σ nominal weight of the events passing, normalised.
        public var weighted: Double
        /// raw / the parent's raw (1 for the first row; NaN when the parent has none).
        public var efficiencyVsPrevious: Double
        /// raw / the first row's raw.
        public var efficiencyVsFirst: Double

        /// Field by field; NaN efficiencies (an empty parent) compare equal to each other.
        public static func == (a: Row, b: Row) -> Bool {
            func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
            return a.name == b.name && a.parent == b.parent && a.raw == b.raw && a.weighted == b.weighted
                && same(a.efficiencyVsPrevious, b.efficiencyVsPrevious) && same(a.efficiencyVsFirst, b.efficiencyVsFirst)
        }
    }

    /// The sample.
    public var sample: String
    /// The variation ("nominal" unless asked otherwise).
    public var variation: String
    /// The rows, in booking order.
    public var rows: [Row]

    /// A terminal table (aligned columns).
    public var table: String { render(markdown: false) }

    /// A Markdown table.
    public var markdown: String { render(markdown: true) }

    /// The cut flow as JSON: `{"sample": …, "rows": [{"name", "parent", "raw", "weighted", "efficiency_vs_previous", "efficiency_vs_first"}]}`.
    public var json: JSONValue {
        .object([
            ("sample", .string(sample)),
            ("variation", .string(variation)),
            ("rows", .array(rows.map { row in
                .object([("name", .string(row.name)), ("parent", row.parent.map { .string($0) } ?? .null),
                         ("raw", .integer(Int64(row.raw))), ("weighted", .number(row.weighted)),
                         ("efficiency_vs_previous", Self.number(row.efficiencyVsPrevious)),
                         ("efficiency_vs_first", Self.number(row.efficiencyVsFirst))])
            })),
        ])
    }

    /// A number, or null when it is not finite (an efficiency of an empty parent).
    static func number(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

    private func render(markdown: Bool) -> String {
        let header = ["selection", "raw", "weighted", "eff. vs previous", "eff. vs first"]
        let body = rows.map { row in
            [row.name, "\(row.raw)", Self.format(row.weighted), Self.percent(row.efficiencyVsPrevious), Self.percent(row.efficiencyVsFirst)]
        }
        if markdown {
            var text = "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
            for line in body { text += "| " + line.joined(separator: " | ") + " |\n" }
            return text
        }
        let widths = header.indices.map { k in ([header[k]] + body.map { $0[k] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                return k == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var text = "cut flow of \(sample)" + (variation == "nominal" ? "" : " (\(variation))") + "\n" + line(header) + "\n"
        text += String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
        for cells in body { text += line(cells) + "\n" }
        return text
    }

    /// Weighted yields with three decimals (aligned in a column); very small or large ones
    /// to 6 significant digits.
    static func format(_ x: Double) -> String {
        let magnitude = abs(x)
        if !x.isFinite || (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e9)) { return HumanFormat.number(x, digits: 6) }
        return HumanFormat.fixed(x, decimals: 3)
    }

    /// Efficiencies with two decimals, aligned in their columns (99.95 % is not 100 %).
    static func percent(_ x: Double) -> String { HumanFormat.percent(x, decimals: 2) }
}

/// How ``AnalysisResults/cutFlowTable(_:)`` renders the cut flows.
public enum CutFlowFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal.
    case terminal
    /// Markdown tables.
    case markdown
    /// One JSON object: `{sample: cut flow}`.
    case json
}

extension AnalysisResults {
    /// The cut flow of a sample, nominal or under a variation (an object variation changes
    /// the raw counts, a weight variation the weighted ones).
    ///
    /// ```swift
    /// let flow: CutFlow = try results.cutFlow(sample: "DY")
    /// let jesUp = try results.cutFlow(sample: "DY", variation: "jesUp")
    /// ```
    public func cutFlow(sample: String, variation: String = "nominal") throws -> CutFlow {
        let s = try sampleIndex(sample)
        guard let v = samples[s].variations.firstIndex(of: variation) else {
            throw KaonError(.usage, "sample '\(sample)' has no variation '\(variation)'")
        }
        let norm = samples[s].normalisation
        let raws = tallies[s].cutFlow[v].map(\.entries)
        let rows = selections.enumerated().map { j, info in
            let parentRaw = info.parent >= 0 ? raws[info.parent] : raws[j]
            return CutFlow.Row(name: info.name, parent: info.parent >= 0 ? selections[info.parent].name : nil, raw: raws[j],
                               weighted: tallies[s].cutFlow[v][j].values[0].value * norm,
                               efficiencyVsPrevious: parentRaw == 0 ? .nan : Double(raws[j]) / Double(parentRaw),
                               efficiencyVsFirst: raws[0] == 0 ? .nan : Double(raws[j]) / Double(raws[0]))
        }
        return CutFlow(sample: samples[s].name, variation: variation, rows: rows)
    }

    /// The cut flows of every sample: terminal tables (default), Markdown or JSON.
    ///
    /// ```swift
    /// print(results.cutFlowTable())
    /// try OutputFile.write(results.cutFlowTable(.markdown), to: "cutflow.md")
    /// ```
    public func cutFlowTable(_ format: CutFlowFormat = .terminal) -> String {
        let flows = samples.compactMap { try? cutFlow(sample: $0.name) }
        switch format {
        case .terminal: return flows.map(\.table).joined(separator: "\n")
        case .markdown: return flows.map { "### \($0.sample)\n\n" + $0.markdown }.joined(separator: "\n")
        case .json: return cutFlowJSON.text
        }
    }

    /// Every sample's cut flow as one JSON object `{sample: cut flow}`.
    var cutFlowJSON: JSONValue {
        .object(samples.compactMap { try? cutFlow(sample: $0.name) }.map { ($0.sample, $0.json) })
    }
}
