/// A trigger object (`TrigObj_*`); no mass.
///
/// ```swift
/// let muonLegs = event.trigObjs.filter { $0.id == 13 && $0.filterBits & 2 != 0 }
/// ```
public struct TrigObj: KinematicObject {
    /// Branch prefix.
    public static let defaultPrefix = "TrigObj"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 8 }
    /// The typed fields, declared once: a case's name is its branch suffix (`TrigObj_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, KinematicFields {
        case pt, eta, phi, id, filterBits
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Object type (PDG-like: 11 e/γ, 13 muon, 1 jet, …). (`TrigObj_id`)
    @inlinable public var id: Int32 { field(.id, as: Int32.self) }
    /// Filter bits of the object's type. (`TrigObj_filterBits`)
    @inlinable public var filterBits: Int32 { field(.filterBits, as: Int32.self) }
}
