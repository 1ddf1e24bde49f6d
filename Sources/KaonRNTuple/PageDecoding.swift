import KaonIO
import KaonROOT

/// Turns the stored bytes of one page into plain little-endian elements: decompresses,
/// checks the optional page checksum, then undoes the column type's encodings (byte split,
/// zigzag, delta, bit packing, truncated and quantised floats).
///
/// Encodings apply within a page (the spec is explicit), so every page is decoded on its own.
enum PageDecoding {
    /// The bytes `count` elements of `column` occupy uncompressed.
    static func storedLength(_ column: ColumnDescriptor, count: Int) -> Int {
        (count * column.bitsOnStorage + 7) / 8
    }

    /// The page's uncompressed bytes, as stored (still encoded).
    static func unpack(_ stored: [UInt8], page: PageDescriptor, column: ColumnDescriptor, budget: AllocationBudget) throws -> [UInt8] {
        // The declared sizes are checked before anything else is trusted: stored (compressed)
        // pages are never larger than their elements, which ROOT would then store raw.
        let length = storedLength(column, count: page.elementCount)
        guard page.locator.size <= length else {
            throw KaonError(.malformed, "page of column \(column.id) at offset \(page.locator.offset) stores \(page.locator.size) bytes for \(page.elementCount) elements of \(column.bitsOnStorage) bits (at most \(length)): page size out of range")
        }
        var payload = stored
        if page.hasChecksum {
            guard stored.count == page.locator.size + 8 else {
                throw KaonError(.truncated, "page of column \(column.id) lacks its checksum")
            }
            payload = Array(stored[..<page.locator.size])
            let expected = stored[page.locator.size...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            guard xxh3_64(payload) == expected else {
                throw KaonError(.corruptCompression, "page checksum mismatch in column \(column.id) at offset \(page.locator.offset)")
            }
        }
        if payload.count == length { return payload }
        return try Decompressor.decompress(payload, uncompressedSize: length, budget: budget)
    }

    /// Rearranges byte planes (all first bytes, then all second bytes, …) into elements.
    /// Element by element, gathering one byte from each plane: writes stay sequential.
    static func unsplit(_ bytes: [UInt8], width: Int) -> [UInt8] {
        let count = bytes.count / width
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
            bytes.withUnsafeBufferPointer { input in
                let target = UnsafeMutableRawPointer(out.baseAddress!)
                switch width {
                case 2: gather(input, count: count, into: target, as: UInt16.self)
                case 4: gather(input, count: count, into: target, as: UInt32.self)
                case 8: gather(input, count: count, into: target, as: UInt64.self)
                default:
                    for plane in 0..<width {
                        for index in 0..<count { out[index * width + plane] = input[plane * count + index] }
                    }
                }
            }
            initialized = bytes.count
        }
    }

    /// Element `i` of `count` little-endian `T`s stored as byte planes, for every `i`.
    @inline(__always)
    private static func gather<T: FixedWidthInteger & UnsignedInteger>(
        _ input: UnsafeBufferPointer<UInt8>, count: Int, into target: UnsafeMutableRawPointer, as _: T.Type
    ) {
        let width = MemoryLayout<T>.size
        for index in 0..<count {
            target.storeBytes(of: planeValue(input, count: count, index: index, as: T.self).littleEndian,
                              toByteOffset: index * width, as: T.self)
        }
    }

    @inline(__always)
    private static func planeValue<T: FixedWidthInteger & UnsignedInteger>(
        _ input: UnsafeBufferPointer<UInt8>, count: Int, index: Int, as _: T.Type
    ) -> T {
        var value: T = 0
        for plane in 0..<MemoryLayout<T>.size { value |= T(input[plane * count + index]) << (8 * plane) }
        return value
    }

    /// Decodes a value page into elements of `column.type.decodedType` (native byte order).
    static func values(_ raw: [UInt8], column: ColumnDescriptor, type: ColumnType, count: Int) -> [UInt8] {
        switch type {
        case .bit:
            return (0..<count).map { raw[$0 >> 3] >> UInt8($0 & 7) & 1 }
        case .real16, .splitReal16:
            let halves = type.isSplit ? unsplit(raw, width: 2) : raw
            let words = decodeLittle(halves, as: UInt16.self)
            return nativeBytes(words.map(floatFromHalf))
        case .real32Trunc:
            let bits = column.bitsOnStorage
            return nativeBytes(unpackBits(raw, bits: bits, count: count).map { Float(bitPattern: $0 << UInt32(32 - bits)) })
        case .real32Quant:
            let bits = column.bitsOnStorage
            let range = column.valueRange ?? 0...0
            let scale = (range.upperBound - range.lowerBound) / Double((UInt64(1) << UInt64(bits)) - 1)
            return nativeBytes(unpackBits(raw, bits: bits, count: count).map { Float(range.lowerBound + Double($0) * scale) })
        default:
            let width = column.bitsOnStorage / 8
            var elements = type.isSplit ? unsplit(raw, width: width) : raw
            if type.isZigzag { unzigzag(&elements, width: width) }
            return elements
        }
    }

    /// Decodes an index page into the cluster-relative end offsets it stores: one pass that
    /// gathers each element from its byte planes (split types) and sums the deltas.
    static func indices(_ raw: [UInt8], type: ColumnType) -> [Int] {
        let wide = !(type == .index32 || type == .splitIndex32)
        let count = raw.count / (wide ? 8 : 4)
        let split = type.isSplit, delta = type.isDelta
        return [Int](unsafeUninitializedCapacity: count) { out, initialized in
            raw.withUnsafeBufferPointer { input in
                var running = 0
                for index in 0..<count {
                    let value: Int
                    switch (wide, split) {
                    case (true, true): value = Int(truncatingIfNeeded: planeValue(input, count: count, index: index, as: UInt64.self))
                    case (false, true): value = Int(planeValue(input, count: count, index: index, as: UInt32.self))
                    case (true, false):
                        value = Int(truncatingIfNeeded: UInt64(littleEndian: UnsafeRawPointer(input.baseAddress!).loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
                    case (false, false):
                        value = Int(UInt32(littleEndian: UnsafeRawPointer(input.baseAddress!).loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                    }
                    running = delta ? running &+ value : value
                    out[index] = running
                }
            }
            initialized = count
        }
    }

    /// Decodes a switch page into (cluster-relative index, tag) pairs.
    static func switches(_ raw: [UInt8], count: Int) -> [(index: Int, tag: Int)] {
        raw.withUnsafeBytes { bytes in
            (0..<count).map { element in
                let index = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: element * 12, as: UInt64.self))
                let tag = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: element * 12 + 8, as: UInt32.self))
                return (Int(truncatingIfNeeded: index), Int(tag))
            }
        }
    }

    /// Elements packed `bits` at a time into a little-endian bit stream, least significant first.
    static func unpackBits(_ raw: [UInt8], bits: Int, count: Int) -> [UInt32] {
        let mask = bits == 32 ? UInt64(UInt32.max) : (UInt64(1) << UInt64(bits)) - 1
        return (0..<count).map { element in
            let bit = element * bits
            var word: UInt64 = 0
            let first = bit >> 3
            for byte in 0..<5 where first + byte < raw.count {
                word |= UInt64(raw[first + byte]) << UInt64(8 * byte)
            }
            return UInt32((word >> UInt64(bit & 7)) & mask)
        }
    }

    /// Undoes zigzag encoding in place (0, 1, 2, 3 → 0, −1, 1, −2).
    static func unzigzag(_ bytes: inout [UInt8], width: Int) {
        func apply<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) {
            bytes.withUnsafeMutableBytes { raw in
                let values = raw.bindMemory(to: T.self)
                for index in values.indices {
                    let value = T(littleEndian: values[index])
                    values[index] = ((value >> 1) ^ (0 &- (value & 1))).littleEndian
                }
            }
        }
        switch width {
        case 2: apply(UInt16.self)
        case 4: apply(UInt32.self)
        default: apply(UInt64.self)
        }
    }

    /// IEEE-754 half precision to single precision (subnormals, infinities and NaN included).
    static func floatFromHalf(_ half: UInt16) -> Float {
        let sign: Float = half & 0x8000 != 0 ? -1 : 1
        let exponent = Int(half >> 10 & 0x1F)
        let mantissa = Float(half & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    static func decodeLittle<T: FixedWidthInteger & BitwiseCopyable>(_ bytes: [UInt8], as _: T.Type) -> [T] {
        decodeNative(bytes, as: T.self).map { T(littleEndian: $0) }
    }

    static func nativeBytes<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }
}
