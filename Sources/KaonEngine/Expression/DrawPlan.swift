import KaonColumns
import KaonTree

/// What `kaon draw` fills: an expression, an optional cut and an optional weight, and the
/// rules that turn their values over a block of events into histogram entries.
///
/// - A per-event expression fills once per event passing a per-event cut.
/// - A list expression (one value per object) fills once per object. A per-event cut
///   selects whole events; a list cut of the same structure selects objects.
/// - A weight is per event (applied to every object of the event) or per object.
/// - Values that are none (`Jet_pt[1]` with one jet, `max(x)` of an empty list) are not
///   filled; a none cut does not pass.
public struct DrawPlan: Sendable {
    public var expression: Expression
    public var cut: Expression?
    public var weight: Expression?
    let texts: (expression: String, cut: String, weight: String)

    /// Parses the three texts; errors point at the offending token of the one that is wrong.
    public init(expression: String, cut: String? = nil, weight: String? = nil) throws {
        self.expression = try Expression(parsing: expression)
        self.cut = try cut.map { try Expression(parsing: $0) }
        self.weight = try weight.map { try Expression(parsing: $0) }
        texts = (expression, cut ?? "", weight ?? "")
    }

    /// The values to fill and their weights (nil when unweighted) for one block.
    public func entries(count: Int, load: @escaping (String) throws -> Column) throws -> (values: [Double], weights: [Double]?) {
        let value = try Evaluator(expressionText: texts.expression, count: count, load: load).evaluate(expression)
        let cutValue = try cut.map { try Evaluator(expressionText: texts.cut, count: count, load: load).evaluate($0) }
        let weightValue = try weight.map { try Evaluator(expressionText: texts.weight, count: count, load: load).evaluate($0) }

        switch value {
        case .lists(let lists):
            // Per-object filling: build a flat pass mask and weights aligned with the values.
            var pass = [Bool](repeating: true, count: lists.values.count)
            if let cutValue { try applyCut(cutValue, to: lists, &pass) }
            var weights: [Double]?
            if let weightValue { weights = try objectWeights(weightValue, lists, &pass) }
            var values: [Double] = []
            values.reserveCapacity(pass.count)
            var kept: [Double] = []
            for i in 0..<pass.count where pass[i] {
                values.append(lists.values[i])
                if let weights { kept.append(weights[i]) }
            }
            return (values, weights == nil ? nil : kept)
        default:
            let (values, valid) = value.perEvent(count: count)!  // not lists, so always per event
            var pass = valid ?? [Bool](repeating: true, count: count)
            if let cutValue {
                guard let (cuts, cutValid) = cutValue.perEvent(count: count) else {
                    throw ExpressionError(message: "the cut selects objects (a list) but the expression has one value per event; reduce the cut, e.g. any(…)",
                                          expression: texts.cut, position: 0)
                }
                for i in 0..<count { pass[i] = pass[i] && cuts[i] != 0 && (cutValid?[i] ?? true) }
            }
            var weights: [Double]?
            if let weightValue {
                guard let (w, wValid) = weightValue.perEvent(count: count) else {
                    throw ExpressionError(message: "the weight is a list but the expression has one value per event",
                                          expression: texts.weight, position: 0)
                }
                for i in 0..<count { pass[i] = pass[i] && (wValid?[i] ?? true) }
                weights = w
            }
            var kept: [Double] = []
            var keptWeights: [Double] = []
            for i in 0..<count where pass[i] {
                kept.append(values[i])
                if let weights { keptWeights.append(weights[i]) }
            }
            return (kept, weights == nil ? nil : keptWeights)
        }
    }

    func applyCut(_ cut: ExpressionValue, to lists: JaggedArray<Double>, _ pass: inout [Bool]) throws {
        switch cut {
        case .lists(let mask):
            guard mask.offsets == lists.offsets else {
                throw ExpressionError(message: "the cut's lists and the expression's lists have different lengths in some events",
                                      expression: texts.cut, position: 0)
            }
            for i in 0..<pass.count { pass[i] = pass[i] && mask.values[i] != 0 }
        default:
            let (cuts, valid) = cut.perEvent(count: lists.count)!
            for event in 0..<lists.count where cuts[event] == 0 || !(valid?[event] ?? true) {
                for i in lists.range(of: event) { pass[i] = false }
            }
        }
    }

    func objectWeights(_ weight: ExpressionValue, _ lists: JaggedArray<Double>, _ pass: inout [Bool]) throws -> [Double] {
        switch weight {
        case .lists(let w):
            guard w.offsets == lists.offsets else {
                throw ExpressionError(message: "the weight's lists and the expression's lists have different lengths in some events",
                                      expression: texts.weight, position: 0)
            }
            return w.values
        default:
            let (perEvent, valid) = weight.perEvent(count: lists.count)!
            var weights = [Double](repeating: 0, count: lists.values.count)
            for event in 0..<lists.count {
                for i in lists.range(of: event) {
                    weights[i] = perEvent[event]
                    if !(valid?[event] ?? true) { pass[i] = false }
                }
            }
            return weights
        }
    }

    /// Every branch the plan reads.
    public var branches: [String] {
        var names = expression.branches
        for extra in [cut, weight].compactMap({ $0 }) {
            for name in extra.branches where !names.contains(name) { names.append(name) }
        }
        return names
    }
}
