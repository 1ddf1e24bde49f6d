import KaonEngine
import KaonHist
import KaonIO
import KaonNano
import KaonTree
import Synchronization

/// A lazy dataflow analysis: selections, per-event definitions, weights, systematic
/// variations and booked results, declared first and computed in one pass by ``run(samples:blockSize:options:)``.
///
/// Nothing is read while the graph is built. `run` splits every sample's files into work
/// items, processes them on the engine's threads, evaluates the whole graph on each event
/// (once per object variation) reading only the branches it touches, and returns
/// ``AnalysisResults`` for every sample and variation.
///
/// ```swift
/// let analysis = Analysis("dimuon")
/// let goodMuons = try analysis.define("goodMuons") { (event: Event) -> [Muon] in
///     event.muons.filter { $0.pt > 20 && $0.tightId }
/// }
/// let trigger = try analysis.all.filter("trigger") { $0.hlt("IsoMu24") }
/// let twoMuons = try trigger.filter("twoMuons") { $0[goodMuons].count >= 2 }
/// let mll = try twoMuons.histogram("mll", RegularAxis(60, 60, 120)) { e -> Double? in
///     let m = e[goodMuons]; return (m[0].p4 + m[1].p4).mass
/// }
/// let results = try analysis.run(samples: SampleSet(path: "samples.yml"), options: RunOptions(threads: 2))
/// let dy = try results[mll, sample: "DY"]
/// print(results.cutFlowTable())
/// ```
///
/// Every booking method throws when it refuses the booking (a duplicate name, an up without
/// a down, a bad variation name, bad axes, or booking after the first run started), at the
/// line that asked for it; a refused booking leaves the graph unchanged.
public final class Analysis: Sendable {
    /// The analysis' name (written to results).
    public let name: String
    /// Unique among the analyses of the process, so that a result handle (``Booked``) is
    /// refused by results of another analysis; unlike an `ObjectIdentifier`, never reused
    /// after this analysis is freed.
    let serial: UInt64
    let state: Mutex<GraphState>

    /// The source of ``serial``.
    private static let nextSerial = Atomic<UInt64>(0)

    struct GraphState {
        var selections: [SelectionNode] = [SelectionNode(name: "all", parent: -1, cut: nil, weight: nil)]
        var definitions: [DefinitionNode] = []
        var variations: [VariationSpec] = []
        var results: [ResultNode] = []
        var frozen = false
    }

    /// An empty analysis.
    ///
    /// ```swift
    /// let analysis = Analysis("dimuon")
    /// ```
    public init(_ name: String) {
        self.name = name
        serial = Self.nextSerial.add(1, ordering: .relaxed).newValue
        state = Mutex(GraphState())
    }

    /// The root selection: every event, weight 1 (times the sample's normalisation).
    ///
    /// ```swift
    /// let trigger = try analysis.all.filter("trigger") { $0.hlt("IsoMu24") }
    /// ```
    public var all: Selection { Selection(analysis: self, id: 0, name: "all") }

    /// Declares an object variation `name`: branch `branch` (float32) is read through `up`
    /// (variation `<name>Up`) or `down` (`<name>Down`) instead of as stored, and the whole
    /// graph — cuts, definitions, weights, results — is evaluated again on the varied
    /// events (MC samples only).
    ///
    /// ```swift
    /// try analysis.vary("jes", branch: "Jet_pt", up: { $0 * 1.03 }, down: { $0 * 0.97 })
    /// ```
    public func vary(_ name: String, branch: String, up: @escaping @Sendable (Float) -> Float,
                     down: @escaping @Sendable (Float) -> Float) throws {
        try book("variation '\(name)'") { state in
            try Self.checkVariationName(name, in: state)
            state.variations.append(VariationSpec(name: name, kind: .object(branch: branch, up: up, down: down)))
        }
    }

    /// Declares a per-event definition, computed at most once per event and variation however
    /// many selections and results use it (read it with `event[definition]`).
    ///
    /// ```swift
    /// let goodJets = try analysis.define("goodJets") { (event: Event) -> [Jet] in
    ///     event.jets.filter { $0.pt > 30 && abs($0.eta) < 2.4 }
    /// }
    /// ```
    public func define<Value>(_ name: String, _ compute: @escaping @Sendable (Event) -> Value) throws -> Definition<Value> {
        var id = 0
        try book("definition '\(name)'") { state in
            id = state.definitions.count
            state.definitions.append(DefinitionNode(name: name, makeSlot: { DefinitionSlot(of: Value.self) }))
        }
        return Definition(name: name, id: id, owner: ObjectIdentifier(self), compute: compute)
    }

    /// Runs a mutation of the graph, or throws why it cannot be done (`what` names the
    /// booking in the message). `body` must check everything before it changes `state`, so
    /// that a refused booking leaves no trace.
    func book(_ what: String, _ body: (inout GraphState) throws -> Void) throws {
        try state.withLock { state in
            guard !state.frozen else {
                throw KaonError(.usage, "\(what) was booked after analysis '\(name)' started running; book everything before the first run()")
            }
            do {
                try body(&state)
            } catch let error as KaonError {
                throw error
            } catch {
                throw KaonError(.usage, "\(what): \(error)")
            }
        }
    }

    static func checkVariationName(_ name: String, in state: GraphState) throws {
        guard !name.isEmpty, name != "nominal" else { throw KaonError(.usage, "a variation needs a name other than 'nominal'") }
        if state.variations.contains(where: { $0.name == name }) {
            throw KaonError(.usage, "variation '\(name)' is declared twice")
        }
    }

    /// Freezes the graph (later bookings throw) and returns it.
    func freeze() -> GraphPlan {
        state.withLock { state in
            state.frozen = true
            return GraphPlan(owner: ObjectIdentifier(self), serial: serial, analysisName: name, selections: state.selections,
                             definitions: state.definitions, variations: state.variations, results: state.results)
        }
    }
}
