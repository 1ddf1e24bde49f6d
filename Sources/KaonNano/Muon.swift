/// A reconstructed muon (`Muon_*`).
///
/// ```swift
/// for muon in event.muons where muon.pt > 30 && muon.tightId && muon.pfRelIso04_all < 0.15 {
///     if let gen = muon.genParticle { print(gen.pdgId) }
/// }
/// ```
public struct Muon: ChargedLepton {
    /// Branch prefix.
    public static let defaultPrefix = "Muon"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 0 }
    /// Typed fields, in slot order.
    public static let fieldNames = ["pt", "eta", "phi", "mass", "charge", "pdgId", "dxy", "dz", "pfRelIso03_all", "pfRelIso04_all", "looseId", "mediumId", "tightId", "softId", "isGlobal", "isTracker", "jetIdx", "genPartIdx"]
    @usableFromInline enum Field: Int {
        case pt, eta, phi, mass, charge, pdgId, dxy, dz, pfRelIso03_all, pfRelIso04_all, looseId, mediumId, tightId, softId, isGlobal, isTracker, jetIdx, genPartIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Relative PF isolation in ΔR < 0.4. (`Muon_pfRelIso04_all`)
    @inlinable public var pfRelIso04_all: Float { field(Field.pfRelIso04_all.rawValue, as: Float.self) }
    /// Loose muon id. (`Muon_looseId`)
    @inlinable public var looseId: Bool { field(Field.looseId.rawValue, as: Bool.self) }
    /// Medium muon id. (`Muon_mediumId`)
    @inlinable public var mediumId: Bool { field(Field.mediumId.rawValue, as: Bool.self) }
    /// Tight muon id. (`Muon_tightId`)
    @inlinable public var tightId: Bool { field(Field.tightId.rawValue, as: Bool.self) }
    /// Soft muon id. (`Muon_softId`)
    @inlinable public var softId: Bool { field(Field.softId.rawValue, as: Bool.self) }
    /// Global muon. (`Muon_isGlobal`)
    @inlinable public var isGlobal: Bool { field(Field.isGlobal.rawValue, as: Bool.self) }
    /// Tracker muon. (`Muon_isTracker`)
    @inlinable public var isTracker: Bool { field(Field.isTracker.rawValue, as: Bool.self) }
    /// Index of the matched jet in `Jet`, -1 if none. (`Muon_jetIdx`)
    @inlinable public var jetIdx: Int32 { field(Field.jetIdx.rawValue, as: Int32.self) }
    /// Index of the matched generator particle in `GenPart`, -1 if none. (`Muon_genPartIdx`)
    @inlinable public var genPartIdx: Int32 { field(Field.genPartIdx.rawValue, as: Int32.self) }
    /// The jet this muon is associated with (`Muon_jetIdx`), nil if none.
    @inlinable public var matchedJet: Jet? { reference(Field.jetIdx.rawValue, to: Jet.self) }
    /// The matched generator particle (`Muon_genPartIdx`), nil if none.
    @inlinable public var genParticle: GenParticle? { reference(Field.genPartIdx.rawValue, to: GenParticle.self) }
}
