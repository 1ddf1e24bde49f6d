import KaonEngine
import KaonIO
import KaonNano

/// Evaluates the graph over one work item's block for one sample, filling its tally.
///
/// The graph is walked once per event for the nominal objects — filling the nominal
/// results and, for MC, every weight variation (the same events and values, another weight)
/// — and once more per object-variation direction on a ``VariationSource`` that substitutes
/// the varied branch. Selections are evaluated in booking order (parents first), a cut only
/// when its parent passed, so a cut may rely on what its parent checked.
struct BlockEvaluator: Sendable {
    let plan: GraphPlan
    let isMC: Bool
    /// The walks of each block (computed once per run, not per block).
    private(set) var passes: [Pass] = []
    let layout: TallyLayout
    private let program: Program

    /// The graph as flat per-selection and per-result arrays, so the event loop reads an
    /// index and a closure instead of copying whole nodes (names included) per event.
    struct Program: Sendable {
        var parents: [Int]
        /// Whether each selection has a cut, and the cut (a placeholder when it has none):
        /// calling through an Optional would copy the closure per event.
        var hasCut: [Bool]
        var cuts: [@Sendable (Event) -> Bool]
        /// Whether each selection's weight factor applies (it has one, and it is not mcOnly on
        /// data), and its nominal closure (a placeholder otherwise).
        var hasFactor: [Bool]
        var factors: [@Sendable (Event) -> Double]
        var results: ContiguousArray<CompiledResult>
        /// The histograms' layouts, read in place through a buffer pointer (no copies).
        var layouts: ContiguousArray<HistogramLayout>
    }

    /// A result as the event loop reads it: the operation and its closure and layout as plain
    /// fields, read in place (a `switch` binding ``ResultKind``'s payloads copied the layout
    /// and retained the closures on every event).
    struct CompiledResult: Sendable {
        enum Operation: Sendable { case count, sum, take, one, many, two, values }
        var operation: Operation
        var selection: Int
        /// Index into ``Program/layouts`` (histograms), -1 otherwise.
        var layout = -1
        // Non-optional (unused ones hold a placeholder): calling through an Optional or
        // `unsafelyUnwrapped` copies the closure (a retain and a release per call).
        var sum: @Sendable (Event) -> Double = { _ in 0 }
        var one: @Sendable (Event) -> Double? = { _ in nil }
        var many: @Sendable (Event, (Double) -> Void) -> Void = { _, _ in }
        var two: @Sendable (Event) -> (Double, Double)? = { _ in nil }
        var values: @Sendable (Event) -> [AxisValue]? = { _ in nil }

        init(_ node: ResultNode, layouts: inout ContiguousArray<HistogramLayout>) {
            selection = node.selection
            switch node.kind {
            case .count: operation = .count
            case .sum(let value): operation = .sum; sum = value
            case .take: operation = .take
            case .histogram(let layout, let fill):
                self.layout = layouts.count
                layouts.append(layout)
                switch fill {
                case .one(let value): operation = .one; one = value
                case .many(let value): operation = .many; many = value
                case .two(let value): operation = .two; two = value
                case .values(let value): operation = .values; values = value
                }
            }
        }
    }

    init(plan: GraphPlan, isMC: Bool) {
        self.plan = plan
        self.isMC = isMC
        layout = TallyLayout(plan: plan, variations: plan.variationNames(isMC: isMC).count)
        var layouts: ContiguousArray<HistogramLayout> = []
        let results = ContiguousArray(plan.results.map { CompiledResult($0, layouts: &layouts) })
        let factors = plan.selections.map { node in node.weight.flatMap { isMC || !$0.mcOnly ? $0 : nil } }
        program = Program(parents: plan.selections.map(\.parent),
                          hasCut: plan.selections.map { $0.cut != nil }, cuts: plan.selections.map { $0.cut ?? { _ in true } },
                          hasFactor: factors.map { $0 != nil }, factors: factors.map { $0?.nominal ?? { _ in 1 } },
                          results: results, layouts: layouts)
        passes = makePasses()
    }

    /// One walk of the graph: which source, and which variations its weights fill.
    struct Pass: Sendable {
        var branch: String?
        var transform: (@Sendable (Float) -> Float)?
        /// Variation index filled by each weight slot (slot 0: the nominal weight of this pass).
        var slotVariation: [Int]
        /// For each slot, the selection whose factor it replaces and the replacement (or -1/nil).
        var slotNode: [Int]
        /// (A placeholder for slots that replace nothing.)
        var slotFactor: [@Sendable (Event) -> Double]
        var isNominal: Bool
    }

    private func makePasses() -> [Pass] {
        var nominal = Pass(branch: nil, transform: nil, slotVariation: [0], slotNode: [-1], slotFactor: [{ _ in 1 }], isNominal: true)
        guard isMC else { return [nominal] }
        var objectPasses: [Pass] = []
        for (s, spec) in plan.variations.enumerated() {
            switch spec.kind {
            case .weight(let node):
                let factor = plan.selections[node].weight!
                nominal.slotVariation += [1 + 2 * s, 2 + 2 * s]
                nominal.slotNode += [node, node]
                nominal.slotFactor += [factor.up!, factor.down!]
            case .object(let branch, let up, let down):
                for (k, transform) in [up, down].enumerated() {
                    objectPasses.append(Pass(branch: branch, transform: transform, slotVariation: [1 + 2 * s + k],
                                             slotNode: [-1], slotFactor: [{ _ in 1 }], isNominal: false))
                }
            }
        }
        return [nominal] + objectPasses
    }

    /// Fills `tally` from every event of `block`.
    func evaluate(_ block: EventBlock, into tally: inout SampleTally) throws {
        let takes: [Int: AnyTakeBuffer] = Dictionary(uniqueKeysWithValues: plan.results.enumerated().compactMap { k, node in
            if case .take(let make) = node.kind { (k, make()) } else { nil }
        })
        let cells = BlockTally(layout: layout)
        for pass in passes {
            try walk(block, pass, takes: pass.isNominal ? takes : [:], into: cells)
        }
        cells.fold(into: &tally)
        for (k, buffer) in takes {
            if let chunk = try buffer.encoded() { tally.takes[k, default: TakeTally()].chunks.append(chunk) }
        }
    }

    private func walk(_ block: EventBlock, _ pass: Pass, takes: [Int: AnyTakeBuffer], into cells: BlockTally) throws {
        let source = VariationSource(block: block, plan: plan, branch: pass.branch, transform: pass.transform)
        let chunk = ChunkView(source: source, firstEntry: block.item.firstEntry)
        let program = self.program
        let selectionCount = program.parents.count
        let slots = pass.slotVariation.count
        // Flat cell of each (selection, slot) and (result, slot): the loop adds a cell offset.
        var cutFlowCell = [Int](repeating: 0, count: selectionCount * slots)
        for j in 0..<selectionCount {
            for s in 0..<slots { cutFlowCell[j * slots + s] = layout.cutFlowCell(variation: pass.slotVariation[s], selection: j) }
        }
        var resultCell = [Int](repeating: 0, count: program.results.count * slots)
        for r in program.results.indices where layout.resultCells[r] > 0 {
            for s in 0..<slots { resultCell[r * slots + s] = layout.resultCell(r, variation: pass.slotVariation[s]) }
        }
        let slotNode = pass.slotNode, slotFactor = pass.slotFactor
        var passed = [Bool](repeating: false, count: selectionCount)
        var weights = [Double](repeating: 1, count: selectionCount * slots)
        passed[0] = true
        // The loop borrows the chunk through an unretained reference (kept alive by `chunk`), and
        // the plan's arrays through buffer pointers: no copy-on-write or retain of the arrays
        // per event.
        try Unmanaged.passUnretained(chunk)._withUnsafeGuaranteedRef { chunk in
            try program.results.withUnsafeBufferPointer { results in
                try program.layouts.withUnsafeBufferPointer { layouts in
                    try passed.withUnsafeMutableBufferPointer { passed in
                        try weights.withUnsafeMutableBufferPointer { weights in
                            for i in 0..<chunk.count {
                                let event = chunk[i]
                                for j in 1..<max(selectionCount, 1) {
                                    guard passed[program.parents[j]], !program.hasCut[j] || program.cuts[j](event) else { passed[j] = false; continue }
                                    passed[j] = true
                                    let here = j * slots, above = program.parents[j] * slots
                                    if program.hasFactor[j] {
                                        let f = program.factors[j](event)
                                        for s in 0..<slots {
                                            let v = slotNode[s] == j ? slotFactor[s](event) : f
                                            weights[here + s] = weights[above + s] * v
                                        }
                                    } else {
                                        for s in 0..<slots { weights[here + s] = weights[above + s] }
                                    }
                                }
                                // Row 0 (`all`, weight 1) is added for the whole block below.
                                for j in 1..<max(selectionCount, 1) where passed[j] {
                                    for s in 0..<slots { cells.fill(cutFlowCell[j * slots + s], weight: weights[j * slots + s]) }
                                }
                                for r in 0..<results.count where passed[results[r].selection] {
                                    let w = results[r].selection * slots
                                    let base = r * slots
                                    switch results[r].operation {
                                    case .count:
                                        for s in 0..<slots { cells.fill(resultCell[base + s], weight: weights[w + s]) }
                                    case .sum:
                                        let x = results[r].sum(event)
                                        for s in 0..<slots { cells.fill(resultCell[base + s], weight: weights[w + s] * x) }
                                    case .take:
                                        takes[r]?.append(event)
                                    case .one:
                                        guard let x = results[r].one(event),
                                              let cell = layouts[results[r].layout].offset(x) else { break }
                                        for s in 0..<slots { cells.fill(resultCell[base + s] + cell, weight: weights[w + s]) }
                                    case .many:
                                        results[r].many(event) { x in
                                            guard let cell = layouts[results[r].layout].offset(x) else { return }
                                            for s in 0..<slots { cells.fill(resultCell[base + s] + cell, weight: weights[w + s]) }
                                        }
                                    case .two:
                                        guard let (x, y) = results[r].two(event),
                                              let cell = layouts[results[r].layout].offset(x, y) else { break }
                                        for s in 0..<slots { cells.fill(resultCell[base + s] + cell, weight: weights[w + s]) }
                                    case .values:
                                        guard let xs = results[r].values(event) else { break }
                                        let layout = layouts[results[r].layout]
                                        guard xs.count == layout.axes.count else {
                                            throw KaonError(.usage, "histogram '\(plan.results[r].name)' has \(layout.axes.count) axes but was given \(xs.count) values")
                                        }
                                        guard let cell = layout.offset(xs) else { break }
                                        for s in 0..<slots { cells.fill(resultCell[base + s] + cell, weight: weights[w + s]) }
                                    }
                                }
                                // The object view records a failed read (a missing branch) instead of throwing
                                // at the property; stop at the first one, naming the branch and the work item.
                                if let error = chunk.error { throw error }
                            }
                        }
                    }
                }
            }
        }
        withExtendedLifetime(chunk) {}
        for s in 0..<slots { cells.addUnitFills(cutFlowCell[s], chunk.count) }
    }
}
