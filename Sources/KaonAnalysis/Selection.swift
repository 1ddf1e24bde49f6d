import KaonHist
import KaonIO
import KaonNano

/// A region of the analysis: the events passing every cut from the root down to here,
/// weighted by the product of every weight factor on the way.
///
/// Selections form a tree: ``filter(_:_:)``, ``weight(_:mcOnly:_:up:down:)`` and
/// ``refine(_:cut:weight:mcOnly:)`` make a child; results are booked on any selection. Each
/// selection is a row of the cut flow (raw and weighted counts).
///
/// ```swift
/// let trigger = analysis.all.filter("trigger") { $0.hlt("IsoMu24") }
/// let weighted = trigger.weight("genWeight", mcOnly: true) { Double($0["genWeight", as: Float.self]) }
/// weighted.histogram("met", RegularAxis(50, 0, 200)) { Double($0.met.pt) }
/// ```
public struct Selection: Sendable {
    /// The analysis this selection belongs to.
    public let analysis: Analysis
    let id: Int
    /// The selection's name (its cut-flow row).
    public let name: String

    /// A child selection keeping the events for which `cut` is true.
    ///
    /// ```swift
    /// let twoMuons = trigger.filter("twoMuons") { $0.muons.count >= 2 }
    /// ```
    public func filter(_ name: String, _ cut: @escaping @Sendable (Event) -> Bool) -> Selection {
        refine(name, cut: cut, weight: nil)
    }

    /// A child selection multiplying the event weight by `factor`; with `up` and `down` it
    /// also declares the weight variation `<name>Up`/`<name>Down`, in which this one factor
    /// is replaced. `mcOnly` factors are 1 for data samples.
    ///
    /// ```swift
    /// let sf = weighted.weight("muonSF", { _ in 1.0 }, up: { _ in 1.02 }, down: { _ in 0.98 })
    /// ```
    public func weight(_ name: String, mcOnly: Bool = false, _ factor: @escaping @Sendable (Event) -> Double,
                       up: (@Sendable (Event) -> Double)? = nil, down: (@Sendable (Event) -> Double)? = nil) -> Selection {
        addChild(name, cut: nil, weight: factor, mcOnly: mcOnly, up: up, down: down)
    }

    /// A child selection with a cut and a weight factor (either may be nil).
    ///
    /// ```swift
    /// let os = twoMuons.refine("oppositeSign", cut: { e in e.muons[0].charge != e.muons[1].charge }, weight: nil)
    /// ```
    public func refine(_ name: String, cut: (@Sendable (Event) -> Bool)?, weight: (@Sendable (Event) -> Double)?,
                       mcOnly: Bool = false) -> Selection {
        addChild(name, cut: cut, weight: weight, mcOnly: mcOnly, up: nil, down: nil)
    }

    func addChild(_ name: String, cut: (@Sendable (Event) -> Bool)?, weight: (@Sendable (Event) -> Double)?, mcOnly: Bool,
                  up: (@Sendable (Event) -> Double)?, down: (@Sendable (Event) -> Double)?) -> Selection {
        var id = -1
        analysis.book("selection '\(name)'") { state in
            if state.selections.contains(where: { $0.name == name }) {
                throw KaonError(.usage, "selection '\(name)' is booked twice (cut-flow rows need distinct names)")
            }
            if (up == nil) != (down == nil) {
                throw KaonError(.usage, "weight '\(name)': give both up and down, or neither")
            }
            id = state.selections.count
            var factor: WeightFactor?
            if let weight {
                var variation: Int?
                if up != nil {
                    try Analysis.checkVariationName(name, in: state)
                    variation = state.variations.count
                    state.variations.append(VariationSpec(name: name, kind: .weight(node: id)))
                }
                factor = WeightFactor(nominal: weight, mcOnly: mcOnly, variation: variation, up: up, down: down)
            }
            state.selections.append(SelectionNode(name: name, parent: self.id, cut: cut, weight: factor))
        }
        // A refused booking still returns a selection (the error surfaces at run); it books on the root.
        return Selection(analysis: analysis, id: max(id, 0), name: name)
    }

    func book(_ name: String, _ kind: @autoclosure () throws -> ResultKind) {
        analysis.book("result '\(name)'") { state in
            if state.results.contains(where: { $0.name == name }) {
                throw KaonError(.usage, "result '\(name)' is booked twice (result names must be distinct)")
            }
            state.results.append(ResultNode(name: name, selection: id, kind: try kind()))
        }
    }

    // MARK: Results

    /// Books a 1D histogram filled with at most one value per event (`nil`: no fill),
    /// weighted by the selection's weight.
    ///
    /// ```swift
    /// os.histogram("mll", RegularAxis(60, 60, 120, label: "m_{μμ} [GeV]")) { e -> Double? in
    ///     let m = e[goodMuons]; return (m[0].p4 + m[1].p4).mass
    /// }
    /// ```
    public func histogram(_ name: String, _ axis: some Axis, _ value: @escaping @Sendable (Event) -> Double?) {
        book(name, .histogram(try HistogramLayout(axes: [axis.erased], name: name), .one(value)))
    }

    /// Books a 1D histogram filled with any number of values per event: call `fill` for each.
    ///
    /// ```swift
    /// os.histogram("muonPt", RegularAxis(50, 0, 200)) { e, fill in for m in e.muons { fill(Double(m.pt)) } }
    /// ```
    public func histogram(_ name: String, _ axis: some Axis, _ values: @escaping @Sendable (Event, (Double) -> Void) -> Void) {
        book(name, .histogram(try HistogramLayout(axes: [axis.erased], name: name), .many(values)))
    }

    /// Books a 2D histogram filled with at most one pair per event.
    ///
    /// ```swift
    /// os.histogram2D("ptEta", RegularAxis(20, 0, 200), RegularAxis(10, -2.5, 2.5)) { e -> (Double, Double)? in
    ///     guard let m = e.muons.first else { return nil }; return (Double(m.pt), Double(m.eta))
    /// }
    /// ```
    public func histogram2D(_ name: String, _ x: some Axis, _ y: some Axis,
                            _ value: @escaping @Sendable (Event) -> (Double, Double)?) {
        book(name, .histogram(try HistogramLayout(axes: [x.erased, y.erased], name: name), .two(value)))
    }

    /// Books a histogram over any axes (regular, variable, integer, category, boolean),
    /// filled with one value per axis per event (`nil`: no fill).
    ///
    /// ```swift
    /// sel.histogram("nJetVsCharge", axes: [IntegerAxis(lower: 0, upper: 10).erased, IntCategoryAxis(categories: [-1, 1]).erased]) { e in
    ///     [.int(e.jets.count), .int(Int(e.muons.first?.charge ?? 0))]
    /// }
    /// ```
    public func histogram(_ name: String, axes: [AnyAxis], _ values: @escaping @Sendable (Event) -> [AxisValue]?) {
        book(name, .histogram(try HistogramLayout(axes: axes, name: name), .values(values)))
    }

    /// Books a count of the events passing: raw (``AnalysisResults/count(_:sample:variation:)``)
    /// and weighted (``AnalysisResults/weightedCount(_:sample:variation:)``).
    ///
    /// ```swift
    /// os.count("nEvents")
    /// ```
    public func count(_ name: String) {
        book(name, .count)
    }

    /// Books the weighted sum Σ weight × value over the passing events.
    ///
    /// ```swift
    /// os.sum("sumMET") { Double($0.met.pt) }
    /// ```
    public func sum(_ name: String, _ value: @escaping @Sendable (Event) -> Double) {
        book(name, .sum(value))
    }

    /// Books the list of `value` for every passing event (nominal only, in dataset order).
    ///
    /// ```swift
    /// os.take("runs") { e in Int(e.run) }
    /// let runs = try results.take("runs", sample: "data", as: Int.self)
    /// ```
    public func take<Value: Codable & Sendable>(_ name: String, _ value: @escaping @Sendable (Event) -> Value) {
        book(name, .take({ TakeBuffer(value) }))
    }
}
