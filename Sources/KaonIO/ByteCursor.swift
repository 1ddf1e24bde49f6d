/// A bounds-checked, big-endian reader over a byte buffer.
///
/// ROOT's serialisation is big-endian and every length in it comes from the file, so every
/// read is checked: running off the end throws `KaonError.Kind.truncated` instead of
/// trapping. `origin` is the absolute offset of byte 0 in ROOT's reference space (object
/// references inside a key's payload count from the start of the key, i.e. include fKeylen).
public struct ByteCursor: Sendable {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// The next byte to read.
    public var position: Int
    /// Added to `position` to form the offsets ROOT uses for object references.
    public let origin: Int

    public init(_ bytes: [UInt8], position: Int = 0, origin: Int = 0) {
        self.bytes = bytes
        self.position = position
        self.origin = origin
    }

    /// Bytes left after `position`.
    @inlinable public var remaining: Int { bytes.count - position }

    /// `position` in ROOT's reference space.
    @inlinable public var referencePosition: Int { position + origin }

    @inlinable
    func require(_ count: Int) throws {
        guard count >= 0, position >= 0, count <= bytes.count - position else {
            throw KaonError(.truncated, "needed \(count) bytes at offset \(position) of a \(bytes.count)-byte buffer")
        }
    }

    @inlinable
    mutating func load<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try require(MemoryLayout<T>.size)
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
        position += MemoryLayout<T>.size
        return T(bigEndian: value)
    }

    @inlinable public mutating func readU8() throws -> UInt8 { try load(UInt8.self) }
    @inlinable public mutating func readI8() throws -> Int8 { try load(Int8.self) }
    @inlinable public mutating func readU16() throws -> UInt16 { try load(UInt16.self) }
    @inlinable public mutating func readI16() throws -> Int16 { try load(Int16.self) }
    @inlinable public mutating func readU32() throws -> UInt32 { try load(UInt32.self) }
    @inlinable public mutating func readI32() throws -> Int32 { try load(Int32.self) }
    @inlinable public mutating func readU64() throws -> UInt64 { try load(UInt64.self) }
    @inlinable public mutating func readI64() throws -> Int64 { try load(Int64.self) }
    @inlinable public mutating func readF32() throws -> Float { Float(bitPattern: try load(UInt32.self)) }
    @inlinable public mutating func readF64() throws -> Double { Double(bitPattern: try load(UInt64.self)) }
    @inlinable public mutating func readBool() throws -> Bool { try load(UInt8.self) != 0 }

    /// Reads an `Int32` that must be a non-negative count no larger than `limit`.
    public mutating func readCount(limit: Int? = nil, what: String = "count") throws -> Int {
        let n = Int(try readI32())
        let bound = limit ?? remaining
        guard n >= 0, n <= bound else {
            throw KaonError(.malformed, "impossible \(what) \(n) (at most \(bound) possible here)")
        }
        return n
    }

    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        try require(count)
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws {
        try require(count)
        position += count
    }

    /// Moves to an absolute position inside the buffer.
    public mutating func seek(to newPosition: Int) throws {
        guard newPosition >= 0, newPosition <= bytes.count else {
            throw KaonError(.truncated, "seek to \(newPosition) outside a \(bytes.count)-byte buffer")
        }
        position = newPosition
    }

    /// Reads a ROOT TString: a one-byte length (255 ⇒ an Int32 length follows) and the bytes.
    public mutating func readTString() throws -> String {
        var length = Int(try readU8())
        if length == 255 { length = Int(try readI32()) }
        let raw = try readBytes(length)
        return String(decoding: raw, as: UTF8.self)
    }

    /// Reads a NUL-terminated string (class names in object tags).
    public mutating func readCString() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0) else {
            throw KaonError(.truncated, "unterminated string at offset \(position)")
        }
        let value = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return value
    }
}
