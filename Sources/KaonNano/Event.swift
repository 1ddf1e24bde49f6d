/// One event: the entry point to its collections, singletons, flags and scalars.
///
/// A value made of the chunk (held strongly, so an event, and every collection and object
/// taken from it, stays valid after its loop) and a position; every accessor reads the
/// chunk's columns (read once per chunk, on first use).
///
/// ```swift
/// try events.forEachEvent { event in
///     guard event.hlt("IsoMu24") else { return }
///     for muon in event.muons where muon.pt > 30 {
///         if let jet = muon.matchedJet, jet.btag > 0.5 { … }
///     }
///     let met = event.met.pt
/// }
/// ```
@_eagerMove
public struct Event {
    /// The chunk, kept alive by the event.
    public let chunk: ChunkView
    /// Position in the chunk.
    public let index: Int

    /// The event at `index` of `chunk` (traps unless `0 <= index < chunk.count`).
    @inlinable @inline(__always)
    public init(chunk: ChunkView, index: Int) {
        precondition(index >= 0 && index < chunk.count, "Event: \(index) out of 0..<\(chunk.count)")
        self.chunk = chunk
        self.index = index
    }

    /// The global entry number (position in the tree or chain).
    @inlinable public var entry: Int { chunk.firstEntry + index }

    // MARK: Collections

    /// The event's objects of type `O` in `O`'s default collection.
    ///
    /// ```swift
    /// let tracks = event.objects(Track.self)
    /// ```
    @inlinable @inline(__always)
    public func objects<O: NanoObject>(_: O.Type) -> ObjectCollection<O> {
        ObjectCollection(chunk: chunk, store: chunk.storeRef(for: O.self), event: index)
    }

    /// The event's objects of type `O` under another prefix (and counter, default `n<prefix>`).
    ///
    /// ```swift
    /// let ak8 = event.objects(GenJet.self, prefix: "GenJetAK8")
    /// ```
    public func objects<O: NanoObject>(_: O.Type, prefix: String, counter: String? = nil) -> ObjectCollection<O> {
        ObjectCollection(chunk: chunk, store: .passUnretained(chunk.store(for: O.self, prefix: prefix, counter: counter)), event: index)
    }

    /// Any collection by prefix, its fields read by name: the generic (non-NanoAOD) way.
    ///
    /// ```swift
    /// for sv in event.collection("SV") where sv["dlenSig", as: Float.self] > 4 { … }
    /// for hit in event.collection("Hit", counter: "numHits") { … }
    /// ```
    public func collection(_ prefix: String, counter: String? = nil) -> ObjectCollection<GenericObject> {
        objects(GenericObject.self, prefix: prefix, counter: counter)
    }

    /// Muons (`nMuon`, `Muon_*`).
    @inlinable @inline(__always) public var muons: ObjectCollection<Muon> { objects(Muon.self) }
    /// Electrons (`nElectron`, `Electron_*`).
    @inlinable @inline(__always) public var electrons: ObjectCollection<Electron> { objects(Electron.self) }
    /// Photons (`nPhoton`, `Photon_*`).
    @inlinable @inline(__always) public var photons: ObjectCollection<Photon> { objects(Photon.self) }
    /// Hadronic taus (`nTau`, `Tau_*`).
    @inlinable @inline(__always) public var taus: ObjectCollection<Tau> { objects(Tau.self) }
    /// AK4 jets (`nJet`, `Jet_*`).
    @inlinable @inline(__always) public var jets: ObjectCollection<Jet> { objects(Jet.self) }
    /// AK8 jets (`nFatJet`, `FatJet_*`).
    @inlinable @inline(__always) public var fatJets: ObjectCollection<FatJet> { objects(FatJet.self) }
    /// Generator particles (`nGenPart`, `GenPart_*`).
    @inlinable @inline(__always) public var genParticles: ObjectCollection<GenParticle> { objects(GenParticle.self) }
    /// Generator jets (`nGenJet`, `GenJet_*`).
    @inlinable @inline(__always) public var genJets: ObjectCollection<GenJet> { objects(GenJet.self) }
    /// Trigger objects (`nTrigObj`, `TrigObj_*`).
    @inlinable @inline(__always) public var trigObjs: ObjectCollection<TrigObj> { objects(TrigObj.self) }

    // MARK: Singletons

    /// The one `O` of this event (`MET`, `PV`).
    @inlinable @inline(__always)
    public func single<O: NanoObject>(_: O.Type) -> O {
        let cells = withExtendedLifetime(chunk) { chunk.storeRef(for: O.self)._withUnsafeGuaranteedRef { $0.cells } }
        return O(handle: ObjectHandle(chunk: chunk, cells: cells, index: index, event: index))
    }

    /// The one `O` under another prefix: `event.single(MET.self, prefix: "PuppiMET")`.
    public func single<O: NanoObject>(_: O.Type, prefix: String) -> O {
        O(handle: ObjectHandle(chunk: chunk, cells: chunk.store(for: O.self, prefix: prefix).cells, index: index, event: index))
    }

    /// Any `Prefix_*` group without a counter, fields by name.
    ///
    /// ```swift
    /// let rho = event.singleton("Pileup")["nTrueInt", as: Float.self]
    /// ```
    public func singleton(_ prefix: String) -> GenericSingleton { single(GenericSingleton.self, prefix: prefix) }

    /// Missing transverse momentum (`MET_*`).
    @inlinable @inline(__always) public var met: MET { single(MET.self) }
    /// The primary vertex (`PV_*`).
    @inlinable @inline(__always) public var pv: PrimaryVertex { single(PrimaryVertex.self) }

    // MARK: Event-level branches

    @inlinable var scalars: EventScalars { single(EventScalars.self) }
    /// Run number (`run`; int32 in 2012 open data, uint32 later — both read exactly).
    @inlinable public var run: UInt32 { scalars.field(.run, as: UInt32.self) }
    /// Luminosity block (`luminosityBlock`).
    @inlinable public var luminosityBlock: UInt32 { scalars.field(.luminosityBlock, as: UInt32.self) }
    /// Event number (`event`).
    @inlinable public var event: UInt64 { scalars.field(.event, as: UInt64.self) }

    /// A boolean branch by full name: `event.flag("HLT_IsoMu24")`, `event.flag("Flag_goodVertices")`.
    ///
    /// ```swift
    /// guard event.flag("Flag_METFilters") else { return }
    /// ```
    @inlinable public func flag(_ branch: String) -> Bool { scalars.value(branch, as: Bool.self) }

    /// A trigger bit: `event.hlt("IsoMu24")` reads `HLT_IsoMu24`.
    @inlinable public func hlt(_ path: String) -> Bool { flag("HLT_" + path) }

    /// Any per-event branch by full name with its type.
    ///
    /// ```swift
    /// let rho = event.value("fixedGridRhoFastjetAll", as: Float.self)
    /// let metPt = event["MET_pt", as: Float.self]
    /// ```
    @inlinable public func value<T: ColumnValue>(_ branch: String, as _: T.Type) -> T { scalars.value(branch, as: T.self) }

    /// Same as ``value(_:as:)``.
    @inlinable public subscript<T: ColumnValue>(_ branch: String, as type: T.Type) -> T { value(branch, as: type) }
}

/// The event's own branches (run, luminosityBlock, event, flags, any flat branch).
@usableFromInline struct EventScalars: NanoObject {
    @usableFromInline static let defaultPrefix = ""
    @usableFromInline static var kind: ObjectKind { .eventLevel }
    @inlinable static var builtinSlot: Int { 11 }
    @usableFromInline enum Field: Int, NanoField {
        case run, luminosityBlock, event
    }
    @usableFromInline let handle: ObjectHandle
    @inlinable init(handle: ObjectHandle) { self.handle = handle }
}
