import KaonColumns
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
public protocol ColumnValue: BitwiseCopyable, Sendable {
    /// The ROOT type whose bytes are this type's bytes.
    static var primitiveType: PrimitiveType { get }
    /// The value equal to integer `value`, or nil if this type cannot hold it exactly.
    static func exactly(integer value: Int64) -> Self?
    /// The value for floating-point `value`, or nil if this type is not floating point.
    static func exactly(floatingPoint value: Double) -> Self?
}

extension ColumnValue where Self: BinaryInteger {
    /// Integers hold another integer when it fits.
    @inlinable public static func exactly(integer value: Int64) -> Self? { Self(exactly: value) }
    /// Floating point never silently becomes an integer.
    @inlinable public static func exactly(floatingPoint value: Double) -> Self? { nil }
}

extension ColumnValue where Self: BinaryFloatingPoint {
    /// Integers become floating point (exactly for the counts and ids branches hold).
    @inlinable public static func exactly(integer value: Int64) -> Self? { Self(value) }
    /// float32 ↔ float64 (narrowing rounds, as ROOT's own casts do).
    @inlinable public static func exactly(floatingPoint value: Double) -> Self? { Self(value) }
}

/// `Float` reads ROOT `float32` bytes as they are, other types exactly (see ``ColumnValue``).
extension Float: ColumnValue { public static var primitiveType: PrimitiveType { .float32 } }
/// `Double` reads ROOT `float64` bytes as they are, other types exactly (see ``ColumnValue``).
extension Double: ColumnValue { public static var primitiveType: PrimitiveType { .float64 } }
/// `Int8` reads ROOT `int8` bytes as they are, other types exactly (see ``ColumnValue``).
extension Int8: ColumnValue { public static var primitiveType: PrimitiveType { .int8 } }
/// `Int16` reads ROOT `int16` bytes as they are, other types exactly (see ``ColumnValue``).
extension Int16: ColumnValue { public static var primitiveType: PrimitiveType { .int16 } }
/// `Int32` reads ROOT `int32` bytes as they are, other types exactly (see ``ColumnValue``).
extension Int32: ColumnValue { public static var primitiveType: PrimitiveType { .int32 } }
/// `Int64` reads ROOT `int64` bytes as they are, other types exactly (see ``ColumnValue``).
extension Int64: ColumnValue { public static var primitiveType: PrimitiveType { .int64 } }
/// `UInt8` reads ROOT `uint8` bytes as they are, other types exactly (see ``ColumnValue``).
extension UInt8: ColumnValue { public static var primitiveType: PrimitiveType { .uint8 } }
/// `UInt16` reads ROOT `uint16` bytes as they are, other types exactly (see ``ColumnValue``).
extension UInt16: ColumnValue { public static var primitiveType: PrimitiveType { .uint16 } }
/// `UInt32` reads ROOT `uint32` bytes as they are, other types exactly (see ``ColumnValue``).
extension UInt32: ColumnValue { public static var primitiveType: PrimitiveType { .uint32 } }
/// `UInt64` reads ROOT `uint64` bytes as they are, other types exactly (see ``ColumnValue``).
extension UInt64: ColumnValue { public static var primitiveType: PrimitiveType { .uint64 } }
extension Int: ColumnValue {
    /// `Int` is 64-bit on every platform Kaon supports.
    public static var primitiveType: PrimitiveType { .int64 }
}

extension Bool: ColumnValue {
    /// ROOT stores `bool` as one byte.
    public static var primitiveType: PrimitiveType { .bool }
    /// 0 and 1 only: a wider integer (an id bitmap) is not silently a flag.
    public static func exactly(integer value: Int64) -> Bool? { value == 0 ? false : value == 1 ? true : nil }
    /// Floating point is never a flag.
    public static func exactly(floatingPoint value: Double) -> Bool? { nil }
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
