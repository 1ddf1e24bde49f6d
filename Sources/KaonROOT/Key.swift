import KaonIO

/// A TKey: the header in front of every object stored in a ROOT file.
///
/// The payload (`objectLength` bytes once decompressed) follows the key's own `keyLength`
/// bytes on disk. It is compressed exactly when `totalBytes − keyLength ≠ objectLength`.
public struct Key: Sendable, Equatable {
    /// Bytes on disk, key header included.
    public var totalBytes: Int
    public var version: Int
    /// Bytes of the uncompressed payload.
    public var objectLength: Int
    public var datime: UInt32
    public var keyLength: Int
    public var cycle: Int
    /// Where this key starts in the file.
    public var seekKey: Int
    /// Where the directory holding this key starts.
    public var seekParentDirectory: Int
    public var className: String
    public var name: String
    public var title: String

    /// Parses a key header from `cursor`.
    public init(from cursor: inout ByteCursor) throws {
        totalBytes = Int(try cursor.readI32())
        version = Int(try cursor.readI16())
        objectLength = Int(try cursor.readI32())
        datime = try cursor.readU32()
        keyLength = Int(try cursor.readI16())
        cycle = Int(try cursor.readI16())
        if version > 1000 {
            seekKey = Int(try cursor.readI64())
            seekParentDirectory = Int(try cursor.readI64())
        } else {
            seekKey = Int(try cursor.readU32())
            seekParentDirectory = Int(try cursor.readU32())
        }
        className = try cursor.readTString()
        name = try cursor.readTString()
        title = try cursor.readTString()
        // Bounded so that offset arithmetic (seekKey + keyLength + …) cannot overflow.
        guard keyLength >= 0, objectLength >= 0, seekKey >= 0, seekKey < 1 << 56 else {
            throw KaonError(.malformed, "impossible key header (keylen \(keyLength), objlen \(objectLength))", object: name)
        }
    }

    /// Whether the payload is stored compressed.
    public var isCompressed: Bool { totalBytes - keyLength != objectLength }

    /// The number of payload bytes stored on disk.
    public var storedPayloadBytes: Int { totalBytes - keyLength }

    /// An upper bound on a key header's size, for reading one without knowing its strings.
    public static let maximumHeaderSize = 34 + 3 * (1 + 4 + 255) + 1024
}
