import KaonHist
import KaonNano

/// One selection of the graph: a cut and/or a weight factor applied below its parent.
struct SelectionNode: Sendable {
    let name: String
    /// Index of the selection this one refines; -1 for the root (`Analysis.all`).
    let parent: Int
    let cut: (@Sendable (Event) -> Bool)?
    let weight: WeightFactor?
}

/// A multiplicative event weight, optionally with up/down replacements (a weight variation).
struct WeightFactor: Sendable {
    let nominal: @Sendable (Event) -> Double
    /// Applied to MC only; data events get 1.
    let mcOnly: Bool
    /// The variation it defines (index into `GraphPlan.variations`), if any.
    let variation: Int?
    let up: (@Sendable (Event) -> Double)?
    let down: (@Sendable (Event) -> Double)?
}

/// A systematic variation: its name and how it changes the graph.
struct VariationSpec: Sendable {
    enum Kind: Sendable {
        /// Replaces one weight factor of selection `node` by its up/down closure.
        case weight(node: Int)
        /// Replaces the values of a float branch when it is read, for the whole graph.
        case object(branch: String, up: @Sendable (Float) -> Float, down: @Sendable (Float) -> Float)
    }
    let name: String
    let kind: Kind
}

/// A per-event definition: how to make its cache slot (the closure lives in the slot's type).
struct DefinitionNode: Sendable {
    let name: String
    let makeSlot: @Sendable () -> DefinitionSlot
}

/// How a booked histogram gets its values from an event.
enum HistogramFill: Sendable {
    /// At most one value per event (`nil`: no fill).
    case one(@Sendable (Event) -> Double?)
    /// Any number of values per event, passed to the callback.
    case many(@Sendable (Event, (Double) -> Void) -> Void)
    /// At most one pair per event (2D).
    case two(@Sendable (Event) -> (Double, Double)?)
    /// One value per axis, for any axes (`nil`: no fill).
    case values(@Sendable (Event) -> [AxisValue]?)
}

/// What a booked result accumulates.
enum ResultKind: Sendable {
    case histogram(HistogramLayout, HistogramFill)
    /// Events passing (raw and weighted).
    case count
    /// Σ weight × value.
    case sum(@Sendable (Event) -> Double)
    /// The values of every passing event, nominal only, in entry order.
    case take(@Sendable () -> AnyTakeBuffer)
}

/// A booked result on a selection.
struct ResultNode: Sendable {
    let name: String
    let selection: Int
    let kind: ResultKind

    var isTake: Bool { if case .take = kind { true } else { false } }
}

/// The frozen graph an ``Analysis`` runs: selections, definitions, variations and results
/// in booking order (a selection's parent always comes before it).
struct GraphPlan: Sendable {
    let owner: ObjectIdentifier
    /// ``Analysis/serial``: which analysis' handles the results accept.
    let serial: UInt64
    let analysisName: String
    let selections: [SelectionNode]
    let definitions: [DefinitionNode]
    let variations: [VariationSpec]
    let results: [ResultNode]

    /// Variation names of a sample: "nominal", then `<name>Up`, `<name>Down` for every
    /// variation in declaration order (MC only; data has only "nominal").
    func variationNames(isMC: Bool) -> [String] {
        guard isMC else { return ["nominal"] }
        return ["nominal"] + variations.flatMap { [$0.name + "Up", $0.name + "Down"] }
    }
}
