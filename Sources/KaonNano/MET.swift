/// Missing transverse momentum (`MET_*`, one per event). Other flavours: `event.single(MET.self, prefix: "PuppiMET")`.
///
/// ```swift
/// if event.met.pt > 50 { … }
/// ```
public struct MET: NanoObject {
    /// Branch prefix.
    public static let defaultPrefix = "MET"
    /// One per event.
    @inlinable public static var kind: ObjectKind { .singleton }
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 9 }
    /// The typed fields, declared once: a case's name is its branch suffix (`MET_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, NanoField {
        case pt, phi, sumEt, significance
        /// `MET_sumEt`, or `MET_sumet` in the 2012 open data.
        public var branchSuffixes: [String] { self == .sumEt ? ["sumEt", "sumet"] : [name] }
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Magnitude (GeV). (`MET_pt`)
    @inlinable public var pt: Float { field(.pt, as: Float.self) }
    /// Azimuth. (`MET_phi`)
    @inlinable public var phi: Float { field(.phi, as: Float.self) }
    /// Scalar sum of transverse energy (`MET_sumEt`, or `MET_sumet` in the 2012 open data). (`MET_sumEt`)
    @inlinable public var sumEt: Float { field(.sumEt, as: Float.self) }
    /// MET significance. (`MET_significance`)
    @inlinable public var significance: Float { field(.significance, as: Float.self) }
}
