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
    /// Typed fields, in slot order.
    public static let fieldNames = ["pt", "eta", "phi", "mass", "msoftdrop", "btagDeepB", "tau1", "tau2", "tau3", "jetId"]
    @usableFromInline enum Field: Int {
        case pt, eta, phi, mass, msoftdrop, btagDeepB, tau1, tau2, tau3, jetId
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Soft-drop mass (GeV). (`FatJet_msoftdrop`)
    @inlinable public var msoftdrop: Float { field(Field.msoftdrop.rawValue, as: Float.self) }
    /// DeepCSV b-tag discriminant. (`FatJet_btagDeepB`)
    @inlinable public var btagDeepB: Float { field(Field.btagDeepB.rawValue, as: Float.self) }
    /// N-subjettiness τ1. (`FatJet_tau1`)
    @inlinable public var tau1: Float { field(Field.tau1.rawValue, as: Float.self) }
    /// N-subjettiness τ2. (`FatJet_tau2`)
    @inlinable public var tau2: Float { field(Field.tau2.rawValue, as: Float.self) }
    /// N-subjettiness τ3. (`FatJet_tau3`)
    @inlinable public var tau3: Float { field(Field.tau3.rawValue, as: Float.self) }
    /// Jet id bits. (`FatJet_jetId`)
    @inlinable public var jetId: Int32 { field(Field.jetId.rawValue, as: Int32.self) }
}
