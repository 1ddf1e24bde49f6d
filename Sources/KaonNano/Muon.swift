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
    /// The typed fields, declared once: a case's name is its branch suffix (`Muon_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, ChargedLeptonFields {
        case pt, eta, phi, mass, charge, pdgId, dxy, dz, pfRelIso03_all, pfRelIso04_all, looseId, mediumId, tightId, softId, isGlobal, isTracker, jetIdx, genPartIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Relative PF isolation in ΔR < 0.4. (`Muon_pfRelIso04_all`)
    @inlinable public var pfRelIso04_all: Float { field(.pfRelIso04_all, as: Float.self) }
    /// Loose muon id. (`Muon_looseId`)
    @inlinable public var looseId: Bool { field(.looseId, as: Bool.self) }
    /// Medium muon id. (`Muon_mediumId`)
    @inlinable public var mediumId: Bool { field(.mediumId, as: Bool.self) }
    /// Tight muon id. (`Muon_tightId`)
    @inlinable public var tightId: Bool { field(.tightId, as: Bool.self) }
    /// Soft muon id. (`Muon_softId`)
    @inlinable public var softId: Bool { field(.softId, as: Bool.self) }
    /// Global muon. (`Muon_isGlobal`)
    @inlinable public var isGlobal: Bool { field(.isGlobal, as: Bool.self) }
    /// Tracker muon. (`Muon_isTracker`)
    @inlinable public var isTracker: Bool { field(.isTracker, as: Bool.self) }
    /// Index of the matched jet in `Jet`, -1 if none. (`Muon_jetIdx`)
    @inlinable public var jetIdx: Int32 { field(.jetIdx, as: Int32.self) }
    /// Index of the matched generator particle in `GenPart`, -1 if none. (`Muon_genPartIdx`)
    @inlinable public var genPartIdx: Int32 { field(.genPartIdx, as: Int32.self) }
    /// The jet this muon is associated with (`Muon_jetIdx`), nil if none.
    @inlinable public var matchedJet: Jet? { reference(.jetIdx, to: Jet.self) }
    /// The matched generator particle (`Muon_genPartIdx`), nil if none.
    @inlinable public var genParticle: GenParticle? { reference(.genPartIdx, to: GenParticle.self) }
}
