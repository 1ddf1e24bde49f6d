import KaonPhysics

/// How a kind of object maps onto a tree.
public enum ObjectKind: Sendable {
    /// Any number per event, counted by `n<Prefix>` (Muon, Jet, GenPart, …).
    case collection
    /// One per event (MET, PV).
    case singleton
    /// The event's own branches (run, flags).
    case eventLevel
}

/// A view type for one kind of object: a struct wrapping an ``ObjectHandle`` (the chunk, the
/// collection's store and the object's index), with typed properties that read its store.
/// An object keeps its chunk's columns alive, so it may be stored and used after the loop.
///
/// A type declares its typed fields once, as a ``Field`` enum (``NanoField``): each case is a
/// field, its raw value the slot a property reads — a direct buffer load, no lookup — and
/// its name the branch suffix. A collection with no typed fields needs only a prefix (any
/// branch is still readable by name with ``value(_:as:)``).
///
/// ```swift
/// struct Track: NanoObject {
///     static let defaultPrefix = "Track"
///     enum Field: Int, NanoField { case px, py }     // Track_px, Track_py
///     let handle: ObjectHandle
///     init(handle: ObjectHandle) { self.handle = handle }
///     var px: Float { field(.px, as: Float.self) }
///     var py: Float { field(.py, as: Float.self) }
/// }
/// for track in event.objects(Track.self) where track.px > 1 { … }   // counted by nTrack
/// ```
public protocol NanoObject {
    /// The typed fields (default: none, ``NoFields``).
    associatedtype Field: NanoField = NoFields
    /// The branch prefix of the default collection (`Muon` for `nMuon`, `Muon_pt`, …).
    static var defaultPrefix: String { get }
    /// Counted collection, singleton or event-level (default: counted collection).
    static var kind: ObjectKind { get }
    /// A fixed slot in ``ChunkView`` for the built-in types (no lookup per event); -1 otherwise.
    static var builtinSlot: Int { get }
    /// Where the object's values are.
    var handle: ObjectHandle { get }
    /// Wraps a handle.
    init(handle: ObjectHandle)
}

extension NanoObject {
    /// Counted collection.
    public static var kind: ObjectKind { .collection }
    /// Not built in.
    public static var builtinSlot: Int { -1 }

    /// The value of typed field `field`: one check and one load once its branch is loaded.
    ///
    /// ```swift
    /// var px: Float { field(.px, as: Float.self) }
    /// ```
    @inlinable @inline(__always)
    public func field<T: ColumnValue>(_ field: Field, as _: T.Type) -> T { handle.field(field.rawValue, as: T.self) }

    /// Any branch of the collection by its suffix: `muon.value("dxy", as: Float.self)` reads
    /// `Muon_dxy`. Works for branches the typed view does not know; a missing branch or a
    /// type that cannot hold its values is recorded and rethrown by the loop driver.
    ///
    /// ```swift
    /// let dxy = muon.value("dxy", as: Float.self)
    /// ```
    @inlinable
    public func value<T: ColumnValue>(_ field: String, as _: T.Type) -> T {
        withExtendedLifetime(handle.chunk) {
            handle.storeRef._withUnsafeGuaranteedRef { $0.value(named: field, at: handle.index, as: T.self) }
        }
    }

    /// Same as ``value(_:as:)``: `muon["dxy", as: Float.self]`.
    @inlinable
    public subscript<T: ColumnValue>(_ field: String, as type: T.Type) -> T { value(field, as: type) }

    /// The object's position within its event's collection (what `…Idx` branches hold).
    @inlinable public var localIndex: Int { handle.index - handle.eventStart }

    /// The event this object belongs to.
    public var event: Event { Event(chunk: handle.chunk, index: handle.event) }

    /// The object of type `O` that index field `field` (an `…Idx` branch) points at in the
    /// same event; nil for -1 (NanoAOD's "none") or an index outside the target collection.
    ///
    /// ```swift
    /// var matchedJet: Jet? { reference(.jetIdx, to: Jet.self) }
    /// ```
    @inlinable @inline(__always)
    public func reference<O: NanoObject>(_ field: Field, to _: O.Type) -> O? {
        reference(field, inStore: handle.chunk.storeRef(for: O.self))
    }

    /// As ``reference(_:to:)`` into `target`, a store of this object's chunk (so kept alive
    /// by this object's handle; e.g. the object's own store for mothers).
    @inlinable @inline(__always)
    func reference<O: NanoObject>(_ field: Field, inStore target: Unmanaged<CollectionStore>) -> O? {
        let local = Int(self.field(field, as: Int32.self))
        guard local >= 0 else { return nil }
        let event = handle.event
        // `target` belongs to the chunk: keep it alive across the reads (see ObjectHandle).
        let (cells, start, end) = withExtendedLifetime(handle.chunk) {
            target._withUnsafeGuaranteedRef { ($0.cells, $0.offsets[event], $0.offsets[event + 1]) }
        }
        guard local < end &- start else { return nil }
        return O(handle: ObjectHandle(chunk: handle.chunk, cells: cells, index: start &+ local, event: event))
    }
}

/// Where an object's values are: its chunk, its collection's field buffers, its global
/// index among the collection's objects in the chunk, and its event.
///
/// The handle holds its ``ChunkView`` strongly, so an object can be kept anywhere and still
/// reads the right values; it is `@_eagerMove` so that holding it costs no reference counting
/// in loops. Why that is safe and what it costs: <doc:ObjectLifetimes>. Code added here that
/// reads `cells` or a store must keep its rule: every read through a raw pointer is a use of
/// the chunk (`withExtendedLifetime(chunk)` around the load).
///
/// ```swift
/// let h = muon.handle
/// h.index      // position among all muons of the chunk
/// h.event      // event position in the chunk
/// ```
@_eagerMove
public struct ObjectHandle {
    /// The chunk: owns the store and its buffers, so holding it keeps `cells` valid.
    public let chunk: ChunkView
    /// The store's field buffers; `cells[-1]` is the store itself (see ``CollectionStore``).
    @usableFromInline let cells: UnsafeMutablePointer<UnsafeRawPointer?>
    /// Global position among the collection's objects in the chunk.
    public let index: Int
    /// Event position in the chunk.
    public let event: Int

    /// A handle to object `index` (global position in `store`) of event `event`; traps unless
    /// the object belongs to that event.
    ///
    /// ```swift
    /// let first = ObjectHandle(store: view.store(for: Muon.self), index: 0, event: 0)
    /// ```
    public init(store: CollectionStore, index: Int, event: Int) {
        precondition(event >= 0 && event < store.events, "ObjectHandle: event \(event) out of 0..<\(store.events)")
        precondition(index >= store.offsets[event] && index < store.offsets[event + 1],
                     "ObjectHandle: object \(index) is not in event \(event)")
        self.init(chunk: store.chunk, cells: store.cells, index: index, event: event)
    }

    /// Unchecked: `cells` belongs to a store of `chunk` and `index` is in event `event`'s range.
    @inlinable @inline(__always)
    init(chunk: ChunkView, cells: UnsafeMutablePointer<UnsafeRawPointer?>, index: Int, event: Int) {
        self.chunk = chunk
        self.cells = cells
        self.index = index
        self.event = event
    }

    /// The store, unretained: valid while this handle (which holds the chunk, which owns the
    /// store) is.
    @inlinable var storeRef: Unmanaged<CollectionStore> { withExtendedLifetime(chunk) { CollectionStore.owner(ofCells: cells) } }

    /// The collection's store.
    public var store: CollectionStore { withExtendedLifetime(chunk) { storeRef.takeUnretainedValue() } }

    /// The value of built-in field `slot`: one check and one load once the branch is loaded.
    @inlinable @inline(__always)
    public func field<T: ColumnValue>(_ slot: Int, as _: T.Type) -> T {
        // The chunk owns the memory behind `cells`: it must outlive the read (the handle has
        // no lexical lifetime, see the type's comment).
        withExtendedLifetime(chunk) { CollectionStore.read(cells, slot: slot, at: index, as: T.self) }
    }

    /// The first object index of event `event` in the store.
    @inlinable var eventStart: Int { withExtendedLifetime(chunk) { storeRef._withUnsafeGuaranteedRef { $0.offsets[event] } } }
}

/// Objects with NanoAOD's four-momentum fields `pt`, `eta`, `phi`, `mass`.
///
/// ```swift
/// let z = (mu1.p4 + mu2.p4).mass
/// if electron.deltaR(jet) < 0.4 { … }
/// ```
public protocol LorentzObject: NanoObject {
    /// Transverse momentum (GeV).
    var pt: Float { get }
    /// Pseudorapidity.
    var eta: Float { get }
    /// Azimuth.
    var phi: Float { get }
    /// Mass (GeV); may be negative (see ``p4``).
    var mass: Float { get }
}

extension LorentzObject {
    /// The four-momentum, as ROOT's `PtEtaPhiMVector` (a negative stored mass is a
    /// space-like m² = -m·m; sums are taken in Cartesian form).
    ///
    /// ```swift
    /// let m = (mu1.p4 + mu2.p4).mass
    /// ```
    @inlinable @inline(__always) public var p4: PtEtaPhiMVector { PtEtaPhiMVector(pt: pt, eta: eta, phi: phi, mass: mass) }

    /// ΔR in (η, φ) to another object, φ wrapped into [−π, π).
    ///
    /// ```swift
    /// let isolated = event.jets.allSatisfy { muon.deltaR($0) > 0.4 }
    /// ```
    @inlinable
    public func deltaR<Other: LorentzObject>(_ other: Other) -> Double {
        KaonPhysics.deltaR(eta1: Double(eta), phi1: Double(phi), eta2: Double(other.eta), phi2: Double(other.phi))
    }

    /// Δφ to another object, wrapped into [−π, π).
    @inlinable
    public func deltaPhi<Other: LorentzObject>(_ other: Other) -> Double {
        KaonPhysics.deltaPhi(Double(phi), Double(other.phi))
    }
}


/// Objects with NanoAOD's `pt`, `eta`, `phi` among their fields (their ``NanoObject/Field``
/// has those cases, anywhere in it): every built-in collection, ``TrigObj`` included. The
/// accessors are direct buffer loads, as if each type declared them itself.
///
/// ```swift
/// struct Track: KinematicObject {
///     static let defaultPrefix = "Track"
///     enum Field: Int, KinematicFields { case pt, eta, phi, dxy }
///     let handle: ObjectHandle
///     init(handle: ObjectHandle) { self.handle = handle }
///     var dxy: Float { field(.dxy, as: Float.self) }
/// }
/// ```
public protocol KinematicObject: NanoObject where Field: KinematicFields {}

extension KinematicObject {
    /// Transverse momentum (GeV). (`<Prefix>_pt`)
    @inlinable public var pt: Float { field(.pt, as: Float.self) }
    /// Pseudorapidity. (`<Prefix>_eta`)
    @inlinable public var eta: Float { field(.eta, as: Float.self) }
    /// Azimuth. (`<Prefix>_phi`)
    @inlinable public var phi: Float { field(.phi, as: Float.self) }
}

/// A ``KinematicObject`` with a `mass` field too: a ``LorentzObject`` with `pt`, `eta`, `phi`,
/// `mass` read from its fields (``Muon``, ``Electron``, ``Jet``, …).
public protocol PtEtaPhiMObject: KinematicObject, LorentzObject where Field: PtEtaPhiMFields {}

extension PtEtaPhiMObject {
    /// Mass (GeV); negative means space-like (see ``LorentzObject/p4``). (`<Prefix>_mass`)
    @inlinable public var mass: Float { field(.mass, as: Float.self) }
}

/// A reconstructed charged lepton (``Muon``, ``Electron``): besides `pt`, `eta`, `phi`, `mass`
/// its fields include `charge`, `pdgId`, `dxy`, `dz`, `pfRelIso03_all` (``ChargedLeptonFields``).
///
/// ```swift
/// func isIsolated<L: ChargedLepton>(_ lepton: L) -> Bool { lepton.pfRelIso03_all < 0.15 }
/// ```
public protocol ChargedLepton: PtEtaPhiMObject where Field: ChargedLeptonFields {}

extension ChargedLepton {
    /// Electric charge (±1). (`<Prefix>_charge`)
    @inlinable public var charge: Int32 { field(.charge, as: Int32.self) }
    /// PDG id (±11 electrons, ±13 muons). (`<Prefix>_pdgId`)
    @inlinable public var pdgId: Int32 { field(.pdgId, as: Int32.self) }
    /// Transverse impact parameter w.r.t. the primary vertex (cm). (`<Prefix>_dxy`)
    @inlinable public var dxy: Float { field(.dxy, as: Float.self) }
    /// Longitudinal impact parameter (cm). (`<Prefix>_dz`)
    @inlinable public var dz: Float { field(.dz, as: Float.self) }
    /// Relative PF isolation in ΔR < 0.3. (`<Prefix>_pfRelIso03_all`)
    @inlinable public var pfRelIso03_all: Float { field(.pfRelIso03_all, as: Float.self) }
}
