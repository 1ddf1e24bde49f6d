import KaonIO

/// A TDirectory: a list of keys, some of which are subdirectories.
public struct Directory: Sendable {
    /// The directory's path from the file's top ("" for the top).
    public let path: String
    /// Its keys, in file order (several cycles of one name may appear).
    public let keys: [Key]
    let source: any ByteSource
    let streamers: StreamerRegistry

    /// Where the keys list of the directory whose record is `record` lies (nil for none), so
    /// that it can be read together with other ranges; `record` itself is not advanced.
    static func keysListRange(record: ByteCursor) throws -> Range<Int>? {
        var cursor = record
        let fields = try recordFields(&cursor)
        return fields.seekKeys > 0 && fields.nbytesKeys > 0 ? fields.seekKeys..<(fields.seekKeys + fields.nbytesKeys) : nil
    }

    /// The fields of a directory record that locate its keys list.
    private static func recordFields(_ cursor: inout ByteCursor) throws -> (seekKeys: Int, nbytesKeys: Int) {
        let version = Int(try cursor.readI16())
        _ = try cursor.readU32()  // creation time
        _ = try cursor.readU32()  // modification time
        let nbytesKeys = Int(try cursor.readI32())
        _ = try cursor.readI32()  // nbytesName
        let wide = version > 1000
        func seek() throws -> Int { wide ? Int(try cursor.readI64()) : Int(try cursor.readU32()) }
        _ = try seek()  // seekDir
        _ = try seek()  // seekParent
        return (try seek(), nbytesKeys)
    }

    /// Reads the directory whose record `cursor` is at, and its keys list.
    static func read(source: any ByteSource, streamers: StreamerRegistry, record cursor: inout ByteCursor, path: String) throws -> Directory {
        let (seekKeys, nbytesKeys) = try recordFields(&cursor)
        var keys: [Key] = []
        if seekKeys > 0 {
            var list = ByteCursor(try source.read(at: seekKeys, count: nbytesKeys))
            let header = try Key(from: &list)
            _ = header
            let count = try list.readCount(limit: list.remaining / 26, what: "number of keys")
            keys.reserveCapacity(count)
            for _ in 0..<count {
                keys.append(try Key(from: &list))
            }
        }
        return Directory(path: path, keys: keys, source: source, streamers: streamers)
    }

    /// Whether a key is a subdirectory.
    public static func isDirectory(_ key: Key) -> Bool {
        key.className == "TDirectory" || key.className == "TDirectoryFile"
    }

    /// Opens the subdirectory a key points to.
    public func subdirectory(_ key: Key) throws -> Directory {
        try withContext(file: source.name, object: join(key.name)) {
            guard Self.isDirectory(key) else {
                throw KaonError(.usage, "\(key.name) is a \(key.className), not a directory")
            }
            var cursor = ByteCursor(try ROOTFile.payload(of: key, from: source))
            return try Self.read(source: source, streamers: streamers, record: &cursor, path: join(key.name))
        }
    }

    /// The key named `name` (optionally `name;cycle`), highest cycle first.
    public func key(named spec: String) throws -> Key {
        var name = Substring(spec)
        var cycle: Int?
        if let semicolon = spec.lastIndex(of: ";"), let number = Int(spec[spec.index(after: semicolon)...]) {
            name = spec[..<semicolon]
            cycle = number
        }
        let matches = keys.filter { $0.name == name && (cycle == nil || $0.cycle == cycle) }
        guard let best = matches.max(by: { $0.cycle < $1.cycle }) else {
            throw KaonError(.notFound, "no object named \(spec) in \(path.isEmpty ? "/" : path)", file: source.name)
        }
        return best
    }

    /// Follows a slash-separated path through subdirectories to a key.
    public func findKey(path: String) throws -> Key {
        let parts = path.split(separator: "/").map(String.init)
        guard let last = parts.last else { throw KaonError(.usage, "empty object path") }
        return try directory(following: parts.dropLast()).key(named: last)
    }

    /// The subdirectory at a slash-separated path below this one.
    public func directory(path: String) throws -> Directory {
        try directory(following: path.split(separator: "/").map(String.init)[...])
    }

    private func directory(following parts: ArraySlice<String>) throws -> Directory {
        var directory = self
        for part in parts {
            directory = try directory.subdirectory(directory.key(named: part))
        }
        return directory
    }

    /// Every key below this directory, depth first, with its full path.
    public func walk() throws -> [(path: String, key: Key)] {
        var result: [(String, Key)] = []
        for key in keys {
            result.append((join(key.name), key))
            if Self.isDirectory(key) {
                result.append(contentsOf: try subdirectory(key).walk())
            }
        }
        return result
    }

    func join(_ name: String) -> String { path.isEmpty ? name : path + "/" + name }
}
