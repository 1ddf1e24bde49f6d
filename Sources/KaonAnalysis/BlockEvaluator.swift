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
struct BlockEvaluator {
    let plan: GraphPlan
    let isMC: Bool

    /// One walk of the graph: which source, and which variations its weights fill.
    struct Pass {
        var branch: String?
        var transform: (@Sendable (Float) -> Float)?
        /// Variation index filled by each weight slot (slot 0: the nominal weight of this pass).
        var slotVariation: [Int]
        /// For each slot, the selection whose factor it replaces and the replacement (or -1/nil).
        var slotNode: [Int]
        var slotFactor: [(@Sendable (Event) -> Double)?]
        var isNominal: Bool
    }

    func passes() -> [Pass] {
        var nominal = Pass(branch: nil, transform: nil, slotVariation: [0], slotNode: [-1], slotFactor: [nil], isNominal: true)
        guard isMC else { return [nominal] }
        var objectPasses: [Pass] = []
        for (s, spec) in plan.variations.enumerated() {
            switch spec.kind {
            case .weight(let node):
                let factor = plan.selections[node].weight!
                nominal.slotVariation += [1 + 2 * s, 2 + 2 * s]
                nominal.slotNode += [node, node]
                nominal.slotFactor += [factor.up, factor.down]
            case .object(let branch, let up, let down):
                for (k, transform) in [up, down].enumerated() {
                    objectPasses.append(Pass(branch: branch, transform: transform, slotVariation: [1 + 2 * s + k],
                                             slotNode: [-1], slotFactor: [nil], isNominal: false))
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
        for pass in passes() {
            try walk(block, pass, takes: pass.isNominal ? takes : [:], into: &tally)
        }
        for (k, buffer) in takes {
            if let chunk = try buffer.encoded() { tally.takes[k, default: TakeTally()].chunks.append(chunk) }
        }
        tally.normalize()
    }

    private func walk(_ block: EventBlock, _ pass: Pass, takes: [Int: AnyTakeBuffer], into tally: inout SampleTally) throws {
        let source = VariationSource(block: block, plan: plan, branch: pass.branch, transform: pass.transform)
        let chunk = ChunkView(source: source, firstEntry: block.item.firstEntry)
        let selections = plan.selections
        let results = plan.results
        let slots = pass.slotVariation.count
        var passed = [Bool](repeating: false, count: selections.count)
        var weights = [Double](repeating: 1, count: selections.count * slots)
        var values: [Double] = []
        passed[0] = true
        for i in 0..<chunk.count {
            let event = chunk[i]
            for j in 1..<max(selections.count, 1) {
                let node = selections[j]
                guard passed[node.parent], node.cut?(event) ?? true else { passed[j] = false; continue }
                passed[j] = true
                let here = j * slots, above = node.parent * slots
                if let factor = node.weight, isMC || !factor.mcOnly {
                    let f = factor.nominal(event)
                    for s in 0..<slots {
                        let v = pass.slotNode[s] == j ? pass.slotFactor[s]!(event) : f
                        weights[here + s] = weights[above + s] * v
                    }
                } else {
                    for s in 0..<slots { weights[here + s] = weights[above + s] }
                }
            }
            for j in selections.indices where passed[j] {
                for s in 0..<slots { tally.cutFlow[pass.slotVariation[s]][j].fill(0, weight: weights[j * slots + s]) }
            }
            for (r, result) in results.enumerated() where passed[result.selection] {
                let w = result.selection * slots
                switch result.kind {
                case .count:
                    for s in 0..<slots { tally.results[r][pass.slotVariation[s]].fill(0, weight: weights[w + s]) }
                case .sum(let value):
                    let x = value(event)
                    for s in 0..<slots { tally.results[r][pass.slotVariation[s]].fill(0, weight: weights[w + s] * x) }
                case .take:
                    takes[r]?.append(event)
                case .histogram(let layout, let fill):
                    switch fill {
                    case .one(let value):
                        guard let x = value(event), let cell = layout.offset(x) else { break }
                        for s in 0..<slots { tally.results[r][pass.slotVariation[s]].fill(cell, weight: weights[w + s]) }
                    case .many(let value):
                        values.removeAll(keepingCapacity: true)
                        value(event) { values.append($0) }
                        for x in values {
                            guard let cell = layout.offset(x) else { continue }
                            for s in 0..<slots { tally.results[r][pass.slotVariation[s]].fill(cell, weight: weights[w + s]) }
                        }
                    case .two(let value):
                        guard let (x, y) = value(event), let cell = layout.offset(x, y) else { break }
                        for s in 0..<slots { tally.results[r][pass.slotVariation[s]].fill(cell, weight: weights[w + s]) }
                    case .values(let value):
                        guard let xs = value(event) else { break }
                        guard xs.count == layout.axes.count else {
                            throw KaonError(.usage, "histogram '\(result.name)' has \(layout.axes.count) axes but was given \(xs.count) values")
                        }
                        guard let cell = layout.offset(xs) else { break }
                        for s in 0..<slots { tally.results[r][pass.slotVariation[s]].fill(cell, weight: weights[w + s]) }
                    }
                }
            }
            // The object view records a failed read (a missing branch) instead of throwing
            // at the property; stop at the first one, naming the branch and the work item.
            if let error = chunk.error { throw error }
        }
    }
}
