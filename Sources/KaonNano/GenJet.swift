/// A generator-level jet (`GenJet_*`).
///
/// ```swift
/// for genJet in event.genJets where genJet.hadronFlavour == 5 { … }
/// ```
public struct GenJet: PtEtaPhiMObject {
    /// Branch prefix.
    public static let defaultPrefix = "GenJet"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 7 }
    /// The typed fields, declared once: a case's name is its branch suffix (`GenJet_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, PtEtaPhiMFields {
        case pt, eta, phi, mass, partonFlavour, hadronFlavour
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Parton flavour. (`GenJet_partonFlavour`)
    @inlinable public var partonFlavour: Int32 { field(.partonFlavour, as: Int32.self) }
    /// Hadron flavour (5 b, 4 c, 0 light). (`GenJet_hadronFlavour`)
    @inlinable public var hadronFlavour: Int32 { field(.hadronFlavour, as: Int32.self) }
}
