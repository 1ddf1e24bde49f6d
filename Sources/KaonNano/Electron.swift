/// A reconstructed electron (`Electron_*`). `Electron_mass` can be negative: `p4` treats it as ROOT does.
///
/// ```swift
/// for electron in event.electrons where electron.pt > 25 {
///     if let jet = electron.matchedJet, jet.btag > 0.5 { … }
/// }
/// ```
public struct Electron: ChargedLepton {
    /// Branch prefix.
    public static let defaultPrefix = "Electron"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 1 }
    /// The typed fields, declared once: a case's name is its branch suffix (`Electron_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, ChargedLeptonFields {
        case pt, eta, phi, mass, charge, pdgId, dxy, dz, pfRelIso03_all, cutBased, mvaFall17V2Iso_WP90, deltaEtaSC, jetIdx, photonIdx, genPartIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Cut-based id level (0 fail, 1 veto, 2 loose, 3 medium, 4 tight). (`Electron_cutBased`)
    @inlinable public var cutBased: Int32 { field(.cutBased, as: Int32.self) }
    /// MVA id with isolation, 90% working point. (`Electron_mvaFall17V2Iso_WP90`)
    @inlinable public var mvaFall17V2Iso_WP90: Bool { field(.mvaFall17V2Iso_WP90, as: Bool.self) }
    /// η of the supercluster minus η of the electron. (`Electron_deltaEtaSC`)
    @inlinable public var deltaEtaSC: Float { field(.deltaEtaSC, as: Float.self) }
    /// Index of the matched jet in `Jet`, -1 if none. (`Electron_jetIdx`)
    @inlinable public var jetIdx: Int32 { field(.jetIdx, as: Int32.self) }
    /// Index of the matched photon, -1 if none. (`Electron_photonIdx`)
    @inlinable public var photonIdx: Int32 { field(.photonIdx, as: Int32.self) }
    /// Index of the matched generator particle, -1 if none. (`Electron_genPartIdx`)
    @inlinable public var genPartIdx: Int32 { field(.genPartIdx, as: Int32.self) }
    /// The jet this electron is associated with (`Electron_jetIdx`), nil if none.
    @inlinable public var matchedJet: Jet? { reference(.jetIdx, to: Jet.self) }
    /// The associated photon (`Electron_photonIdx`), nil if none.
    @inlinable public var matchedPhoton: Photon? { reference(.photonIdx, to: Photon.self) }
    /// The matched generator particle (`Electron_genPartIdx`), nil if none.
    @inlinable public var genParticle: GenParticle? { reference(.genPartIdx, to: GenParticle.self) }
}
