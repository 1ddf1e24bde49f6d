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
    /// The typed fields, declared once: a case's name is its branch suffix (`Jet_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, PtEtaPhiMFields {
        case pt, eta, phi, mass, btag, btagDeepFlavB, jetId, puId, area, hadronFlavour, partonFlavour, muonIdx1, muonIdx2, electronIdx1, electronIdx2, genJetIdx
        /// `Jet_btagDeepB`, or `Jet_btag` in files that have that instead (the 2012 ADL open data).
        public var branchSuffixes: [String] { self == .btag ? ["btagDeepB", "btag"] : [name] }
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// The b-tag discriminant: `Jet_btagDeepB`, or `Jet_btag` in files that have that instead (the 2012 ADL open data). (`Jet_btagDeepB`)
    @inlinable public var btag: Float { field(.btag, as: Float.self) }
    /// DeepJet b-tag discriminant. (`Jet_btagDeepFlavB`)
    @inlinable public var btagDeepFlavB: Float { field(.btagDeepFlavB, as: Float.self) }
    /// Jet id bits (bit 1 tight, bit 2 tight lepton veto). (`Jet_jetId`)
    @inlinable public var jetId: Int32 { field(.jetId, as: Int32.self) }
    /// Pile-up id (bits, or 0/1 in files where it is a bool). (`Jet_puId`)
    @inlinable public var puId: Int32 { field(.puId, as: Int32.self) }
    /// Jet catchment area. (`Jet_area`)
    @inlinable public var area: Float { field(.area, as: Float.self) }
    /// Hadron flavour of the matched generator jet (5 b, 4 c, 0 light). (`Jet_hadronFlavour`)
    @inlinable public var hadronFlavour: Int32 { field(.hadronFlavour, as: Int32.self) }
    /// Parton flavour. (`Jet_partonFlavour`)
    @inlinable public var partonFlavour: Int32 { field(.partonFlavour, as: Int32.self) }
    /// Index of the first muon in the jet, -1 if none. (`Jet_muonIdx1`)
    @inlinable public var muonIdx1: Int32 { field(.muonIdx1, as: Int32.self) }
    /// Index of the second muon, -1 if none. (`Jet_muonIdx2`)
    @inlinable public var muonIdx2: Int32 { field(.muonIdx2, as: Int32.self) }
    /// Index of the first electron in the jet, -1 if none. (`Jet_electronIdx1`)
    @inlinable public var electronIdx1: Int32 { field(.electronIdx1, as: Int32.self) }
    /// Index of the second electron, -1 if none. (`Jet_electronIdx2`)
    @inlinable public var electronIdx2: Int32 { field(.electronIdx2, as: Int32.self) }
    /// Index of the matched generator jet, -1 if none. (`Jet_genJetIdx`)
    @inlinable public var genJetIdx: Int32 { field(.genJetIdx, as: Int32.self) }
    /// The first muon clustered in the jet (`Jet_muonIdx1`), nil if none.
    @inlinable public var muon1: Muon? { reference(.muonIdx1, to: Muon.self) }
    /// The second muon (`Jet_muonIdx2`), nil if none.
    @inlinable public var muon2: Muon? { reference(.muonIdx2, to: Muon.self) }
    /// The first electron (`Jet_electronIdx1`), nil if none.
    @inlinable public var electron1: Electron? { reference(.electronIdx1, to: Electron.self) }
    /// The second electron (`Jet_electronIdx2`), nil if none.
    @inlinable public var electron2: Electron? { reference(.electronIdx2, to: Electron.self) }
    /// The matched generator jet (`Jet_genJetIdx`), nil if none.
    @inlinable public var genJet: GenJet? { reference(.genJetIdx, to: GenJet.self) }
}
