import KaonColumns
import KaonIO
import KaonROOT

/// A Swift type branch values can be read as: the fixed-width numbers and `Bool`.
///
/// When the branch's stored type is the requested one the bytes are taken as they are (one
/// bulk copy). Otherwise values are converted *only when every value is represented
/// exactly* (any integer width or signedness into another that holds it, booleans as 0/1,
/// integers into floating point, float32 ↔ float64); floating point never silently becomes
/// an integer. The point: NanoAOD files of different years store the same quantity with
/// different types (`run` is int32 in the 2012 open data, uint32 in later files), and a
/// typed property must work on both.
///
/// ```swift
/// let dxy = muon.value("dxy", as: Float.self)
/// let nHits = muon.value("nTrackerLayers", as: Int.self)   // int32 branch, read as Int
/// ```
public protocol ColumnValue: PrimitiveValue {
    /// The value equal to integer `value`, or nil if this type cannot hold it exactly.
    static func exactly(integer value: Int64) -> Self?
    /// The value for floating-point `value`, or nil if this type is not floating point.
    static func exactly(floatingPoint value: Double) -> Self?
    /// The value of a branch that failed to read, for the rest of its chunk: properties
    /// cannot throw (see ``ChunkView``), so they must return something, and it must not
    /// pass for data. NaN for floating point; for integers the extreme a physics branch
    /// does not hold (the minimum if signed, the maximum if unsigned); `true` for `Bool`,
    /// which has no value to spare (the loop driver throws right after the event).
    static var unreadable: Self { get }
}

extension ColumnValue where Self: BinaryInteger {
    /// Integers hold another integer when it fits.
    @inlinable public static func exactly(integer value: Int64) -> Self? { Self(exactly: value) }
    /// Floating point never silently becomes an integer.
    @inlinable public static func exactly(floatingPoint value: Double) -> Self? { nil }
}

extension ColumnValue where Self: FixedWidthInteger {
    /// The extreme no physics branch holds: `min` if signed (so an index never looks valid),
    /// `max` if unsigned.
    @inlinable public static var unreadable: Self { Self.isSigned ? Self.min : Self.max }
}

extension ColumnValue where Self: BinaryFloatingPoint {
    /// Integers become floating point (exactly for the counts and ids branches hold).
    @inlinable public static func exactly(integer value: Int64) -> Self? { Self(value) }
    /// float32 ↔ float64 (narrowing rounds, as ROOT's own casts do).
    @inlinable public static func exactly(floatingPoint value: Double) -> Self? { Self(value) }
    /// NaN: every sum, mass or cut it reaches shows it.
    @inlinable public static var unreadable: Self { .nan }
}

// The stored type each one holds (`primitiveType`) is its ``KaonROOT/PrimitiveValue`` conformance.
/// `Float` reads ROOT `float32` values as they are, other types exactly (see ``ColumnValue``).
extension Float: ColumnValue {}
/// `Double` reads ROOT `float64` values as they are, other types exactly (see ``ColumnValue``).
extension Double: ColumnValue {}
/// `Int8` reads ROOT `int8` values as they are, other types exactly (see ``ColumnValue``).
extension Int8: ColumnValue {}
/// `Int16` reads ROOT `int16` values as they are, other types exactly (see ``ColumnValue``).
extension Int16: ColumnValue {}
/// `Int32` reads ROOT `int32` values as they are, other types exactly (see ``ColumnValue``).
extension Int32: ColumnValue {}
/// `Int64` reads ROOT `int64` values as they are, other types exactly (see ``ColumnValue``).
extension Int64: ColumnValue {}
/// `UInt8` reads ROOT `uint8` values as they are, other types exactly (see ``ColumnValue``).
extension UInt8: ColumnValue {}
/// `UInt16` reads ROOT `uint16` values as they are, other types exactly (see ``ColumnValue``).
extension UInt16: ColumnValue {}
/// `UInt32` reads ROOT `uint32` values as they are, other types exactly (see ``ColumnValue``).
extension UInt32: ColumnValue {}
/// `UInt64` reads ROOT `uint64` values as they are, other types exactly (see ``ColumnValue``).
extension UInt64: ColumnValue {}
/// `Int` reads ROOT `int64` values as they are, other types exactly (see ``ColumnValue``).
extension Int: ColumnValue {}

extension Bool: ColumnValue {
    /// 0 and 1 only: a wider integer (an id bitmap) is not silently a flag.
    public static func exactly(integer value: Int64) -> Bool? { value == 0 ? false : value == 1 ? true : nil }
    /// Floating point is never a flag.
    public static func exactly(floatingPoint value: Double) -> Bool? { nil }
    /// `true`: a flag has no value to spare, and a failed trigger or id must not quietly
    /// reject every event (the loop driver throws right after the event anyway).
    public static var unreadable: Bool { true }
}

/// The values of a primitive column as `T`, converting exactly (see ``ColumnValue``); nil
/// when some value cannot be represented.
func decodeValues<T: ColumnValue>(_ type: PrimitiveType, _ bytes: [UInt8], as _: T.Type) -> [T]? {
    // Bool is always checked byte by byte: a stored byte other than 0/1 is not a valid Bool.
    if type == T.primitiveType && T.self != Bool.self { return decodeNative(bytes, as: T.self) }
    switch type {
    case .bool, .uint8: return convertIntegers(decodeNative(bytes, as: UInt8.self), T.self)
    case .int8: return convertIntegers(decodeNative(bytes, as: Int8.self), T.self)
    case .int16: return convertIntegers(decodeNative(bytes, as: Int16.self), T.self)
    case .uint16: return convertIntegers(decodeNative(bytes, as: UInt16.self), T.self)
    case .int32: return convertIntegers(decodeNative(bytes, as: Int32.self), T.self)
    case .uint32: return convertIntegers(decodeNative(bytes, as: UInt32.self), T.self)
    case .int64: return convertIntegers(decodeNative(bytes, as: Int64.self), T.self)
    case .uint64: return convertIntegers(decodeNative(bytes, as: UInt64.self), T.self)
    case .float32: return convertFloats(decodeNative(bytes, as: Float.self), T.self)
    case .float64: return convertFloats(decodeNative(bytes, as: Double.self), T.self)
    }
}

private func convertIntegers<S: BinaryInteger, T: ColumnValue>(_ source: [S], _: T.Type) -> [T]? {
    var out = [T]()
    out.reserveCapacity(source.count)
    for x in source {
        guard let wide = Int64(exactly: x), let v = T.exactly(integer: wide) else { return nil }
        out.append(v)
    }
    return out
}

private func convertFloats<S: BinaryFloatingPoint, T: ColumnValue>(_ source: [S], _: T.Type) -> [T]? {
    var out = [T]()
    out.reserveCapacity(source.count)
    for x in source {
        guard let v = T.exactly(floatingPoint: Double(x)) else { return nil }
        out.append(v)
    }
    return out
}
