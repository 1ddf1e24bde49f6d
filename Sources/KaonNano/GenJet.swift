/// A generator-level jet (`GenJet_*`).
///
/// ```swift
/// for genJet in event.genJets where genJet.hadronFlavour == 5 { … }
/// ```
public struct GenJet: LorentzObject {
    /// Branch prefix.
    public static let defaultPrefix = "GenJet"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 7 }
    /// Typed fields, in slot order.
    public static let fieldNames = ["pt", "eta", "phi", "mass", "partonFlavour", "hadronFlavour"]
    @usableFromInline enum Field: Int {
        case pt, eta, phi, mass, partonFlavour, hadronFlavour
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Transverse momentum (GeV). (`GenJet_pt`)
    @inlinable public var pt: Float { field(Field.pt.rawValue, as: Float.self) }
    /// Pseudorapidity. (`GenJet_eta`)
    @inlinable public var eta: Float { field(Field.eta.rawValue, as: Float.self) }
    /// Azimuth. (`GenJet_phi`)
    @inlinable public var phi: Float { field(Field.phi.rawValue, as: Float.self) }
    /// Mass (GeV); negative means space-like (see `p4`). (`GenJet_mass`)
    @inlinable public var mass: Float { field(Field.mass.rawValue, as: Float.self) }
    /// Parton flavour. (`GenJet_partonFlavour`)
    @inlinable public var partonFlavour: Int32 { field(Field.partonFlavour.rawValue, as: Int32.self) }
    /// Hadron flavour (5 b, 4 c, 0 light). (`GenJet_hadronFlavour`)
    @inlinable public var hadronFlavour: Int32 { field(Field.hadronFlavour.rawValue, as: Int32.self) }
}
