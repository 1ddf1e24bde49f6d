/// The typed fields of a ``NanoObject``, declared once as an `enum` whose cases are the
/// fields: a case's raw value is its slot in the collection's store (so declare them in
/// order and let Swift number them), its name the branch suffix (`pt` → `Muon_pt`).
///
/// A field stored under another name in some files lists its candidates in
/// ``branchSuffixes``: the first branch the file has is read.
///
/// ```swift
/// enum Field: Int, NanoField {
///     case pt, eta, phi, btag
///     var branchSuffixes: [String] { self == .btag ? ["btagDeepB", "btag"] : [name] }
/// }
/// ```
public protocol NanoField: CaseIterable, RawRepresentable, Sendable where RawValue == Int {
    /// Branch suffixes to try in order (`["sumEt", "sumet"]`: `MET_sumEt`, or `MET_sumet` if
    /// the file has no `MET_sumEt`); default: the case's name alone.
    var branchSuffixes: [String] { get }
}

extension NanoField {
    /// The case's name, as written in the declaration.
    public var name: String { String(describing: self) }

    /// The case's name alone.
    public var branchSuffixes: [String] { [name] }

    /// Every field's candidate suffixes, by slot; traps, naming the type, unless the raw
    /// values are the slots 0, 1, 2, … in declaration order (what an `Int` enum without
    /// explicit raw values is).
    static var suffixesBySlot: [[String]] {
        let fields = Array(allCases)
        for (slot, field) in fields.enumerated() {
            precondition(field.rawValue == slot,
                         "\(Self.self).\(field.name) has raw value \(field.rawValue), not its slot \(slot): leave the raw values to Swift (0, 1, 2, … in declaration order)")
            precondition(!field.branchSuffixes.isEmpty, "\(Self.self).\(field.name) has no branch suffix")
        }
        return fields.map(\.branchSuffixes)
    }
}

/// The fields of an object read by name only (``GenericObject``, and the default
/// ``NanoObject/Field``): none.
public enum NoFields: NanoField {
    public init?(rawValue: Int) { nil }
    public var rawValue: Int { switch self {} }
}

/// Fields with NanoAOD's `pt`, `eta`, `phi` (the fields of a ``KinematicObject``).
public protocol KinematicFields: NanoField {
    static var pt: Self { get }
    static var eta: Self { get }
    static var phi: Self { get }
}

/// Kinematic fields plus `mass` (the fields of a ``PtEtaPhiMObject``).
public protocol PtEtaPhiMFields: KinematicFields {
    static var mass: Self { get }
}

/// Four-momentum fields plus `charge`, `pdgId`, `dxy`, `dz`, `pfRelIso03_all` (the fields of a
/// ``ChargedLepton``).
public protocol ChargedLeptonFields: PtEtaPhiMFields {
    static var charge: Self { get }
    static var pdgId: Self { get }
    static var dxy: Self { get }
    static var dz: Self { get }
    static var pfRelIso03_all: Self { get }
}
