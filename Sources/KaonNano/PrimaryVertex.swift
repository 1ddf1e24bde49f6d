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
    /// Typed fields, in slot order.
    public static let fieldNames = ["npvs", "npvsGood", "x", "y", "z", "ndof", "chi2"]
    @usableFromInline enum Field: Int {
        case npvs, npvsGood, x, y, z, ndof, chi2
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// Number of reconstructed primary vertices. (`PV_npvs`)
    @inlinable public var npvs: Int32 { field(Field.npvs.rawValue, as: Int32.self) }
    /// Number of good primary vertices. (`PV_npvsGood`)
    @inlinable public var npvsGood: Int32 { field(Field.npvsGood.rawValue, as: Int32.self) }
    /// x position (cm). (`PV_x`)
    @inlinable public var x: Float { field(Field.x.rawValue, as: Float.self) }
    /// y position (cm). (`PV_y`)
    @inlinable public var y: Float { field(Field.y.rawValue, as: Float.self) }
    /// z position (cm). (`PV_z`)
    @inlinable public var z: Float { field(Field.z.rawValue, as: Float.self) }
    /// Degrees of freedom of the fit. (`PV_ndof`)
    @inlinable public var ndof: Float { field(Field.ndof.rawValue, as: Float.self) }
    /// χ² of the fit. (`PV_chi2`)
    @inlinable public var chi2: Float { field(Field.chi2.rawValue, as: Float.self) }
}
