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
    /// The typed fields, declared once: a case's name is its branch suffix (`Tau_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, PtEtaPhiMFields {
        case pt, eta, phi, mass, charge, decayMode, idDecayMode, dz, jetIdx, genPartIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Electric charge. (`Tau_charge`)
    @inlinable public var charge: Int32 { field(.charge, as: Int32.self) }
    /// Reconstructed decay mode. (`Tau_decayMode`)
    @inlinable public var decayMode: Int32 { field(.decayMode, as: Int32.self) }
    /// Passes the old decay-mode finding. (`Tau_idDecayMode`)
    @inlinable public var idDecayMode: Bool { field(.idDecayMode, as: Bool.self) }
    /// Longitudinal impact parameter (cm). (`Tau_dz`)
    @inlinable public var dz: Float { field(.dz, as: Float.self) }
    /// Index of the seeding jet, -1 if none. (`Tau_jetIdx`)
    @inlinable public var jetIdx: Int32 { field(.jetIdx, as: Int32.self) }
    /// Index of the matched generator particle, -1 if none. (`Tau_genPartIdx`)
    @inlinable public var genPartIdx: Int32 { field(.genPartIdx, as: Int32.self) }
    /// The seeding jet (`Tau_jetIdx`), nil if none.
    @inlinable public var matchedJet: Jet? { reference(.jetIdx, to: Jet.self) }
    /// The matched generator particle (`Tau_genPartIdx`), nil if none.
    @inlinable public var genParticle: GenParticle? { reference(.genPartIdx, to: GenParticle.self) }
}
