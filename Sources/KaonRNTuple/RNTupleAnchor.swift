import KaonIO

/// The `ROOT::RNTuple` object stored under the RNTuple's key: the format version of the
/// writer and where the header and footer envelopes are.
///
/// Unlike the envelopes it is serialised big-endian (it is a classic ROOT object, behind a
/// version-and-bytecount preamble), and followed by an XXH3 checksum of its fields.
public struct RNTupleAnchor: Sendable, Equatable {
    public var versionEpoch: Int
    public var versionMajor: Int
    public var versionMinor: Int
    public var versionPatch: Int
    var header: EnvelopeLink
    var footer: EnvelopeLink
    /// The largest single key ROOT wrote; a blob larger than this is split over several keys.
    public var maxKeySize: Int

    /// Where the header envelope is stored, and its uncompressed length.
    public var headerLocator: Locator { header.locator }
    public var headerLength: Int { header.length }
    /// Where the footer envelope is stored, and its uncompressed length.
    public var footerLocator: Locator { footer.locator }
    public var footerLength: Int { footer.length }

    /// The version as `epoch.major.minor.patch`.
    public var version: String { "\(versionEpoch).\(versionMajor).\(versionMinor).\(versionPatch)" }

    /// Parses the anchor from its key's (uncompressed) payload.
    public init(payload: [UInt8]) throws {
        var cursor = ByteCursor(payload)
        // The class preamble: a byte count with the 0x40000000 flag, then the class version.
        let byteCount = try cursor.readU32()
        guard byteCount & 0x4000_0000 != 0 else {
            throw KaonError(.malformed, "RNTuple anchor lacks its byte-count preamble")
        }
        _ = try cursor.readU16()
        let fieldsStart = cursor.position
        versionEpoch = Int(try cursor.readU16())
        versionMajor = Int(try cursor.readU16())
        versionMinor = Int(try cursor.readU16())
        versionPatch = Int(try cursor.readU16())
        func checked(_ value: UInt64, _ what: String) throws -> Int {
            guard value < 1 << 56 else { throw KaonError(.malformed, "RNTuple anchor: impossible \(what) \(value)") }
            return Int(value)
        }
        let seekHeader = try checked(try cursor.readU64(), "header offset")
        let nbytesHeader = try checked(try cursor.readU64(), "header size")
        let lenHeader = try checked(try cursor.readU64(), "header length")
        let seekFooter = try checked(try cursor.readU64(), "footer offset")
        let nbytesFooter = try checked(try cursor.readU64(), "footer size")
        let lenFooter = try checked(try cursor.readU64(), "footer length")
        maxKeySize = try checked(try cursor.readU64(), "maximum key size")
        let fieldsEnd = cursor.position
        let stored = try cursor.readU64()
        let computed = xxh3_64(payload[fieldsStart..<fieldsEnd])
        guard stored == computed else {
            throw KaonError(.malformed, "RNTuple anchor checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))")
        }
        guard versionEpoch == 1 else {
            throw KaonError(.unsupported, "RNTuple format epoch \(versionEpoch) (version \(versionEpoch).\(versionMajor).\(versionMinor).\(versionPatch)); Kaon reads epoch 1")
        }
        header = EnvelopeLink(length: lenHeader, locator: Locator(offset: seekHeader, size: nbytesHeader))
        footer = EnvelopeLink(length: lenFooter, locator: Locator(offset: seekFooter, size: nbytesFooter))
    }
}
