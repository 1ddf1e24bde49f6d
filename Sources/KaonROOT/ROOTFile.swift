import KaonIO
import KaonRemote

/// An open ROOT file: its header, streamers, and top directory.
///
/// `ROOTFile` is immutable after opening and can be shared across threads; all reads go
/// through its `ByteSource`.
public final class ROOTFile: Sendable {
    public let source: any ByteSource
    public let header: FileHeader
    /// The top directory (the file itself).
    public let root: Directory
    /// The class descriptions stored in the file, by class name.
    public let streamers: StreamerRegistry

    /// The file's path or URL.
    public var name: String { source.name }

    /// Opens a local file, or a remote one when `path` is a URL (`https://…`; see
    /// `openSource(_:)` in KaonRemote).
    public convenience init(path: String) throws {
        try self.init(source: openSource(path))
    }

    /// Opens a file from any byte source.
    public init(source: any ByteSource) throws {
        self.source = source
        let name = source.name
        // The header and the top directory's record just after it (past the file's name and
        // title) in one read.
        let head = try withContext(file: name) {
            guard source.size >= 64 else {
                throw KaonError(.truncated, "file is too short to be a ROOT file (\(source.size) bytes)")
            }
            return try source.read(at: 0, count: min(Self.headBytes, source.size))
        }
        let header = try withContext(file: name) { try FileHeader(Array(head.prefix(FileHeader.readSize))) }
        self.header = header
        if header.end > source.size {
            throw KaonError(.truncated, "file is truncated: header says \(header.end) bytes, file has \(source.size)", file: name)
        }
        // The record says where the top directory's keys list is; the streamer list (key and
        // payload) and the keys list are then read together: on a remote file one round trip
        // (often none: a remote source holds the file's last bytes from its opening read).
        var record = try withContext(file: name, object: "/") {
            let offset = header.begin + header.nbytesName
            let range = try source.checkedRange(offset: offset, count: max(0, min(64, source.size - offset)))
            return ByteCursor(range.upperBound <= head.count ? Array(head[range]) : try source.read(range))
        }
        var held = [header.seekInfo..<(header.seekInfo + max(header.nbytesInfo, Key.maximumHeaderSize))]
        if let keysList = try? Directory.keysListRange(record: record) { held.append(keysList) }
        let opening = HeldRanges(source, held)
        let streamers = try withContext(file: name, object: "StreamerInfo") {
            try StreamerRegistry.load(from: opening, header: header)
        }
        self.streamers = streamers
        root = try withContext(file: name, object: "/") {
            try Directory.read(source: opening, streamers: streamers, record: &record, path: "")
        }
    }

    /// The bytes read first: the header (100 bytes), the file's name and title, and the top
    /// directory's record after them.
    static let headBytes = 4096

    /// Reads the key header stored at `offset`.
    public func key(at offset: Int) throws -> Key {
        try Self.readKey(from: source, at: offset)
    }

    static func readKey(from source: any ByteSource, at offset: Int) throws -> Key {
        let count = min(Key.maximumHeaderSize, source.size - max(0, offset))
        var cursor = ByteCursor(try source.read(at: offset, count: count))
        return try Key(from: &cursor)
    }

    /// The decompressed payload of `key`.
    public func payload(of key: Key) throws -> [UInt8] {
        try Self.payload(of: key, from: source)
    }

    static func payload(of key: Key, from source: any ByteSource) throws -> [UInt8] {
        try withContext(object: key.name) {
            guard key.storedPayloadBytes >= 0 else {
                throw KaonError(.malformed, "key declares \(key.totalBytes) bytes, less than its \(key.keyLength)-byte header")
            }
            let stored = try source.read(at: key.seekKey + key.keyLength, count: key.storedPayloadBytes)
            if !key.isCompressed { return stored }
            return try Decompressor.decompress(stored, uncompressedSize: key.objectLength, budget: AllocationBudget(fileSize: source.size))
        }
    }

    /// Reads and deserialises the object a key points to.
    public func readObject(_ key: Key) throws -> ROOTObject {
        try withContext(file: name, object: key.name) {
            let bytes = try payload(of: key)
            var reader = ObjectReader(streamers: streamers, cursor: ByteCursor(bytes, origin: key.keyLength))
            return try reader.readObject(className: key.className)
        }
    }

    /// The object at a slash-separated path (`dir/sub/name` or `name;cycle`).
    public func get(_ path: String) throws -> ROOTObject {
        let key = try root.findKey(path: path)
        if Directory.isDirectory(key) {
            // A directory has no streamer of its own; say what it is and what it holds, so
            // the next try names an object inside it.
            let names = (try? root.directory(path: path).keys.map(\.name)) ?? []
            let unique = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let shown = unique.prefix(8).joined(separator: ", ") + (unique.count > 8 ? ", …" : "")
            throw KaonError(.usage, "\(path) is a directory, not an object; name an object inside it as \(path)/NAME"
                                + (unique.isEmpty ? " (it is empty)" : " (it holds \(shown))"), file: name, object: path)
        }
        return try readObject(key)
    }
}
