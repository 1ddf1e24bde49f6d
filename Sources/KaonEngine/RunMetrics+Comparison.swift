import KaonIO

extension RunMetrics {
    /// One total of two runs side by side (`kaon metrics compare`).
    public struct ComparedTotal: Sendable, Equatable {
        public var name: String
        public var first: Double
        public var second: Double
        /// second / first (1 when both are 0, infinite when only the first is).
        public var ratio: Double
        /// True when the runs differ beyond the tolerance (counts of what was read must match
        /// exactly: entries, work items, bytes decompressed).
        public var differs: Bool
    }

    /// The totals of `self` and `other`, with their ratios; times and read costs differ when
    /// the ratio is off 1 by more than `tolerance` (0.1: 10 %).
    ///
    /// ```swift
    /// let rows = try RunMetrics(json: a, source: "a.json").compared(with: RunMetrics(json: b, source: "b.json"))
    /// ```
    public func compared(with other: RunMetrics, tolerance: Double = 0.1) -> [ComparedTotal] {
        let exact: Set<String> = ["entries", "work_items", "bytes_decompressed"]
        return zip(totalValues, other.totalValues).map { mine, theirs in
            let ratio = mine.value == theirs.value ? 1 : theirs.value / mine.value
            let allowed = exact.contains(mine.name) ? 0 : tolerance
            return ComparedTotal(name: mine.name, first: mine.value, second: theirs.value, ratio: ratio,
                                 differs: !(abs(ratio - 1) <= allowed))
        }
    }

    /// ``compared(with:tolerance:)`` as an aligned table, a `!` before each row that differs.
    public static func comparisonTable(_ rows: [ComparedTotal], first: String, second: String) -> String {
        let width = max(18, rows.map(\.name.count).max() ?? 0)
        func cell(_ text: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - text.count)) + text }
        func value(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : HumanFormat.number(x, digits: 4) }
        var lines = ["A: \(first)", "B: \(second)",
                     "  " + "total".padding(width) + cell("A", 16) + cell("B", 16) + cell("B/A", 10)]
        for row in rows {
            let ratio = row.ratio.isFinite ? HumanFormat.number(row.ratio, digits: 4) : "inf"
            lines.append((row.differs ? "! " : "  ") + row.name.padding(width) + cell(value(row.first), 16) + cell(value(row.second), 16)
                         + cell(ratio, 10))
        }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
