import KaonHist
import KaonIO
import KaonNano

/// A region of the analysis: the events passing every cut from the root down to here,
/// weighted by the product of every weight factor on the way.
///
/// Selections form a tree: ``filter(_:_:)``, ``weight(_:mcOnly:_:up:down:)`` and
/// ``refine(_:cut:weight:mcOnly:)`` make a child; results are booked on any selection and
/// return a handle (``Booked``) that reads them back from the run's ``AnalysisResults``. Each
/// selection is a row of the cut flow (raw and weighted counts).
///
/// Every booking throws at once when it is refused (see ``Analysis``), so a selection always
/// stands where it was asked for.
///
/// ```swift
/// let trigger = try analysis.all.filter("trigger") { $0.hlt("IsoMu24") }
/// let weighted = try trigger.weight("genWeight", mcOnly: true) { Double($0["genWeight", as: Float.self]) }
/// let met = try weighted.histogram("met", RegularAxis(50, 0, 200)) { Double($0.met.pt) }
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
    /// let twoMuons = try trigger.filter("twoMuons") { $0.muons.count >= 2 }
    /// ```
    public func filter(_ name: String, _ cut: @escaping @Sendable (Event) -> Bool) throws -> Selection {
        try addChild(name, cut: cut, weight: nil, mcOnly: false, up: nil, down: nil)
    }

    /// A child selection multiplying the event weight by `factor`; with `up` and `down` it
    /// also declares the weight variation `<name>Up`/`<name>Down`, in which this one factor
    /// is replaced. `mcOnly` factors are 1 for data samples.
    ///
    /// ```swift
    /// let sf = try weighted.weight("muonSF", { _ in 1.0 }, up: { _ in 1.02 }, down: { _ in 0.98 })
    /// ```
    public func weight(_ name: String, mcOnly: Bool = false, _ factor: @escaping @Sendable (Event) -> Double,
                       up: (@Sendable (Event) -> Double)? = nil, down: (@Sendable (Event) -> Double)? = nil) throws -> Selection {
        try addChild(name, cut: nil, weight: factor, mcOnly: mcOnly, up: up, down: down)
    }

    /// A child selection with both a cut and a weight factor, in one cut-flow row (a cut
    /// alone is ``filter(_:_:)``, a factor alone ``weight(_:mcOnly:_:up:down:)``).
    ///
    /// ```swift
    /// let tagged = try os.refine("bTag", cut: { $0.jets.contains { $0.btag > 0.5 } }, weight: { _ in 0.95 }, mcOnly: true)
    /// ```
    public func refine(_ name: String, cut: @escaping @Sendable (Event) -> Bool, weight: @escaping @Sendable (Event) -> Double,
                       mcOnly: Bool = false) throws -> Selection {
        try addChild(name, cut: cut, weight: weight, mcOnly: mcOnly, up: nil, down: nil)
    }

    func addChild(_ name: String, cut: (@Sendable (Event) -> Bool)?, weight: (@Sendable (Event) -> Double)?, mcOnly: Bool,
                  up: (@Sendable (Event) -> Double)?, down: (@Sendable (Event) -> Double)?) throws -> Selection {
        var id = -1
        try analysis.book("selection '\(name)' below '\(self.name)'") { state in
            if state.selections.contains(where: { $0.name == name }) {
                throw KaonError(.usage, "selection '\(name)' below '\(self.name)' is booked twice (cut-flow rows need distinct names)")
            }
            if (up == nil) != (down == nil) {
                throw KaonError(.usage, "weight '\(name)' below '\(self.name)': give both up and down, or neither")
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
        return Selection(analysis: analysis, id: id, name: name)
    }

    /// Books result `name` on this selection and returns its handle, reading it back with `read`.
    func book<Value>(_ name: String, _ kind: @autoclosure () throws -> ResultKind,
                     read: @escaping @Sendable (AnalysisResults, _ sample: String, _ variation: String) throws -> Value) throws -> Booked<Value> {
        try analysis.book("result '\(name)' on selection '\(self.name)'") { state in
            if state.results.contains(where: { $0.name == name }) {
                throw KaonError(.usage, "result '\(name)' on selection '\(self.name)' is booked twice (result names must be distinct)")
            }
            state.results.append(ResultNode(name: name, selection: id, kind: try kind()))
        }
        return Booked(name: name, analysis: analysis.serial, analysisName: analysis.name, read: read)
    }

    // MARK: Results

    /// Books a 1D histogram filled with at most one value per event (`nil`: no fill),
    /// weighted by the selection's weight.
    ///
    /// ```swift
    /// let mll = try os.histogram("mll", RegularAxis(60, 60, 120, label: "m_{μμ} [GeV]")) { e -> Double? in
    ///     let m = e[goodMuons]; return (m[0].p4 + m[1].p4).mass
    /// }
    /// ```
    @discardableResult
    public func histogram(_ name: String, _ axis: some Axis, _ value: @escaping @Sendable (Event) -> Double?) throws
        -> Booked<Histogram<WeightStorage>> {
        try book(name, .histogram(try HistogramLayout(axes: [axis.erased], name: name), .one(value)), read: Self.readHistogram(name))
    }

    /// Books a 1D histogram filled with any number of values per event: call `fill` for each.
    ///
    /// ```swift
    /// try os.histogram("muonPt", RegularAxis(50, 0, 200)) { e, fill in for m in e.muons { fill(Double(m.pt)) } }
    /// ```
    @discardableResult
    public func histogram(_ name: String, _ axis: some Axis, _ values: @escaping @Sendable (Event, (Double) -> Void) -> Void) throws
        -> Booked<Histogram<WeightStorage>> {
        try book(name, .histogram(try HistogramLayout(axes: [axis.erased], name: name), .many(values)), read: Self.readHistogram(name))
    }

    /// Books a 2D histogram filled with at most one pair per event.
    ///
    /// ```swift
    /// try os.histogram2D("ptEta", RegularAxis(20, 0, 200), RegularAxis(10, -2.5, 2.5)) { e -> (Double, Double)? in
    ///     guard let m = e.muons.first else { return nil }; return (Double(m.pt), Double(m.eta))
    /// }
    /// ```
    @discardableResult
    public func histogram2D(_ name: String, _ x: some Axis, _ y: some Axis,
                            _ value: @escaping @Sendable (Event) -> (Double, Double)?) throws -> Booked<Histogram<WeightStorage>> {
        try book(name, .histogram(try HistogramLayout(axes: [x.erased, y.erased], name: name), .two(value)), read: Self.readHistogram(name))
    }

    /// Books a histogram over any axes (regular, variable, integer, category, boolean),
    /// filled with one value per axis per event (`nil`: no fill).
    ///
    /// ```swift
    /// try sel.histogram("nJetVsCharge", axes: [IntegerAxis(lower: 0, upper: 10).erased, IntCategoryAxis(categories: [-1, 1]).erased]) { e in
    ///     [.int(e.jets.count), .int(Int(e.muons.first?.charge ?? 0))]
    /// }
    /// ```
    @discardableResult
    public func histogram(_ name: String, axes: [AnyAxis], _ values: @escaping @Sendable (Event) -> [AxisValue]?) throws
        -> Booked<Histogram<WeightStorage>> {
        try book(name, .histogram(try HistogramLayout(axes: axes, name: name), .values(values)), read: Self.readHistogram(name))
    }

    /// Books a count of the events passing: the handle reads the raw count, and
    /// `results.weightedCount(handle, sample:)` the weighted one.
    ///
    /// ```swift
    /// let nEvents = try os.count("nEvents")
    /// let n: Int = try results[nEvents, sample: "data"]
    /// ```
    @discardableResult
    public func count(_ name: String) throws -> Booked<Int> {
        try book(name, .count) { results, sample, variation in try results.count(name, sample: sample, variation: variation) }
    }

    /// Books the weighted sum Σ weight × value over the passing events.
    ///
    /// ```swift
    /// let sumMET = try os.sum("sumMET") { Double($0.met.pt) }
    /// ```
    @discardableResult
    public func sum(_ name: String, _ value: @escaping @Sendable (Event) -> Double) throws -> Booked<Double> {
        try book(name, .sum(value)) { results, sample, variation in try results.sum(name, sample: sample, variation: variation) }
    }

    /// Books the list of `value` for every passing event (nominal only, in dataset order:
    /// reading another variation through the handle is an error).
    ///
    /// ```swift
    /// let runs = try os.take("runs") { e in Int(e.run) }
    /// let values: [Int] = try results[runs, sample: "data"]
    /// ```
    @discardableResult
    public func take<Value: Codable & Sendable>(_ name: String, _ value: @escaping @Sendable (Event) -> Value) throws -> Booked<[Value]> {
        try book(name, .take({ TakeBuffer(value) })) { results, sample, variation in
            guard variation == "nominal" else {
                throw KaonError(.usage, "take '\(name)' holds nominal values only (asked for variation '\(variation)')")
            }
            return try results.take(name, sample: sample, as: Value.self)
        }
    }

    /// How a histogram handle reads its result.
    private static func readHistogram(_ name: String) -> @Sendable (AnalysisResults, String, String) throws -> Histogram<WeightStorage> {
        { results, sample, variation in try results.histogram(name, sample: sample, variation: variation) }
    }
}
