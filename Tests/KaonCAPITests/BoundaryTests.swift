import Foundation
import KaonCAPI
import KaonIO
import KaonTestSupport
import Testing

/// The C ABI seen as C sees it: status codes and messages instead of throws (a damaged file
/// is a status, never a trap), refusals that name the branch, and a jagged branch handed over
/// as values + offsets equal to uproot's reading. The Python side is tested by
/// crosschecks/peers/test_python_read.py.
@Suite struct BoundaryTests {
    static let hzz = sharedData + "/root/uproot-HZZ-zlib.root"
    static let maps = sharedData + "/root/uproot-stl_containers.root"

    /// Calls a C-ABI function the way C does and returns its status and message (freed here).
    static func call(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) -> (status: Int32, message: String?) {
        var message: UnsafeMutablePointer<CChar>?
        let status = body(&message)
        defer { kaonStringFree(message) }
        return (status, message.map { String(cString: $0) })
    }

    static func open(_ path: String) throws -> UnsafeMutableRawPointer {
        var handle: UnsafeMutableRawPointer?
        let (status, message) = call { kaonFileOpen(path, &handle, $0) }
        #expect(status == 0, "\(message ?? "")")
        return try #require(handle)
    }

    /// Opens tree `treePath` of `path` and reads one branch for `entries` with `threads`: the
    /// call's status and message, and the array handle when it succeeded (the caller frees it).
    static func readBranch(_ branch: String, of path: String, tree treePath: String = "events", entries: Range<Int64>,
                           threads: Int32) throws -> (status: Int32, message: String?, array: UnsafeMutableRawPointer?) {
        let file = try open(path)
        defer { kaonFileClose(file) }
        var tree: UnsafeMutableRawPointer?
        #expect(call { kaonTreeOpen(file, treePath, &tree, $0) }.status == 0)
        let treeHandle = try #require(tree)
        defer { kaonTreeFree(treeHandle) }
        var array: UnsafeMutableRawPointer?
        let result = branch.withCString { name in
            withUnsafePointer(to: Optional(name)) { names in
                call { kaonTreeRead(treeHandle, names, 1, entries.lowerBound, entries.upperBound, threads, &array, $0) }
            }
        }
        return (result.status, result.message, array)
    }

    @Test func truncatedAndMissingFilesAreStatusesWithMessages() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.hzz))
        let truncated = temporaryPath("capi-truncated", suffix: ".root")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        var handle: UnsafeMutableRawPointer?
        let damaged = Self.call { kaonFileOpen(truncated, &handle, $0) }
        #expect(damaged.status == 1 && handle == nil)  // KaonError.Kind.truncated
        #expect(damaged.message?.contains(truncated) == true && damaged.message?.contains("truncated") == true)
        let missing = Self.call { kaonFileOpen(truncated + ".missing", &handle, $0) }
        #expect(missing.status == 8 && handle == nil)  // .system: the OS refused the open
        #expect(missing.message?.contains("No such file") == true)
    }

    @Test func aMapBranchIsRefusedByName() throws {
        // Strings and leaf lists are handed over (crosschecks/peers/test_python_read.py); maps are not.
        let refused = try Self.readBranch("map_int32_int16", of: Self.maps, tree: "tree", entries: 0..<3, threads: 1)
        #expect(refused.status == 5 && refused.array == nil)  // .unsupported
        #expect(refused.message?.contains("tree:map_int32_int16") == true && refused.message?.contains("cannot be handed") == true)
    }

    @Test func aJaggedBranchIsHandedOverAsUprootReadsIt() throws {
        // The tree and file handles are freed first: the array keeps what it needs alive.
        let read = try Self.readBranch("Muon_Px", of: Self.hzz, entries: 100..<400, threads: 2)
        #expect(read.status == 0, "\(read.message ?? "")")
        let handle = try #require(read.array)
        defer { kaonArrayFree(handle) }
        var json: UnsafeMutablePointer<CChar>?
        #expect(Self.call { kaonArrayJSON(handle, &json, $0) }.status == 0)
        let layout = try JSONValue.parse(String(cString: try #require(json)))
        kaonStringFree(json)
        #expect(layout["dtype"]?.string == "float32" && layout["entries"]?.integer == 300)
        let count = Int(try #require(layout["count"]?.integer))
        let offsets = Array(UnsafeBufferPointer(start: kaonArrayOffsets(handle, 0)?.assumingMemoryBound(to: Int.self), count: 301))
        let values = Array(UnsafeBufferPointer(start: kaonArrayValues(handle)?.assumingMemoryBound(to: Float.self), count: count))
        #expect(kaonArrayOffsets(handle, 1) == nil)

        let run = try Peers.run(code: """
            import sys, json, uproot, awkward as ak
            a = uproot.open(sys.argv[1])["events"]["Muon_Px"].array(entry_start=100, entry_stop=400)
            print(json.dumps({"counts": ak.num(a).tolist(), "values": [repr(float(x)) for x in ak.flatten(a)]}))
            """, Self.hzz)
        #expect(run.succeeded, "\(run.failureMessage)")
        let expected = try JSONValue.parse(run.output)
        let counts = try #require(expected["counts"]?.array).compactMap(\.integer).map(Int.init)
        #expect(zip(offsets, offsets.dropFirst()).map { $1 - $0 } == counts && offsets.first == 0)
        let expectedValues = try #require(expected["values"]?.array).compactMap { $0.string.flatMap(Double.init).map(Float.init) }
        #expect(values == expectedValues && !values.isEmpty)
    }
}
