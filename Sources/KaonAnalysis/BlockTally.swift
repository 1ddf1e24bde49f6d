/// Where each cut-flow row and result of a sample lives in a ``BlockTally``'s flat cells.
///
/// Cut-flow rows come first, `[variation][selection]`; then each result's cells,
/// `[result][variation][cell]` (`take` results have none).
struct TallyLayout: Sendable {
    let variations: Int
    let selections: Int
    /// First cell of each result's variation 0.
    let resultBase: [Int]
    /// Cells per variation of each result.
    let resultCells: [Int]
    let cellCount: Int

    init(plan: GraphPlan, variations: Int) {
        self.variations = variations
        selections = plan.selections.count
        var next = variations * selections
        var base: [Int] = []
        var cells: [Int] = []
        for node in plan.results {
            let n: Int
            switch node.kind {
            case .histogram(let layout, _): n = layout.cellCount
            case .count, .sum: n = 1
            case .take: n = 0
            }
            base.append(next)
            cells.append(n)
            next += n * variations
        }
        resultBase = base
        resultCells = cells
        cellCount = next
    }

    @inline(__always) func cutFlowCell(variation v: Int, selection j: Int) -> Int { v * selections + j }

    @inline(__always) func resultCell(_ r: Int, variation v: Int) -> Int { resultBase[r] + v * resultCells[r] }
}

/// The fills of one block for one sample, in flat buffers the event loop updates without
/// copy-on-write checks or nested-array indexing.
///
/// Exactness is kept as in ``CellTally``: a fill of weight exactly 1 (every fill of data, and
/// every unweighted count) only increments an integer; any other weight goes to a plain double
/// with TwoSum, its rounding error into an ``ExactSum``. ``fold(into:)`` then adds the integer
/// count, the double and the error sum into the sample's exact sums, so the totals are the exact
/// sums of the weights — the same for any block split or thread count as before.
final class BlockTally {
    let layout: TallyLayout
    private let unitFills: UnsafeMutablePointer<Int>
    private let weightedFills: UnsafeMutablePointer<Int>
    private let pendingValues: UnsafeMutablePointer<Double>
    private let pendingVariances: UnsafeMutablePointer<Double>
    private let errorValues: UnsafeMutablePointer<ExactSum>
    private let errorVariances: UnsafeMutablePointer<ExactSum>

    init(layout: TallyLayout) {
        self.layout = layout
        let n = layout.cellCount
        unitFills = .allocate(capacity: n)
        unitFills.initialize(repeating: 0, count: n)
        weightedFills = .allocate(capacity: n)
        weightedFills.initialize(repeating: 0, count: n)
        pendingValues = .allocate(capacity: n)
        pendingValues.initialize(repeating: 0, count: n)
        pendingVariances = .allocate(capacity: n)
        pendingVariances.initialize(repeating: 0, count: n)
        errorValues = .allocate(capacity: n)
        errorValues.initialize(repeating: ExactSum(), count: n)
        errorVariances = .allocate(capacity: n)
        errorVariances.initialize(repeating: ExactSum(), count: n)
    }

    deinit {
        let n = layout.cellCount
        unitFills.deallocate()
        weightedFills.deallocate()
        pendingValues.deallocate()
        pendingVariances.deallocate()
        errorValues.deinitialize(count: n)
        errorValues.deallocate()
        errorVariances.deinitialize(count: n)
        errorVariances.deallocate()
    }

    /// One fill of `weight` into flat cell `cell`.
    @inline(__always)
    func fill(_ cell: Int, weight: Double) {
        if weight == 1 {
            unitFills[cell] += 1
        } else {
            weightedFills[cell] += 1
            CellTally.add(weight, to: &pendingValues[cell], exact: &errorValues[cell])
            CellTally.add(weight * weight, to: &pendingVariances[cell], exact: &errorVariances[cell])
        }
    }

    /// `n` fills of weight 1 into flat cell `cell` (the cut flow's `all` row of a block).
    @inline(__always)
    func addUnitFills(_ cell: Int, _ n: Int) { unitFills[cell] += n }

    /// Adds every cell into `tally` (a fresh or partial tally of the same layout) exactly and
    /// leaves it normalized.
    func fold(into tally: inout SampleTally) {
        for v in 0..<layout.variations {
            for j in 0..<layout.selections {
                fold(layout.cutFlowCell(variation: v, selection: j), cells: 1, into: &tally.cutFlow[v][j])
            }
        }
        for r in layout.resultBase.indices where layout.resultCells[r] > 0 {
            for v in 0..<layout.variations {
                fold(layout.resultCell(r, variation: v), cells: layout.resultCells[r], into: &tally.results[r][v])
            }
        }
    }

    private func fold(_ first: Int, cells: Int, into tally: inout CellTally) {
        for k in 0..<cells {
            let c = first + k
            let units = unitFills[c]
            tally.entries += units + weightedFills[c]
            // Counts below 2⁵³ are exact doubles; both Σw and Σw² of unit fills are the count.
            if units != 0 {
                tally.values[k].add(Double(units))
                tally.variances[k].add(Double(units))
            }
            if pendingValues[c] != 0 { tally.values[k].add(pendingValues[c]) }
            if pendingVariances[c] != 0 { tally.variances[k].add(pendingVariances[c]) }
            errorValues[c].normalize()
            errorVariances[c].normalize()
            if !errorValues[c].isZero { tally.values[k].add(errorValues[c]) }
            if !errorVariances[c].isZero { tally.variances[k].add(errorVariances[c]) }
            tally.values[k].normalize()
            tally.variances[k].normalize()
        }
    }
}
