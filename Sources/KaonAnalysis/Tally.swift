import KaonHist

/// The accumulated cells of one result (or cut-flow row) for one sample and variation.
///
/// Every fill adds its weight (and squared weight) into exact sums (see ``ExactSum``), so the
/// values do not depend on the order of the fills: the same whatever the thread count, the
/// block size, or how partial runs are grouped and merged.
struct CellTally: Sendable, Equatable {
    /// Σw per cell, exact.
    var values: [ExactSum]
    /// Σw² per cell, exact.
    var variances: [ExactSum]
    /// Number of fills (raw, unweighted).
    var entries: Int

    init(cells: Int) {
        values = Array(repeating: ExactSum(), count: cells)
        variances = Array(repeating: ExactSum(), count: cells)
        entries = 0
    }

    @inline(__always)
    mutating func fill(_ cell: Int, weight: Double) {
        values[cell].add(weight)
        variances[cell].add(weight * weight)
        entries += 1
    }

    /// Adds `other` exactly.
    mutating func merge(_ other: CellTally) {
        for k in values.indices {
            if !other.values[k].isZero { values[k].add(other.values[k]) }
            if !other.variances[k].isZero { variances[k].add(other.variances[k]) }
        }
        entries += other.entries
    }

    /// Brings every sum to canonical form (before serializing or comparing).
    mutating func normalize() {
        for k in values.indices { values[k].normalize(); variances[k].normalize() }
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
    /// `[variation][selection]`: one one-cell tally per cut-flow row and variation.
    var cutFlow: [[CellTally]]
    /// `[result][variation]`; empty for `take` results.
    var results: [[CellTally]]
    /// `take` results by result index.
    var takes: [Int: TakeTally]

    init(plan: GraphPlan, variations: Int) {
        cutFlow = Array(repeating: Array(repeating: CellTally(cells: 1), count: plan.selections.count), count: variations)
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

    mutating func normalize() {
        for v in cutFlow.indices { for k in cutFlow[v].indices { cutFlow[v][k].normalize() } }
        for r in results.indices { for v in results[r].indices { results[r][v].normalize() } }
    }

    mutating func merge(_ other: SampleTally) {
        for v in cutFlow.indices { for k in cutFlow[v].indices { cutFlow[v][k].merge(other.cutFlow[v][k]) } }
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
