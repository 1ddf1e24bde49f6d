import KaonHist

/// The accumulated cells of one result (or cut-flow row) for one sample and variation.
///
/// During a work item fills go into `pending`, ordinary doubles; when the item ends,
/// ``flush()`` adds them into the exact sums, so that merging items — in one process or
/// across processes — is exact and independent of grouping (see ``ExactSum``).
struct CellTally: Sendable, Equatable {
    /// This work item's fills: Σw and Σw² per cell.
    var pending: [WeightedSum]
    /// Σw per cell, exact, over every flushed item.
    var values: [ExactSum]
    /// Σw² per cell, exact.
    var variances: [ExactSum]
    /// Number of fills (raw, unweighted).
    var entries: Int

    init(cells: Int) {
        pending = Array(repeating: WeightedSum(), count: cells)
        values = Array(repeating: ExactSum(), count: cells)
        variances = Array(repeating: ExactSum(), count: cells)
        entries = 0
    }

    @inline(__always)
    mutating func fill(_ cell: Int, weight: Double) {
        pending[cell].value += weight
        pending[cell].variance += weight * weight
        entries += 1
    }

    /// Moves the pending doubles into the exact sums.
    mutating func flush() {
        for k in pending.indices where pending[k] != WeightedSum() {
            values[k].add(pending[k].value)
            variances[k].add(pending[k].variance)
            pending[k] = WeightedSum()
        }
    }

    /// Adds `other` (flushed) exactly.
    mutating func merge(_ other: CellTally) {
        flush()
        var o = other
        o.flush()
        for k in values.indices {
            if !o.values[k].limbs.isEmpty || o.values[k].nonFinite != 0 { values[k].add(o.values[k]) }
            if !o.variances[k].limbs.isEmpty || o.variances[k].nonFinite != 0 { variances[k].add(o.variances[k]) }
        }
        entries += o.entries
    }

    /// The cells rounded to doubles and scaled by `factor` (value × f, variance × f²).
    func cells(scale factor: Double) -> [WeightedSum] {
        zip(values, variances).map { WeightedSum(value: $0.value * factor, variance: $1.value * factor * factor) }
    }
}

/// The values taken by a `take` result: one JSON array per work item, in item order.
struct TakeTally: Sendable, Equatable {
    var chunks: [[UInt8]] = []

    mutating func merge(_ other: TakeTally) { chunks += other.chunks }
}

/// Everything accumulated for one sample: the cut flow (nominal) and every result under
/// every variation of the sample.
struct SampleTally: Sendable, Equatable {
    /// One one-cell tally per selection (row), nominal weights.
    var cutFlow: [CellTally]
    /// `[result][variation]`; empty for `take` results.
    var results: [[CellTally]]
    /// `take` results by result index.
    var takes: [Int: TakeTally]

    init(plan: GraphPlan, variations: Int) {
        cutFlow = Array(repeating: CellTally(cells: 1), count: plan.selections.count)
        results = plan.results.map { node in
            switch node.kind {
            case .histogram(let layout, _): Array(repeating: CellTally(cells: layout.cellCount), count: variations)
            case .count, .sum: Array(repeating: CellTally(cells: 1), count: variations)
            case .take: []
            }
        }
        takes = [:]
        for (k, node) in plan.results.enumerated() where node.isTake { takes[k] = TakeTally() }
    }

    mutating func flush() {
        for k in cutFlow.indices { cutFlow[k].flush() }
        for r in results.indices { for v in results[r].indices { results[r][v].flush() } }
    }

    mutating func merge(_ other: SampleTally) {
        for k in cutFlow.indices { cutFlow[k].merge(other.cutFlow[k]) }
        for r in results.indices { for v in results[r].indices { results[r][v].merge(other.results[r][v]) } }
        for (k, take) in other.takes { takes[k, default: TakeTally()].merge(take) }
    }
}

/// The engine's accumulator for an analysis run: the tallies of the samples a work item (or a
/// merged run of items) contributed to, by sample index.
struct AnalysisAccumulator: Accumulator, Sendable {
    var samples: [Int: SampleTally] = [:]

    mutating func merge(_ other: AnalysisAccumulator) {
        for (index, tally) in other.samples {
            if samples[index] == nil { samples[index] = tally } else { samples[index]!.merge(tally) }
        }
    }
}
