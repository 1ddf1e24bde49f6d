import KaonIO

/// A bounds-checked, little-endian reader over an RNTuple envelope, with RNTuple's frames.
///
/// ROOT's classic serialisation (``ByteCursor``) is big-endian; RNTuple envelopes are
/// little-endian and organised in record and list frames whose declared sizes must be
/// honoured (a newer writer may append fields a reader skips). Every read is checked, so a
/// damaged envelope throws `KaonError.Kind.truncated`/`.malformed` instead of trapping.
struct LittleEndianCursor {
    let bytes: [UInt8]
    var position: Int
    /// Where reading must stop: the end of the innermost frame being read, or of the buffer.
    var limit: Int

    init(_ bytes: [UInt8], position: Int = 0, limit: Int? = nil) {
        self.bytes = bytes
        self.position = position
        self.limit = limit ?? bytes.count
    }

    var remaining: Int { limit - position }

    func require(_ count: Int) throws {
        guard count >= 0, count <= limit - position else {
            throw KaonError(.truncated, "needed \(count) bytes at offset \(position) of an RNTuple envelope with \(limit - position) left")
        }
    }

    mutating func load<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try require(MemoryLayout<T>.size)
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
        position += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func u16() throws -> UInt16 { try load(UInt16.self) }
    mutating func u32() throws -> UInt32 { try load(UInt32.self) }
    mutating func i32() throws -> Int32 { try load(Int32.self) }
    mutating func u64() throws -> UInt64 { try load(UInt64.self) }
    mutating func i64() throws -> Int64 { try load(Int64.self) }
    mutating func f64() throws -> Double { Double(bitPattern: try load(UInt64.self)) }

    /// A u64 that must fit a non-negative `Int` (sizes, counts, offsets).
    mutating func size(_ what: String) throws -> Int {
        let value = try u64()
        guard value < 1 << 62 else { throw KaonError(.malformed, "impossible \(what) \(value)") }
        return Int(value)
    }

    /// An RNTuple string: a u32 byte count and UTF-8 bytes.
    mutating func string() throws -> String {
        let count = Int(try u32())
        try require(count)
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }

    /// Feature flags: 64-bit words, more following while the word is negative. Kaon knows no
    /// feature, so any set bit means the file needs a newer reader.
    mutating func featureFlags() throws {
        while true {
            let word = try i64()
            if word & 0x7FFF_FFFF_FFFF_FFFF != 0 {
                throw KaonError(.unsupported, "RNTuple uses format features Kaon does not know (feature flags 0x\(String(UInt64(bitPattern: word), radix: 16)))")
            }
            if word >= 0 { return }
        }
    }

    /// Reads one frame's preamble and runs `body` with the cursor limited to the frame, then
    /// moves past the frame whatever `body` left unread. `body` gets the item count (nil for
    /// a record frame).
    mutating func frame<T>(_ what: String, _ body: (inout LittleEndianCursor, Int?) throws -> T) throws -> T {
        let start = position
        let rawSize = try i64()
        let isList = rawSize < 0
        let size = rawSize == Int64.min ? -1 : Int(rawSize.magnitude)
        var count: Int? = nil
        if isList { count = Int(try u32()) }
        guard size >= position - start, size <= limit - start else {
            throw KaonError(.malformed, "\(what) frame at offset \(start) declares \(size) bytes, \(limit - start) available")
        }
        let end = start + size
        if let count, count > size {
            throw KaonError(.malformed, "\(what) frame at offset \(start) declares \(count) items in \(size) bytes")
        }
        let outerLimit = limit
        limit = end
        defer { limit = outerLimit }
        let result = try body(&self, count)
        position = end
        return result
    }

    /// Reads a list frame, calling `item` once per element (each element reads its own bytes).
    mutating func list<T>(_ what: String, _ item: (inout LittleEndianCursor) throws -> T) throws -> [T] {
        try frame(what) { cursor, count in
            guard let count else { throw KaonError(.malformed, "expected a list frame for \(what), found a record frame") }
            var items: [T] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try item(&cursor)) }
            return items
        }
    }

    /// Reads a list frame of record frames.
    mutating func recordList<T>(_ what: String, _ item: (inout LittleEndianCursor) throws -> T) throws -> [T] {
        try list(what) { cursor in try cursor.frame(what) { inner, _ in try item(&inner) } }
    }
}
