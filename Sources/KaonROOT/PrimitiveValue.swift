/// A Swift type that holds the values of one ``PrimitiveType``: the fixed-width numbers,
/// `Int` (64-bit on every platform Kaon supports) and `Bool`.
///
/// Typed column access checks the stored type against ``primitiveType`` before it hands out
/// values, so `Int32` never reads a float branch's bits and `Float` never reads an integer's:
///
/// ```swift
/// Float.primitiveType      // .float32
/// try column.values(as: Float.self)   // a float32 branch only
/// ```
public protocol PrimitiveValue: BitwiseCopyable, Sendable {
    /// The ROOT type this Swift type holds, value for value.
    static var primitiveType: PrimitiveType { get }
}

/// `Float` holds ROOT `float32` (`Float_t`).
extension Float: PrimitiveValue { public static var primitiveType: PrimitiveType { .float32 } }
/// `Double` holds ROOT `float64` (`Double_t`).
extension Double: PrimitiveValue { public static var primitiveType: PrimitiveType { .float64 } }
/// `Int8` holds ROOT `int8` (`Char_t`).
extension Int8: PrimitiveValue { public static var primitiveType: PrimitiveType { .int8 } }
/// `Int16` holds ROOT `int16` (`Short_t`).
extension Int16: PrimitiveValue { public static var primitiveType: PrimitiveType { .int16 } }
/// `Int32` holds ROOT `int32` (`Int_t`).
extension Int32: PrimitiveValue { public static var primitiveType: PrimitiveType { .int32 } }
/// `Int64` holds ROOT `int64` (`Long64_t`).
extension Int64: PrimitiveValue { public static var primitiveType: PrimitiveType { .int64 } }
/// `UInt8` holds ROOT `uint8` (`UChar_t`).
extension UInt8: PrimitiveValue { public static var primitiveType: PrimitiveType { .uint8 } }
/// `UInt16` holds ROOT `uint16` (`UShort_t`).
extension UInt16: PrimitiveValue { public static var primitiveType: PrimitiveType { .uint16 } }
/// `UInt32` holds ROOT `uint32` (`UInt_t`).
extension UInt32: PrimitiveValue { public static var primitiveType: PrimitiveType { .uint32 } }
/// `UInt64` holds ROOT `uint64` (`ULong64_t`).
extension UInt64: PrimitiveValue { public static var primitiveType: PrimitiveType { .uint64 } }
/// `Int` holds ROOT `int64` (it is 64-bit on every platform Kaon supports).
extension Int: PrimitiveValue { public static var primitiveType: PrimitiveType { .int64 } }
/// `Bool` holds ROOT `bool` (one byte per value).
extension Bool: PrimitiveValue { public static var primitiveType: PrimitiveType { .bool } }
