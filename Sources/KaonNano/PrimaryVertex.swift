/// The primary vertex (`PV_*`, one per event).
///
/// ```swift
/// guard event.pv.npvsGood > 0 else { return }
/// ```
public struct PrimaryVertex: NanoObject {
    /// Branch prefix.
    public static let defaultPrefix = "PV"
    /// One per event.
    @inlinable public static var kind: ObjectKind { .singleton }
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 10 }
    /// The typed fields, declared once: a case's name is its branch suffix (`PV_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, NanoField {
        case npvs, npvsGood, x, y, z, ndof, chi2
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Number of reconstructed primary vertices. (`PV_npvs`)
    @inlinable public var npvs: Int32 { field(.npvs, as: Int32.self) }
    /// Number of good primary vertices. (`PV_npvsGood`)
    @inlinable public var npvsGood: Int32 { field(.npvsGood, as: Int32.self) }
    /// x position (cm). (`PV_x`)
    @inlinable public var x: Float { field(.x, as: Float.self) }
    /// y position (cm). (`PV_y`)
    @inlinable public var y: Float { field(.y, as: Float.self) }
    /// z position (cm). (`PV_z`)
    @inlinable public var z: Float { field(.z, as: Float.self) }
    /// Degrees of freedom of the fit. (`PV_ndof`)
    @inlinable public var ndof: Float { field(.ndof, as: Float.self) }
    /// χ² of the fit. (`PV_chi2`)
    @inlinable public var chi2: Float { field(.chi2, as: Float.self) }
}
