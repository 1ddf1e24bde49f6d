#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonIO

/// Writes a new ROOT file: nested directories of keyed objects, the StreamerInfo, the keys
/// lists, the free-segments list and the header.
///
/// The file is written as KaonIO's `TemporaryOutput` (`.NAME.kaon-partial-PID-XXXXXX` in the
/// same directory), synced and renamed to its final name by `close()`, so a reader never sees
/// a half-written file and an existing file is replaced atomically, even if the process is
/// killed. If writing fails, or the writer is discarded without `close()`, the temporary file
/// is removed.
///
/// Layout: the header (100 bytes), the top directory's key and record, the StreamerInfo
/// (written first because its content is fixed — see `StreamerRecords`), then objects in the
/// order they are written, and at `close()` each directory's keys list, the free list and the
/// rewritten header and directory records. Files grow past 2 GB transparently: keys beyond
/// ROOT's `kStartBigFile` get 64-bit seeks and the header becomes the big-file variant.
///
/// ```swift
/// let file = try ROOTFileWriter(path: "out.root", compression: .init(.zstd, level: 5))
/// try file.write(histogram, to: "plots/h_pt")
/// try file.close()
/// ```
public final class ROOTFileWriter {
    /// The final path of the file.
    public let path: String
    /// The file's default compression (`fCompress`), used for objects and baskets.
    public let compression: CompressionSettings
    /// The temporary file written until `close()` renames it to `path`.
    let output: TemporaryOutput
    /// fEND: where the next record goes.
    private(set) var end: Int
    private var directories: [DirectoryState]
    private var closed = false
    private let fileName: String
    private let title: String
    private let uuid: [UInt8]
    private let created: UInt32
    private var seekInfo = 0
    private var nbytesInfo = 0
    private var nbytesName = 0
    /// Trees and RNTuples not yet finished; `close()` finishes them (weak: a tree keeps its file alive,
    /// not the other way round).
    private var openTrees: [WeakTree] = []

    private final class WeakTree {
        weak var tree: (any EntrySink)?
        init(_ tree: any EntrySink) { self.tree = tree }
    }

    /// Registers a tree or RNTuple that `close()` must finish if its owner did not.
    func register(_ tree: any EntrySink) {
        openTrees.append(WeakTree(tree))
    }

    /// ROOT's first record offset.
    static let begin = 100
    /// Bytes reserved for a directory record: the 8-byte-seek variant, so a small record can
    /// be rewritten as a big one in place.
    static let directoryRecordSize = 60

    /// A directory being written: its record's location and its keys.
    struct DirectoryState {
        var path: String
        var seekDir: Int
        var seekParent: Int
        /// Where the 60-byte directory record is (inside its key's payload).
        var recordOffset: Int
        /// fNbytesName of the record.
        var nbytesName: Int
        var className: String
        var name: String
        var title: String
        var keys: [KeyHeader] = []
    }

    /// Creates the file (under a temporary name until `close()`).
    ///
    /// - Parameters:
    ///   - path: The final path; an existing file there is replaced on `close()`.
    ///   - compression: The default for objects and tree baskets.
    ///   - title: The file's title (`TFile::GetTitle`).
    public init(path: String, compression: CompressionSettings = .rootDefault, title: String = "") throws {
        self.path = path
        self.compression = compression
        self.title = title
        fileName = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        output = try TemporaryOutput(finalPath: path)
        var generator = SystemRandomNumberGenerator()
        uuid = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        created = Datime.now()
        end = Self.begin
        directories = []
        do {
            try writeSkeleton()
        } catch {
            discard()
            throw error
        }
    }

    deinit {
        if !closed { discard() }
    }

    /// Removes the temporary file (used on errors and when the writer is dropped unclosed).
    private func discard() {
        output.discard()
        closed = true
    }

    // MARK: - Low-level output

    /// Writes `bytes` at an absolute offset.
    func write(_ bytes: [UInt8], at offset: Int) throws {
        guard !closed else { throw KaonError(.usage, "the file is already closed", file: path) }
        try bytes.withUnsafeBytes { try output.write($0, at: offset) }
    }

    /// Appends a record at fEND; returns its offset.
    @discardableResult
    func append(_ bytes: [UInt8]) throws -> Int {
        let offset = end
        try write(bytes, at: offset)
        end += bytes.count
        return offset
    }

    // MARK: - Keys

    /// Writes one keyed record at fEND: the key header, `extraHeader` (counted in fKeylen,
    /// e.g. a TBasket's), and the payload compressed with `settings`.
    ///
    /// `serialize` receives the key length first, because references inside the payload
    /// count from the key's start. Returns the key as written.
    @discardableResult
    func writeKeyed(className: String, name: String, title: String, directory: Int, cycle: Int? = nil,
                    extraHeader: [UInt8] = [], settings: CompressionSettings? = nil, listed: Bool = true,
                    payload: (_ keyLength: Int) throws -> [UInt8]) throws -> KeyHeader {
        let seekParent = directories[directory].seekDir
        var key = KeyHeader(totalBytes: 0, objectLength: 0, datime: Datime.now(), cycle: cycle ?? 1,
                            seekKey: end, seekParent: seekParent, className: className, name: name, title: title,
                            extraLength: extraHeader.count)
        if cycle == nil, listed {
            key.cycle = (directories[directory].keys.filter { $0.name == name }.map(\.cycle).max() ?? 0) + 1
        }
        let raw = try payload(key.keyLength)
        let stored = Compressor.compress(raw, settings: settings ?? compression)
        return try writeRecord(key, extraHeader: extraHeader, rawCount: raw.count, stored: stored, directory: listed ? directory : nil)
    }

    /// Writes a TBasket key whose payload is already encoded for `keyLength` and compressed
    /// (`stored`); throws if the key length at fEND is no longer `keyLength`.
    func writeBasket(name: String, title: String, directory: Int, keyLength: Int, header: [UInt8],
                     rawCount: Int, stored: [UInt8]) throws -> KeyHeader {
        let key = KeyHeader(totalBytes: 0, objectLength: 0, datime: Datime.now(), cycle: 1, seekKey: end,
                            seekParent: directories[directory].seekDir, className: "TBasket", name: name, title: title,
                            extraLength: header.count)
        guard key.keyLength == keyLength else { throw KaonError(.malformed, "internal: basket key length changed") }
        return try writeRecord(key, extraHeader: header, rawCount: rawCount, stored: stored, directory: nil)
    }

    /// Appends `key`, `extraHeader` and `stored` at fEND; lists the key in `directory` if given.
    private func writeRecord(_ key: KeyHeader, extraHeader: [UInt8], rawCount: Int, stored: [UInt8], directory: Int?) throws -> KeyHeader {
        var key = key
        // fObjlen counts the payload only: an extra header (a TBasket's) is part of fKeylen
        // and is never compressed.
        key.objectLength = rawCount
        key.totalBytes = key.keyLength + stored.count
        var record = key.encoded()
        record.reserveCapacity(key.totalBytes)
        record.append(contentsOf: extraHeader)
        record.append(contentsOf: stored)
        try append(record)
        if let directory { directories[directory].keys.append(key) }
        return key
    }

    /// The key length (without extra header) the next key written in `directory` gets.
    func nextKeyLength(className: String, name: String, title: String, directory: Int) -> Int {
        let big = KeyHeader.isBig(seek: end) || KeyHeader.isBig(seek: directories[directory].seekDir)
        return KeyHeader.length(className: className, name: name, title: title, big: big)
    }

    // MARK: - Directories

    /// The index of the directory at `path` ("" or "/" is the top), created with its parents
    /// if needed; a directory created here gets `title` (its parents none).
    func directoryIndex(_ path: String, title: String = "") throws -> Int {
        let parts = path.split(separator: "/").map(String.init)
        var current = 0
        var currentPath = ""
        for part in parts {
            currentPath = currentPath.isEmpty ? part : currentPath + "/" + part
            if let found = directories.firstIndex(where: { $0.path == currentPath }) {
                current = found
                continue
            }
            if directories[current].keys.contains(where: { $0.name == part }) {
                throw KaonError(.usage, "cannot create directory \(currentPath): an object of that name exists", file: path)
            }
            let isLast = currentPath.split(separator: "/").count == parts.count
            current = try makeDirectory(named: part, path: currentPath, parent: current, title: isLast ? title : "")
        }
        return current
    }

    /// Creates a directory (`mkdir -p`) titled `title` (`TDirectory::GetTitle`); returns
    /// nothing, objects are addressed by path. The title is set when the directory is
    /// created: an existing directory keeps its own.
    public func mkdir(_ path: String, title: String = "") throws {
        _ = try directoryIndex(path, title: title)
    }

    private func makeDirectory(named name: String, path: String, parent: Int, title: String) throws -> Int {
        let index = directories.count
        let keyOffset = end
        directories.append(DirectoryState(path: path, seekDir: keyOffset, seekParent: directories[parent].seekDir,
                                          recordOffset: 0, nbytesName: 0, className: "TDirectory", name: name, title: title))
        // ROOT writes subdirectory keys with the class name "TDirectory" (for old readers);
        // readers take the directory's title from its key (TKey::ReadObj, uproot).
        let key = try writeKeyed(className: "TDirectory", name: name, title: title, directory: parent,
                                 settings: CompressionSettings.none) { _ in
            [UInt8](repeating: 0, count: Self.directoryRecordSize)
        }
        directories[index].recordOffset = keyOffset + key.keyLength
        directories[index].nbytesName = key.keyLength
        try rewriteDirectoryRecord(index, seekKeys: 0, nbytesKeys: 0)
        return index
    }

    /// The directory record (TDirectory v5, or v1005 with 8-byte seeks), padded to 60 bytes.
    private func rewriteDirectoryRecord(_ index: Int, seekKeys: Int, nbytesKeys: Int) throws {
        let state = directories[index]
        let big = [state.seekDir, state.seekParent, seekKeys].contains { KeyHeader.isBig(seek: $0) }
        var w = ByteWriter(capacity: Self.directoryRecordSize)
        w.i16(big ? 1005 : 5)
        w.u32(created)
        w.u32(Datime.now())
        w.i32(nbytesKeys)
        w.i32(state.nbytesName)
        if big {
            w.i64(state.seekDir); w.i64(state.seekParent); w.i64(seekKeys)
        } else {
            for seek in [state.seekDir, state.seekParent, seekKeys] { w.u32(UInt32(truncatingIfNeeded: seek)) }
        }
        w.u16(1)
        w.append(contentsOf: uuid)
        w.append(contentsOf: [UInt8](repeating: 0, count: Self.directoryRecordSize - w.count))
        try write(w.bytes, at: state.recordOffset)
    }

    // MARK: - Skeleton and close

    /// The header placeholder, the top directory and the StreamerInfo.
    private func writeSkeleton() throws {
        try write([UInt8](repeating: 0, count: Self.begin), at: 0)
        // The TFile key: class "TFile", the file's name and title, then both again as
        // TStrings, then the directory record.
        var top = KeyHeader(totalBytes: 0, objectLength: 0, datime: created, cycle: 1, seekKey: Self.begin,
                            seekParent: 0, className: "TFile", name: fileName, title: title)
        let keyLength = top.keyLength
        nbytesName = keyLength + KeyHeader.tStringSize(fileName) + KeyHeader.tStringSize(title)
        top.totalBytes = nbytesName + Self.directoryRecordSize
        top.objectLength = top.totalBytes - keyLength
        var w = ByteWriter()
        top.write(to: &w)
        w.tString(fileName)
        w.tString(title)
        w.append(contentsOf: [UInt8](repeating: 0, count: Self.directoryRecordSize))
        try append(w.bytes)
        directories.append(DirectoryState(path: "", seekDir: Self.begin, seekParent: 0,
                                          recordOffset: Self.begin + nbytesName, nbytesName: nbytesName,
                                          className: "TFile", name: fileName, title: title))

        // The StreamerInfo, unlisted. Its payload's references assume ROOT's key length.
        let info = try writeKeyed(className: "TList", name: "StreamerInfo", title: "Doubly linked list",
                                  directory: 0, cycle: 1, listed: false) { keyLength in
            guard keyLength == StreamerRecords.keyLength else {
                throw KaonError(.malformed, "internal: StreamerInfo key length \(keyLength) differs from ROOT's \(StreamerRecords.keyLength)")
            }
            return StreamerPayload.bytes
        }
        seekInfo = info.seekKey
        nbytesInfo = info.totalBytes
    }

    /// Finishes the file: any unfinished trees, keys lists, directory records, free list and
    /// header; then renames it to its final path. The writer cannot be used afterwards.
    public func close() throws {
        guard !closed else { return }
        do {
            for entry in openTrees { try entry.tree?.finish() }
            openTrees.removeAll()
            // Deepest directories first is not required: every list is independent.
            for index in directories.indices {
                let state = directories[index]
                let listKey = try writeKeyed(className: state.className, name: state.name, title: state.title,
                                             directory: index, cycle: 1, settings: CompressionSettings.none,
                                             listed: false) { _ in
                    var w = ByteWriter(capacity: 64 * state.keys.count + 4)
                    w.i32(state.keys.count)
                    for key in state.keys { key.write(to: &w) }
                    return w.bytes
                }
                try rewriteDirectoryRecord(index, seekKeys: listKey.seekKey, nbytesKeys: listKey.totalBytes)
            }
            // The free list: one segment from fEND to "infinity". Its own size is fixed, so
            // fEND after it is known before it is written.
            let seekFree = end
            let keyBig = KeyHeader.isBig(seek: seekFree)
            let keyLength = KeyHeader.length(className: "TFile", name: fileName, title: title, big: keyBig)
            let finalEnd0 = seekFree + keyLength + 10
            let bigSegment = KeyHeader.isBig(seek: finalEnd0 + 8)
            let finalEnd = seekFree + keyLength + (bigSegment ? 18 : 10)
            let freeKey = try writeKeyed(className: "TFile", name: fileName, title: title, directory: 0, cycle: 1,
                                         settings: CompressionSettings.none, listed: false) { _ in
                var w = ByteWriter()
                if bigSegment {
                    w.u16(1001); w.i64(finalEnd); w.i64(max(finalEnd, KeyHeader.startBigFile) * 2)
                } else {
                    w.u16(1); w.i32(finalEnd); w.i32(KeyHeader.startBigFile)
                }
                return w.bytes
            }
            guard end == finalEnd else {
                throw KaonError(.malformed, "internal: free list size mismatch", file: path)
            }
            try writeHeader(seekFree: seekFree, nbytesFree: freeKey.totalBytes)
            try output.commit()
            closed = true
        } catch {
            discard()
            throw error
        }
    }

    /// The file header (small layout, or big when fEND is past 2 GB).
    private func writeHeader(seekFree: Int, nbytesFree: Int) throws {
        let big = KeyHeader.isBig(seek: end)
        var w = ByteWriter(capacity: Self.begin)
        w.append(contentsOf: Array("root".utf8))
        w.i32(StreamerRecords.rootVersion % 1_000_000 + (big ? 1_000_000 : 0))
        w.i32(Self.begin)
        if big { w.i64(end); w.i64(seekFree) } else { w.u32(UInt32(end)); w.u32(UInt32(seekFree)) }
        w.i32(nbytesFree)
        w.i32(1)  // nfree
        w.i32(nbytesName)
        w.u8(big ? 8 : 4)
        w.i32(compression.rootSetting)
        if big { w.i64(seekInfo) } else { w.u32(UInt32(seekInfo)) }
        w.i32(nbytesInfo)
        w.u16(1)
        w.append(contentsOf: uuid)
        w.append(contentsOf: [UInt8](repeating: 0, count: Self.begin - w.count))
        try write(w.bytes, at: 0)
    }
}
