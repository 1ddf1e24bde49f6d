import KaonIO
import KaonRNTuple

/// Turns a page's elements (native little-endian bytes, one byte per element for bits)
/// into the bytes RNTuple stores before compression: bit packing, delta for split index
/// columns, zigzag for split signed integers, then the byte split (all first bytes, then
/// all second bytes, …) — the inverse of the reader's `PageDecoding`, within one page, as
/// the spec requires.
enum RNTuplePageEncoding {
    static func encode(_ elements: UnsafeRawBufferPointer, type: ColumnType) -> [UInt8] {
        if type == .bit { return packBits(elements) }
        guard type.isSplit, let bits = type.fixedBits else { return Array(elements) }
        let width = bits / 8
        var values = Array(elements)
        if type.isDelta { delta(&values, width: width) }
        if type.isZigzag { zigzag(&values, width: width) }
        return split(values, width: width)
    }

    /// Eight booleans (0 or 1 bytes) per byte, the first in the least significant bit.
    static func packBits(_ elements: UnsafeRawBufferPointer) -> [UInt8] {
        var packed = [UInt8](repeating: 0, count: (elements.count + 7) / 8)
        for (index, value) in elements.enumerated() where value != 0 {
            packed[index >> 3] |= 1 << UInt8(index & 7)
        }
        return packed
    }

    /// Byte planes: byte `b` of element `i` goes to `b * count + i`.
    static func split(_ bytes: [UInt8], width: Int) -> [UInt8] {
        let count = bytes.count / width
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
            bytes.withUnsafeBufferPointer { input in
                for index in 0..<count {
                    let base = index * width
                    for plane in 0..<width { out[plane * count + index] = input[base + plane] }
                }
            }
            initialized = bytes.count
        }
    }

    /// Each element minus the one before it in the page (the first stays as it is).
    static func delta(_ bytes: inout [UInt8], width: Int) {
        func apply<T: FixedWidthInteger>(_: T.Type) {
            bytes.withUnsafeMutableBytes { raw in
                let values = raw.bindMemory(to: T.self)
                var previous: T = 0
                for index in values.indices {
                    let value = T(littleEndian: values[index])
                    values[index] = (value &- previous).littleEndian
                    previous = value
                }
            }
        }
        width == 4 ? apply(UInt32.self) : apply(UInt64.self)
    }

    /// Signed integers mapped to unsigned ones of small magnitude first (0, −1, 1, −2 → 0, 1, 2, 3).
    static func zigzag(_ bytes: inout [UInt8], width: Int) {
        func apply<T: FixedWidthInteger & SignedInteger>(_: T.Type) {
            bytes.withUnsafeMutableBytes { raw in
                let values = raw.bindMemory(to: T.self)
                for index in values.indices {
                    let value = T(littleEndian: values[index])
                    values[index] = ((value << 1) ^ (value >> (T.bitWidth - 1))).littleEndian
                }
            }
        }
        switch width {
        case 2: apply(Int16.self)
        case 4: apply(Int32.self)
        default: apply(Int64.self)
        }
    }
}
