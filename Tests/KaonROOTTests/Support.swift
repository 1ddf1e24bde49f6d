import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Test data

/// Where the shared ROOT test files live: `<repo>/../shared/data/root`.
let dataDirectory = sharedData + "/root"

/// The bytes of one test file, read once per process and shared by every test.
final class TestData: @unchecked Sendable {
    static let shared = TestData()
    private var cache: [String: [UInt8]] = [:]
    private let lock = Mutex()

    func bytes(_ name: String) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[name] { return cached }
        let path = dataDirectory + "/" + name
        let source: LocalFileSource
        do {
            source = try LocalFileSource(path: path)
        } catch {
            // Absent data must fail loudly, never make the tests pass vacuously.
            throw MissingTestData(path: path, underlying: "\(error)")
        }
        let bytes = try source.read(0..<source.size)
        cache[name] = bytes
        return bytes
    }
}

struct MissingTestData: Error, CustomStringConvertible {
    var path: String
    var underlying: String
    var description: String {
        "ROOT test data file \(path) is missing (\(underlying)); the tests expect the shared data at <repo>/../shared/data/root"
    }
}

/// A plain pthread mutex (the tests do not link Foundation).
final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}

// MARK: - In-memory byte sources

/// A `ByteSource` over bytes in memory, so that mutated files never touch the disk.
struct MemorySource: ByteSource {
    let name: String
    let bytes: [UInt8]
    var size: Int { bytes.count }

    init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        try ranges.map { range in
            guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
                throw KaonError(.truncated, "range \(range) lies outside the file (\(bytes.count) bytes)", file: name)
            }
            return Array(bytes[range])
        }
    }
}

/// A source that claims its full size but fails every read touching `failing`, like a
/// file that shrank or a remote server that lost part of it after the file was opened.
struct FailingSource: ByteSource {
    let name: String
    let bytes: [UInt8]
    let failing: Range<Int>
    var size: Int { bytes.count }

    func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        try ranges.map { range in
            guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
                throw KaonError(.truncated, "range \(range) lies outside the file", file: name)
            }
            if range.overlaps(failing) {
                throw KaonError(.truncated, "file ended while reading \(range)", file: name)
            }
            return Array(bytes[range])
        }
    }
}

// MARK: - Byte-level editing of ROOT files

extension Array where Element == UInt8 {
    func i16(at offset: Int) -> Int { Int(Int16(bitPattern: UInt16(self[offset]) << 8 | UInt16(self[offset + 1]))) }
    func i32(at offset: Int) -> Int {
        Int(Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(self[offset + $1]) }))
    }
    func u32(at offset: Int) -> Int { Int(UInt32(bitPattern: Int32(truncatingIfNeeded: i32(at: offset)))) }
    func i64(at offset: Int) -> Int {
        Int(Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(self[offset + $1]) }))
    }

    mutating func setI16(_ value: Int, at offset: Int) {
        let v = UInt16(bitPattern: Int16(truncatingIfNeeded: value))
        self[offset] = UInt8(v >> 8); self[offset + 1] = UInt8(v & 0xFF)
    }
    mutating func setI32(_ value: Int, at offset: Int) {
        let v = UInt32(truncatingIfNeeded: value)
        for i in 0..<4 { self[offset + i] = UInt8((v >> (24 - 8 * UInt32(i))) & 0xFF) }
    }
    mutating func setI64(_ value: Int, at offset: Int) {
        let v = UInt64(bitPattern: Int64(value))
        for i in 0..<8 { self[offset + i] = UInt8((v >> (56 - 8 * UInt64(i))) & 0xFF) }
    }
}

/// Offsets of the fields Kaon reads from a file's header and top directory.
struct FileLayout {
    var isBig: Bool
    var endOffset: Int
    var seekInfoOffset: Int
    var nbytesInfoOffset: Int
    var begin: Int
    /// Start of the top directory record (fBEGIN + fNbytesName).
    var directory: Int
    var directoryIsWide: Bool
    /// Where the top directory's fSeekKeys field is, and its value.
    var seekKeysOffset: Int
    var seekKeys: Int
    var nbytesKeys: Int
    var seekInfo: Int
    /// Every key of the top directory's keys list: where its header starts in the file.
    var keys: [(offset: Int, key: Key)]

    init(_ bytes: [UInt8]) throws {
        isBig = bytes.i32(at: 4) >= 1_000_000
        endOffset = 12
        seekInfoOffset = isBig ? 45 : 37
        nbytesInfoOffset = isBig ? 53 : 41
        begin = bytes.i32(at: 8)
        seekInfo = isBig ? bytes.i64(at: seekInfoOffset) : bytes.u32(at: seekInfoOffset)
        let nbytesName = bytes.i32(at: isBig ? 36 : 28)
        directory = begin + nbytesName
        directoryIsWide = bytes.i16(at: directory) > 1000
        nbytesKeys = bytes.i32(at: directory + 10)
        let w = directoryIsWide ? 8 : 4
        seekKeysOffset = directory + 18 + 2 * w
        seekKeys = directoryIsWide ? bytes.i64(at: seekKeysOffset) : bytes.u32(at: seekKeysOffset)
        var cursor = ByteCursor(Array(bytes[seekKeys..<(seekKeys + nbytesKeys)]))
        _ = try Key(from: &cursor)
        let count = Int(try cursor.readI32())
        keys = []
        for _ in 0..<count {
            let offset = seekKeys + cursor.position
            keys.append((offset, try Key(from: &cursor)))
        }
    }

    func key(named name: String) throws -> (offset: Int, key: Key) {
        try #require(keys.first { $0.key.name == name }, "no key \(name) in the top directory")
    }
}

/// The on-disk basket keys of a file, found by their "TBasket" class name (a basket key is
/// a key header whose seekKey is its own offset).
func basketKeys(_ bytes: [UInt8]) -> [(offset: Int, key: Key)] {
    let pattern: [UInt8] = [7] + Array("TBasket".utf8)
    var result: [(Int, Key)] = []
    var i = 0
    while i + pattern.count <= bytes.count {
        if bytes[i] == pattern[0] && Array(bytes[i..<(i + pattern.count)]) == pattern {
            for headerBytes in [26, 34] where i - headerBytes >= 0 {
                let start = i - headerBytes
                var cursor = ByteCursor(Array(bytes[start..<min(bytes.count, start + 400)]))
                if let key = try? Key(from: &cursor), key.seekKey == start, key.className == "TBasket" {
                    result.append((start, key))
                    break
                }
            }
            i += pattern.count
        } else {
            i += 1
        }
    }
    return result
}

// MARK: - Reading everything

/// What reading a whole file produced.
struct ReadReport {
    var errors: [KaonError] = []
    /// Errors of any other type (always a bug: Kaon throws only `KaonError`).
    var foreignErrors: [String] = []
    var opened = false
    var keys = 0
    var branchesRead = 0
    var histogramsRead = 0
    var objectsRead = 0

    /// Runs `body`, recording what it throws; returns whether it succeeded.
    @discardableResult
    mutating func record(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch let error as KaonError {
            errors.append(error)
        } catch {
            foreignErrors.append("\(type(of: error)): \(error)")
        }
        return false
    }
}

/// Opens a file, walks it, and reads every object: every data branch of every tree, every
/// histogram (interpreted), and every other object (deserialised). Failures are collected,
/// never thrown, so that one bad branch does not hide the others.
func readEverything(_ source: any ByteSource) -> ReadReport {
    var report = ReadReport()
    var file: ROOTFile?
    report.record { file = try ROOTFile(source: source) }
    guard let file else { return report }
    report.opened = true
    var entries: [(path: String, key: Key)] = []
    report.record { entries = try file.root.walk() }
    report.keys = entries.count
    for (path, key) in entries where !Directory.isDirectory(key) {
        var object: ROOTObject?
        report.record { object = try file.readObject(key) }
        guard let object else { continue }
        report.objectsRead += 1
        if object.isA("TTree") {
            var tree: Tree?
            report.record { tree = try Tree(file: file, path: path, object: object) }
            guard let tree else { continue }
            for branch in tree.dataBranches {
                if report.record({ _ = try tree.read(branch) }) { report.branchesRead += 1 }
            }
        } else if object.isA("TH1") {
            // ROOTHistogram works on an object and knows no file: like `kaon dump`, the caller
            // names the file and object.
            if report.record({ _ = try withContext(file: file.name, object: path) { try ROOTHistogram(object) } }) {
                report.histogramsRead += 1
            }
        }
    }
    return report
}

// MARK: - Uncompressed copies

/// A copy of a file in which the StreamerInfo list and every top-level object are stored
/// uncompressed: each payload is decompressed and appended, with a copied key header, at
/// the end of the file, and the file header and keys list are pointed at the copies.
///
/// Byte flips in compressed data mostly exercise the decompressors; in these copies they
/// reach the object reader (streamers, TTree and TBranch metadata, embedded baskets,
/// histograms) directly.
func uncompressedCopy(_ bytes: [UInt8], name: String) throws -> [UInt8] {
    let file = try ROOTFile(source: MemorySource(name: name, bytes: bytes))
    let layout = try FileLayout(bytes)
    var out = bytes

    /// Appends `key` with its payload stored raw; returns the new key's offset.
    func appendRaw(_ key: Key) throws -> Int {
        let payload = try file.payload(of: key)
        let offset = out.count
        var header = Array(bytes[key.seekKey..<(key.seekKey + key.keyLength)])
        header.setI32(key.keyLength + payload.count, at: 0)
        if key.version > 1000 { header.setI64(offset, at: 18) } else { header.setI32(offset, at: 18) }
        out += header + payload
        return offset
    }

    if layout.seekInfo > 0 {
        let infoKey = try file.key(at: layout.seekInfo)
        if infoKey.isCompressed {
            let offset = try appendRaw(infoKey)
            if layout.isBig { out.setI64(offset, at: layout.seekInfoOffset) } else { out.setI32(offset, at: layout.seekInfoOffset) }
            out.setI32(infoKey.keyLength + infoKey.objectLength, at: layout.nbytesInfoOffset)
        }
    }
    for (entryOffset, key) in layout.keys where key.isCompressed && !Directory.isDirectory(key) {
        let offset = try appendRaw(key)
        out.setI32(key.keyLength + key.objectLength, at: entryOffset)
        if key.version > 1000 { out.setI64(offset, at: entryOffset + 18) } else { out.setI32(offset, at: entryOffset + 18) }
    }
    // fEND is left alone: Kaon only checks that the file is at least that long.
    return out
}

// MARK: - Finding and patching structures

func int32Bytes(_ value: Int) -> [UInt8] { var a = [UInt8](repeating: 0, count: 4); a.setI32(value, at: 0); return a }
func int64Bytes(_ value: Int) -> [UInt8] { var a = [UInt8](repeating: 0, count: 8); a.setI64(value, at: 0); return a }
func tstring(_ s: String) -> [UInt8] { [UInt8(s.utf8.count)] + Array(s.utf8) }

/// The first offset at or after `start` where `pattern` occurs.
func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
    guard let first = pattern.first, pattern.count <= bytes.count else { return nil }
    var i = max(0, start)
    while i + pattern.count <= bytes.count {
        if bytes[i] == first && bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
        i += 1
    }
    return nil
}

/// Serialises a key header the way ROOT writes it (4-byte seeks unless `version > 1000`).
func keyHeaderBytes(totalBytes: Int, version: Int, objectLength: Int, keyLength: Int, cycle: Int,
                    seekKey: Int, seekParent: Int, className: String, name: String, title: String) -> [UInt8] {
    var out: [UInt8] = int32Bytes(totalBytes)
    out += [UInt8(version >> 8 & 0xFF), UInt8(version & 0xFF)]
    out += int32Bytes(objectLength) + int32Bytes(0)
    out += [UInt8(keyLength >> 8 & 0xFF), UInt8(keyLength & 0xFF), UInt8(cycle >> 8 & 0xFF), UInt8(cycle & 0xFF)]
    out += version > 1000 ? int64Bytes(seekKey) + int64Bytes(seekParent) : int32Bytes(seekKey) + int32Bytes(seekParent)
    return out + tstring(className) + tstring(name) + tstring(title)
}

/// Replaces the top directory's keys list with `entries` (serialised key headers), written
/// at the end of the file, and points the directory record at it.
func replacingKeysList(_ bytes: [UInt8], entries: [[UInt8]]) throws -> [UInt8] {
    let layout = try FileLayout(bytes)
    var cursor = ByteCursor(Array(bytes[layout.seekKeys..<(layout.seekKeys + layout.nbytesKeys)]))
    let listKey = try Key(from: &cursor)
    let header = Array(bytes[layout.seekKeys..<(layout.seekKeys + listKey.keyLength)])
    let list = header + int32Bytes(entries.count) + entries.flatMap { $0 }
    var out = bytes
    let offset = out.count
    out += list
    out.setI32(list.count, at: layout.directory + 10)
    if layout.directoryIsWide { out.setI64(offset, at: layout.seekKeysOffset) } else { out.setI32(offset, at: layout.seekKeysOffset) }
    return out
}

/// The bytes of the top-level keys-list entry for `name`, unchanged.
func keyEntryBytes(_ bytes: [UInt8], named name: String) throws -> [UInt8] {
    let layout = try FileLayout(bytes)
    let entry = try layout.key(named: name)
    var cursor = ByteCursor(Array(bytes[entry.offset...]))
    _ = try Key(from: &cursor)
    return Array(bytes[entry.offset..<(entry.offset + cursor.position)])
}

// MARK: - Checking reports

/// Records an issue for every failure that is not a `KaonError` naming `name`.
func expectWellFormedFailures(_ report: ReadReport, name: String, _ context: String = "",
                              sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(report.foreignErrors.isEmpty, "\(name)\(context): non-Kaon errors \(report.foreignErrors)", sourceLocation: sourceLocation)
    for error in report.errors where !error.description.contains(name) {
        Issue.record("\(name)\(context): error does not name the file: \(error) (kind .\(error.kind))", sourceLocation: sourceLocation)
    }
}

// MARK: - Isolation

/// Caps this process's address space and CPU time, so that an unbounded allocation traps
/// and a runaway loop is killed (SIGXCPU) instead of taking the machine down. Meant for
/// exit-test child processes only. Set KAON_TEST_NO_LIMITS to skip it (for example under
/// AddressSanitizer, which reserves far more address space than the limit).
func limitResources(addressSpace: Int, cpuSeconds: Int) {
    guard getenv("KAON_TEST_NO_LIMITS") == nil else { return }
    var memory = rlimit(rlim_cur: rlim_t(addressSpace), rlim_max: rlim_t(addressSpace))
    setrlimit(Int32(RLIMIT_AS.rawValue), &memory)
    var cpu = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 5))
    setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
}

/// Writes `text` to `path`, replacing it (a breadcrumb that survives a trap).
func writeBreadcrumb(_ text: String, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return }
    _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    close(fd)
}

/// Reads a breadcrumb written by a child process, or nil.
func readBreadcrumb(_ path: String) -> String? {
    guard let source = try? LocalFileSource(path: path), let bytes = try? source.read(0..<source.size) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
