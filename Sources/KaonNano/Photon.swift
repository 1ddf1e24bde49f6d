/// A reconstructed photon (`Photon_*`).
///
/// ```swift
/// for photon in event.photons where photon.pt > 20 && photon.electronVeto { … }
/// ```
public struct Photon: PtEtaPhiMObject {
    /// Branch prefix.
    public static let defaultPrefix = "Photon"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 2 }
    /// The typed fields, declared once: a case's name is its branch suffix (`Photon_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, PtEtaPhiMFields {
        case pt, eta, phi, mass, pfRelIso03_all, cutBased, electronVeto, jetIdx, electronIdx, genPartIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Relative PF isolation in ΔR < 0.3. (`Photon_pfRelIso03_all`)
    @inlinable public var pfRelIso03_all: Float { field(.pfRelIso03_all, as: Float.self) }
    /// Cut-based id level. (`Photon_cutBased`)
    @inlinable public var cutBased: Int32 { field(.cutBased, as: Int32.self) }
    /// Passes the conversion-safe electron veto. (`Photon_electronVeto`)
    @inlinable public var electronVeto: Bool { field(.electronVeto, as: Bool.self) }
    /// Index of the matched jet, -1 if none. (`Photon_jetIdx`)
    @inlinable public var jetIdx: Int32 { field(.jetIdx, as: Int32.self) }
    /// Index of the matched electron, -1 if none. (`Photon_electronIdx`)
    @inlinable public var electronIdx: Int32 { field(.electronIdx, as: Int32.self) }
    /// Index of the matched generator particle, -1 if none. (`Photon_genPartIdx`)
    @inlinable public var genPartIdx: Int32 { field(.genPartIdx, as: Int32.self) }
    /// The associated jet (`Photon_jetIdx`), nil if none.
    @inlinable public var matchedJet: Jet? { reference(.jetIdx, to: Jet.self) }
    /// The associated electron (`Photon_electronIdx`), nil if none.
    @inlinable public var matchedElectron: Electron? { reference(.electronIdx, to: Electron.self) }
    /// The matched generator particle (`Photon_genPartIdx`), nil if none.
    @inlinable public var genParticle: GenParticle? { reference(.genPartIdx, to: GenParticle.self) }
}
