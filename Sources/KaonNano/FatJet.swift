/// An AK8 jet (`FatJet_*`).
///
/// ```swift
/// for fat in event.fatJets where fat.pt > 200 && fat.tau2 / fat.tau1 < 0.5 { … }
/// ```
public struct FatJet: PtEtaPhiMObject {
    /// Branch prefix.
    public static let defaultPrefix = "FatJet"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 5 }
    /// The typed fields, declared once: a case's name is its branch suffix (`FatJet_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, PtEtaPhiMFields {
        case pt, eta, phi, mass, msoftdrop, btagDeepB, tau1, tau2, tau3, jetId
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Soft-drop mass (GeV). (`FatJet_msoftdrop`)
    @inlinable public var msoftdrop: Float { field(.msoftdrop, as: Float.self) }
    /// DeepCSV b-tag discriminant. (`FatJet_btagDeepB`)
    @inlinable public var btagDeepB: Float { field(.btagDeepB, as: Float.self) }
    /// N-subjettiness τ1. (`FatJet_tau1`)
    @inlinable public var tau1: Float { field(.tau1, as: Float.self) }
    /// N-subjettiness τ2. (`FatJet_tau2`)
    @inlinable public var tau2: Float { field(.tau2, as: Float.self) }
    /// N-subjettiness τ3. (`FatJet_tau3`)
    @inlinable public var tau3: Float { field(.tau3, as: Float.self) }
    /// Jet id bits. (`FatJet_jetId`)
    @inlinable public var jetId: Int32 { field(.jetId, as: Int32.self) }
}
