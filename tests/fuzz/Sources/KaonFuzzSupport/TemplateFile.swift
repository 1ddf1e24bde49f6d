import KaonIO
import KaonROOT

/// A real ROOT file from the shared data, opened once, that a harness reads its fixed parts
/// from (streamers, keys, trees) or splices its input into (`SplicedSource`).
public struct TemplateFile {
    /// The path under `$SHARED/data`.
    public let path: String
    public let bytes: [UInt8]
    public let file: ROOTFile

    public init(_ path: String) throws {
        try self.init(path, bytes: SharedData.bytes(path))
    }

    init(_ path: String, bytes: [UInt8]) throws {
        self.path = path
        self.bytes = bytes
        file = try ROOTFile(source: MemorySource(name: path, bytes: bytes))
    }

    /// This file with its StreamerInfo record stored again, uncompressed, at its end, and the
    /// file header pointing there: ROOT compresses that record even in files whose objects
    /// are stored raw, and a harness aimed at the streamer reader wants its input to be the
    /// record's payload itself, not a compressed stream.
    public func withRawStreamerInfo() throws -> TemplateFile {
        let header = file.header
        let key = try file.key(at: header.seekInfo)
        let payload = try file.payload(of: key)
        var out = bytes
        let offset = out.count
        var record = Array(bytes[key.seekKey..<(key.seekKey + key.keyLength)])
        Self.setBigEndian(&record, at: 0, width: 4, key.keyLength + payload.count)
        // fSeekKey follows fNbytes, fVersion, fObjlen, fDatime, fKeylen and fCycle; 64-bit in
        // a big key (version > 1000).
        Self.setBigEndian(&record, at: 18, width: key.version > 1000 ? 8 : 4, offset)
        out += record + payload
        // fSeekInfo and fNbytesInfo in the file header (64-bit seeks in a big file).
        let (seekInfo, nbytesInfo) = header.isBigFile ? (45, 53) : (37, 41)
        Self.setBigEndian(&out, at: seekInfo, width: header.isBigFile ? 8 : 4, offset)
        Self.setBigEndian(&out, at: nbytesInfo, width: 4, record.count + payload.count)
        return try TemplateFile(path, bytes: out)
    }

    /// The range of the StreamerInfo record's payload.
    public func streamerInfoPayload() throws -> Range<Int> {
        let key = try file.key(at: file.header.seekInfo)
        return (key.seekKey + key.keyLength)..<(key.seekKey + key.totalBytes)
    }

    static func setBigEndian(_ bytes: inout [UInt8], at offset: Int, width: Int, _ value: Int) {
        for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * (width - 1 - index))) }
    }

    /// The keys of every object in the file (directories walked, directories left out).
    public func objectKeys() throws -> [(path: String, key: Key)] {
        try file.root.walk().filter { !Directory.isDirectory($0.key) }
    }

    /// The key records of the file's baskets, found by their class name, in file order:
    /// baskets are not listed in any directory, only in their branch's (internal) tables.
    public func basketKeys() -> [Key] {
        let marker = Array("\u{7}TBasket".utf8)
        var keys: [Key] = []
        var position = 0
        while position + marker.count <= bytes.count {
            defer { position += 1 }
            guard bytes[position] == marker[0], Array(bytes[position..<(position + marker.count)]) == marker else { continue }
            // The class name follows the fixed fields: 26 bytes of them in a small key, 34 in
            // a big one (64-bit seeks); a key is genuine when it says it is where it was found.
            for start in [position - 26, position - 34] where start >= 0 {
                var cursor = ByteCursor(Array(bytes[start..<min(bytes.count, start + Key.maximumHeaderSize)]))
                if let key = try? Key(from: &cursor), key.seekKey == start, key.totalBytes > 0, start + key.totalBytes <= bytes.count {
                    keys.append(key)
                    break
                }
            }
        }
        return keys
    }
}
