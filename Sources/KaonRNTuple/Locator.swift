import KaonIO

/// Where a page or envelope lies in the file: a byte offset and its stored (compressed) size.
///
/// The standard locator is a 32-bit size and a 64-bit offset; a negative size announces a
/// non-standard locator whose low 16 bits are its own length and whose type byte says how to
/// read it (only type 1, the "large" locator with a 64-bit size, exists in spec 1.0).
public struct Locator: Sendable, Equatable {
    public var offset: Int
    public var size: Int

    public init(offset: Int, size: Int) {
        self.offset = offset
        self.size = size
    }

    /// The bytes of the file this locator names.
    public var range: Range<Int> { offset..<(offset + size) }

    init(from cursor: inout LittleEndianCursor) throws {
        let head = try cursor.i32()
        if head >= 0 {
            size = Int(head)
            let offset = try cursor.u64()
            guard offset < 1 << 56 else { throw KaonError(.malformed, "locator offset \(offset) is impossible") }
            self.offset = Int(offset)
            return
        }
        let word = UInt32(bitPattern: head)
        let length = Int(word & 0xFFFF)
        let type = Int(Int8(bitPattern: UInt8(word >> 24)).magnitude) & 0x7F
        let start = cursor.position - 4
        guard type == 1 else {
            throw KaonError(.unsupported, "RNTuple locator of type \(type) (only file locators can be read)")
        }
        let size = try cursor.u64()
        let offset = try cursor.u64()
        guard size < 1 << 56, offset < 1 << 56, length >= 20 else {
            throw KaonError(.malformed, "large locator (size \(size), offset \(offset), length \(length)) is impossible")
        }
        self.size = Int(size)
        self.offset = Int(offset)
        try cursor.require(start + length - cursor.position)
        cursor.position = start + length
    }
}

/// A link to an envelope: its uncompressed length and its locator.
struct EnvelopeLink: Sendable, Equatable {
    var length: Int
    var locator: Locator

    init(length: Int, locator: Locator) {
        self.length = length
        self.locator = locator
    }

    init(from cursor: inout LittleEndianCursor) throws {
        length = try cursor.size("envelope length")
        locator = try Locator(from: &cursor)
    }
}
