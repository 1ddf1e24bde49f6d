import KaonIO

/// The fixed header at the start of every ROOT file (never compressed).
///
/// Small files use 4-byte seeks; files whose `version` is ≥ 1 000 000 ("big files", needed
/// past 2 GB) use 8-byte seeks from `fEND` on.
public struct FileHeader: Sendable, Equatable {
    /// ROOT version that wrote the file, as `10000·major + 100·minor + patch`.
    public var rootVersion: Int
    /// Whether seeks in the header are 8 bytes wide.
    public var isBigFile: Bool
    public var begin: Int
    public var end: Int
    public var seekFree: Int
    public var nbytesFree: Int
    public var nfree: Int
    public var nbytesName: Int
    public var units: Int
    /// The file's default compression setting (`algorithm·100 + level`).
    public var compression: Int
    public var seekInfo: Int
    public var nbytesInfo: Int
    /// The file's UUID (`fUUID`, written after fNbytesInfo with its own 2-byte version), in
    /// the 8-4-4-4-12 hexadecimal form uproot's `ReadOnlyFile.uuid` prints; nil when the
    /// bytes given end before it.
    public var uuid: String?

    /// Bytes enough to hold either header variant.
    public static let readSize = 100

    /// Parses the header from the first bytes of a file.
    public init(_ bytes: [UInt8]) throws {
        var cursor = ByteCursor(bytes)
        let magic = try cursor.readBytes(4)
        guard Array(magic) == Array("root".utf8) else {
            throw KaonError(.malformed, "not a ROOT file (wrong magic bytes)")
        }
        var version = Int(try cursor.readI32())
        let big = version >= 1_000_000
        isBigFile = big
        if big { version -= 1_000_000 }
        rootVersion = version
        begin = Int(try cursor.readI32())
        func seek() throws -> Int { big ? Int(try cursor.readI64()) : Int(try cursor.readU32()) }
        end = try seek()
        seekFree = try seek()
        nbytesFree = Int(try cursor.readI32())
        nfree = Int(try cursor.readI32())
        nbytesName = Int(try cursor.readI32())
        units = Int(try cursor.readU8())
        compression = Int(try cursor.readI32())
        seekInfo = try seek()
        nbytesInfo = Int(try cursor.readI32())
        if cursor.remaining >= 18 {
            _ = try cursor.readU16()  // TUUID's version
            uuid = Self.uuidString(Array(try cursor.readBytes(16)))
        }
        guard begin >= 0, end >= begin, nbytesName >= 0, nbytesInfo >= 0, seekInfo >= 0 else {
            throw KaonError(.malformed, "impossible file header (begin \(begin), end \(end))")
        }
    }

    /// 16 bytes as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase.
    static func uuidString(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    /// ROOT version as a dotted string, e.g. `6.40/00`.
    public var rootVersionString: String {
        let patch = rootVersion % 100
        return "\(rootVersion / 10000).\(String(format2: (rootVersion / 100) % 100))/\(String(format2: patch))"
    }
}

extension String {
    /// A zero-padded two-digit number.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
