/// An AK4 jet (`Jet_*`).
///
/// ```swift
/// let bJets = event.jets.filter { $0.pt > 30 && abs($0.eta) < 2.4 && $0.btag > 0.5 }
/// if let mu = event.jets.first?.muon1 { print(mu.pt) }
/// ```
public struct Jet: PtEtaPhiMObject {
    /// Branch prefix.
    public static let defaultPrefix = "Jet"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 4 }
    /// Typed fields, in slot order.
    public static let fieldNames = ["pt", "eta", "phi", "mass", "btagDeepB|btag", "btagDeepFlavB", "jetId", "puId", "area", "hadronFlavour", "partonFlavour", "muonIdx1", "muonIdx2", "electronIdx1", "electronIdx2", "genJetIdx"]
    @usableFromInline enum Field: Int {
        case pt, eta, phi, mass, btag, btagDeepFlavB, jetId, puId, area, hadronFlavour, partonFlavour, muonIdx1, muonIdx2, electronIdx1, electronIdx2, genJetIdx
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// The b-tag discriminant: `Jet_btagDeepB`, or `Jet_btag` in files that have that instead (the 2012 ADL open data). (`Jet_btagDeepB`)
    @inlinable public var btag: Float { field(Field.btag.rawValue, as: Float.self) }
    /// DeepJet b-tag discriminant. (`Jet_btagDeepFlavB`)
    @inlinable public var btagDeepFlavB: Float { field(Field.btagDeepFlavB.rawValue, as: Float.self) }
    /// Jet id bits (bit 1 tight, bit 2 tight lepton veto). (`Jet_jetId`)
    @inlinable public var jetId: Int32 { field(Field.jetId.rawValue, as: Int32.self) }
    /// Pile-up id (bits, or 0/1 in files where it is a bool). (`Jet_puId`)
    @inlinable public var puId: Int32 { field(Field.puId.rawValue, as: Int32.self) }
    /// Jet catchment area. (`Jet_area`)
    @inlinable public var area: Float { field(Field.area.rawValue, as: Float.self) }
    /// Hadron flavour of the matched generator jet (5 b, 4 c, 0 light). (`Jet_hadronFlavour`)
    @inlinable public var hadronFlavour: Int32 { field(Field.hadronFlavour.rawValue, as: Int32.self) }
    /// Parton flavour. (`Jet_partonFlavour`)
    @inlinable public var partonFlavour: Int32 { field(Field.partonFlavour.rawValue, as: Int32.self) }
    /// Index of the first muon in the jet, -1 if none. (`Jet_muonIdx1`)
    @inlinable public var muonIdx1: Int32 { field(Field.muonIdx1.rawValue, as: Int32.self) }
    /// Index of the second muon, -1 if none. (`Jet_muonIdx2`)
    @inlinable public var muonIdx2: Int32 { field(Field.muonIdx2.rawValue, as: Int32.self) }
    /// Index of the first electron in the jet, -1 if none. (`Jet_electronIdx1`)
    @inlinable public var electronIdx1: Int32 { field(Field.electronIdx1.rawValue, as: Int32.self) }
    /// Index of the second electron, -1 if none. (`Jet_electronIdx2`)
    @inlinable public var electronIdx2: Int32 { field(Field.electronIdx2.rawValue, as: Int32.self) }
    /// Index of the matched generator jet, -1 if none. (`Jet_genJetIdx`)
    @inlinable public var genJetIdx: Int32 { field(Field.genJetIdx.rawValue, as: Int32.self) }
    /// The first muon clustered in the jet (`Jet_muonIdx1`), nil if none.
    @inlinable public var muon1: Muon? { reference(Field.muonIdx1.rawValue, to: Muon.self) }
    /// The second muon (`Jet_muonIdx2`), nil if none.
    @inlinable public var muon2: Muon? { reference(Field.muonIdx2.rawValue, to: Muon.self) }
    /// The first electron (`Jet_electronIdx1`), nil if none.
    @inlinable public var electron1: Electron? { reference(Field.electronIdx1.rawValue, to: Electron.self) }
    /// The second electron (`Jet_electronIdx2`), nil if none.
    @inlinable public var electron2: Electron? { reference(Field.electronIdx2.rawValue, to: Electron.self) }
    /// The matched generator jet (`Jet_genJetIdx`), nil if none.
    @inlinable public var genJet: GenJet? { reference(Field.genJetIdx.rawValue, to: GenJet.self) }
}
