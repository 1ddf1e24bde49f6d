import KaonHist

/// The accumulated cells of one result (or cut-flow row) for one sample and variation.
///
/// Sums are exact (see ``ExactSum``), so the values do not depend on the order of the fills:
/// the same whatever the thread count, the block size, or how partial runs are grouped and
/// merged. The event loop does not fill these directly: it collects a block's fills in a
/// ``BlockTally`` and adds them here exactly once per block.
struct CellTally: Sendable {
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

    /// Adds `x` to `pending` exactly: the rounded sum stays in `pending`, its rounding error
    /// (TwoSum, exact under round-to-nearest) goes to `exact`; so `pending + exact` is always
    /// the exact total.
    @inline(__always)
    static func add(_ x: Double, to pending: inout Double, exact: inout ExactSum) {
        let a = pending
        let sum = a + x
        let xPart = sum - a
        let error = (a - (sum - xPart)) + (x - xPart)
        if sum.isFinite {
            pending = sum
            if error != 0 { exact.add(error) }
        } else {
            exact.add(x)  // overflow or a non-finite weight: keep it out of the fast path
        }
    }

    /// Adds `other` exactly.
    mutating func merge(_ other: CellTally) {
        var other = other
        other.normalize()
        normalize()
        for k in values.indices {
            if !other.values[k].isZero { values[k].add(other.values[k]) }
            if !other.variances[k].isZero { variances[k].add(other.variances[k]) }
        }
        entries += other.entries
    }

    /// Brings the exact sums to canonical form (before merging, serializing or reading).
    mutating func normalize() {
        for k in values.indices {
            values[k].normalize()
            variances[k].normalize()
        }
    }

    /// The cells rounded to doubles and scaled by `factor` (value × f, variance × f²); the
    /// tally must be normalized.
    func cells(scale factor: Double) -> [WeightedSum] {
        zip(values, variances).map { WeightedSum(value: $0.value * factor, variance: $1.value * factor * factor) }
    }
}

/// The values taken by a `take` result: one JSON array per work item, in item order.
struct TakeTally: Sendable {
    var chunks: [[UInt8]] = []

    mutating func merge(_ other: TakeTally) { chunks += other.chunks }
}

/// Everything accumulated for one sample: the cut flow (nominal) and every result under
/// every variation of the sample.
struct SampleTally: Sendable {
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
