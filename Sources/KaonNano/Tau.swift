/// A hadronically decaying tau candidate (`Tau_*`).
///
/// ```swift
/// for tau in event.taus where tau.pt > 20 && tau.idDecayMode { … }
/// ```
public struct Tau: PtEtaPhiMObject {
    /// Branch prefix.
    public static let defaultPrefix = "Tau"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 3 }
    /// Typed fields, in slot order.
    public static let fieldNames = ["pt", "eta", "phi", "mass", "charge", "decayMode", "idDecayMode", "dz", "jetIdx", "genPartIdx"]
    @usableFromInline enum Field: Int {
        case pt, eta, phi, mass, charge, decayMode, idDecayMode, dz, jetIdx, genPartIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Electric charge. (`Tau_charge`)
    @inlinable public var charge: Int32 { field(Field.charge.rawValue, as: Int32.self) }
    /// Reconstructed decay mode. (`Tau_decayMode`)
    @inlinable public var decayMode: Int32 { field(Field.decayMode.rawValue, as: Int32.self) }
    /// Passes the old decay-mode finding. (`Tau_idDecayMode`)
    @inlinable public var idDecayMode: Bool { field(Field.idDecayMode.rawValue, as: Bool.self) }
    /// Longitudinal impact parameter (cm). (`Tau_dz`)
    @inlinable public var dz: Float { field(Field.dz.rawValue, as: Float.self) }
    /// Index of the seeding jet, -1 if none. (`Tau_jetIdx`)
    @inlinable public var jetIdx: Int32 { field(Field.jetIdx.rawValue, as: Int32.self) }
    /// Index of the matched generator particle, -1 if none. (`Tau_genPartIdx`)
    @inlinable public var genPartIdx: Int32 { field(Field.genPartIdx.rawValue, as: Int32.self) }
    /// The seeding jet (`Tau_jetIdx`), nil if none.
    @inlinable public var matchedJet: Jet? { reference(Field.jetIdx.rawValue, to: Jet.self) }
    /// The matched generator particle (`Tau_genPartIdx`), nil if none.
    @inlinable public var genParticle: GenParticle? { reference(Field.genPartIdx.rawValue, to: GenParticle.self) }
}
