import KaonIO
import KaonROOT

/// The on-disk element types of RNTuple columns (spec 1.0), with their encodings.
public enum ColumnType: UInt16, Sendable, CaseIterable {
    case bit = 0x00, byte = 0x01, char = 0x02, int8 = 0x03, uint8 = 0x04
    case int16 = 0x05, uint16 = 0x06, int32 = 0x07, uint32 = 0x08, int64 = 0x09, uint64 = 0x0A
    case real16 = 0x0B, real32 = 0x0C, real64 = 0x0D
    case index32 = 0x0E, index64 = 0x0F, switchTag = 0x10
    case splitInt16 = 0x11, splitUInt16 = 0x12, splitInt32 = 0x13, splitUInt32 = 0x14
    case splitInt64 = 0x15, splitUInt64 = 0x16, splitReal16 = 0x17, splitReal32 = 0x18, splitReal64 = 0x19
    case splitIndex32 = 0x1A, splitIndex64 = 0x1B
    case real32Trunc = 0x1C, real32Quant = 0x1D

    /// The element width on disk in bits, for types whose width is fixed.
    public var fixedBits: Int? {
        switch self {
        case .bit: 1
        case .byte, .char, .int8, .uint8: 8
        case .int16, .uint16, .real16, .splitInt16, .splitUInt16, .splitReal16: 16
        case .int32, .uint32, .real32, .index32, .splitInt32, .splitUInt32, .splitReal32, .splitIndex32: 32
        case .int64, .uint64, .real64, .index64, .splitInt64, .splitUInt64, .splitReal64, .splitIndex64: 64
        case .switchTag: 96
        case .real32Trunc, .real32Quant: nil
        }
    }

    /// The bit widths a column of this type may declare.
    var allowedBits: ClosedRange<Int> {
        switch self {
        case .real32Trunc: 10...31
        case .real32Quant: 1...32
        default: fixedBits!...fixedBits!
        }
    }

    /// Whether pages store the bytes of each element split into byte planes.
    public var isSplit: Bool { rawValue >= 0x11 && rawValue <= 0x1B }
    /// Whether values are zigzag-encoded signed integers (after unsplitting).
    public var isZigzag: Bool { self == .splitInt16 || self == .splitInt32 || self == .splitInt64 }
    /// Whether each page stores differences to the previous element (after unsplitting).
    public var isDelta: Bool { self == .splitIndex32 || self == .splitIndex64 }
    /// Whether this is a collection's offset column.
    var isIndex: Bool { [.index32, .index64, .splitIndex32, .splitIndex64].contains(self) }

    /// The Swift-side type a decoded element of this column has, for value columns.
    var decodedType: PrimitiveType? {
        switch self {
        case .bit: .bool
        case .byte, .uint8: .uint8
        case .char, .int8: .int8
        case .int16, .splitInt16: .int16
        case .uint16, .splitUInt16: .uint16
        case .int32, .splitInt32: .int32
        case .uint32, .splitUInt32: .uint32
        case .int64, .splitInt64: .int64
        case .uint64, .splitUInt64: .uint64
        case .real16, .splitReal16, .real32, .splitReal32, .real32Trunc, .real32Quant: .float32
        case .real64, .splitReal64: .float64
        case .index32, .index64, .splitIndex32, .splitIndex64, .switchTag: nil
        }
    }

    /// The name the spec gives the type (`SplitReal32`, …), for messages and `kaon show`.
    public var specName: String {
        switch self {
        case .bit: "Bit"
        case .byte: "Byte"
        case .char: "Char"
        case .int8: "Int8"
        case .uint8: "UInt8"
        case .int16: "Int16"
        case .uint16: "UInt16"
        case .int32: "Int32"
        case .uint32: "UInt32"
        case .int64: "Int64"
        case .uint64: "UInt64"
        case .real16: "Real16"
        case .real32: "Real32"
        case .real64: "Real64"
        case .index32: "Index32"
        case .index64: "Index64"
        case .switchTag: "Switch"
        case .splitInt16: "SplitInt16"
        case .splitUInt16: "SplitUInt16"
        case .splitInt32: "SplitInt32"
        case .splitUInt32: "SplitUInt32"
        case .splitInt64: "SplitInt64"
        case .splitUInt64: "SplitUInt64"
        case .splitReal16: "SplitReal16"
        case .splitReal32: "SplitReal32"
        case .splitReal64: "SplitReal64"
        case .splitIndex32: "SplitIndex32"
        case .splitIndex64: "SplitIndex64"
        case .real32Trunc: "Real32Trunc"
        case .real32Quant: "Real32Quant"
        }
    }
}
