import Foundation
import KaonCAPI
import KaonIO
import KaonTestSupport
import Testing

/// The writing C ABI as C sees it: a file appears only when it is closed, a batch that does not
/// match the tree's branches is a usage status naming the branch (and leaves the tree usable),
/// a bad compression or histogram description is a usage status, and what is appended comes
/// back through the reading ABI. Values written from Python are checked against uproot and
/// ROOT by crosschecks/peers/test_python_write.py.
@Suite struct WriterABITests {
    static func create(_ path: String, compression: String = "zstd:3") throws -> UnsafeMutableRawPointer {
        var handle: UnsafeMutableRawPointer?
        let (status, message) = BoundaryTests.call { kaonWriterCreate(path, compression, &handle, $0) }
        #expect(status == 0, "\(message ?? "")")
        return try #require(handle)
    }

    /// Appends one batch of `x` (int32 scalars) and `v` (float64 lists with `offsets`).
    static func append(_ tree: UnsafeMutableRawPointer, x: [Int32], v: [Double], offsets: [Int64]) -> (status: Int32, message: String?) {
        x.withUnsafeBytes { xBytes in
            v.withUnsafeBytes { vBytes in
                offsets.withUnsafeBufferPointer { vOffsets in
                    "x".withCString { xName in
                        "v".withCString { vName in
                            let names: [UnsafePointer<CChar>?] = [xName, vName]
                            let values: [UnsafeRawPointer?] = [xBytes.baseAddress, vBytes.baseAddress]
                            let sizes = [xBytes.count, vBytes.count]
                            let offsetPointers: [UnsafePointer<Int64>?] = [nil, vOffsets.baseAddress]
                            let offsetCounts = [0, offsets.count]
                            return BoundaryTests.call { kaonTreeWriterAppend(tree, 2, names, values, sizes, offsetPointers, offsetCounts, $0) }
                        }
                    }
                }
            }
        }
    }

    @Test func aTreeAppearsWhenClosedAndReadsBack() throws {
        let path = temporaryPath("capi-write", suffix: ".root")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try Self.create(path)
        defer { kaonWriterFree(file) }
        let branches = #"[{"name": "x", "kind": "scalar", "dtype": "int32"}, {"name": "nv", "kind": "scalar", "dtype": "int32"},"#
            + #" {"name": "v", "kind": "counted", "dtype": "float64", "counter": "nv"}]"#
        var tree: UnsafeMutableRawPointer?
        #expect(BoundaryTests.call { kaonTreeWriterCreate(file, "dir/events", "a title", branches, &tree, $0) }.status == 0)
        let treeHandle = try #require(tree)
        defer { kaonTreeWriterFree(treeHandle) }

        // Every branch must be given: a batch without the counter names it and is refused.
        let missing = Self.append(treeHandle, x: [1, 2], v: [0.5], offsets: [0, 1, 1])
        #expect(missing.status == 9 && missing.message?.contains("nv") == true, "\(missing.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: path))

        let counts: [Int32] = [1, 0, 2]
        let appended = counts.withUnsafeBytes { countBytes in
            [Int32(4), 5, 6].withUnsafeBytes { xBytes in
                [1.5, 2.5, 3.5].withUnsafeBytes { vBytes in
                    [Int64(0), 1, 1, 3].withUnsafeBufferPointer { vOffsets in
                        "x".withCString { xName in
                            "nv".withCString { nName in
                                "v".withCString { vName in
                                    let names: [UnsafePointer<CChar>?] = [xName, nName, vName]
                                    let values: [UnsafeRawPointer?] = [xBytes.baseAddress, countBytes.baseAddress, vBytes.baseAddress]
                                    let offsets: [UnsafePointer<Int64>?] = [nil, nil, vOffsets.baseAddress]
                                    return BoundaryTests.call {
                                        kaonTreeWriterAppend(treeHandle, 3, names, values, [xBytes.count, countBytes.count, vBytes.count],
                                                             offsets, [0, 0, 4], $0)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(appended.status == 0, "\(appended.message ?? "")")
        #expect(BoundaryTests.call { kaonWriterClose(file, $0) }.status == 0)
        #expect(BoundaryTests.call { kaonWriterClose(file, $0) }.status == 0)  // closing twice is allowed

        let read = try BoundaryTests.readBranch("v", of: path, tree: "dir/events", entries: 0..<3, threads: 1)
        #expect(read.status == 0, "\(read.message ?? "")")
        let array = try #require(read.array)
        defer { kaonArrayFree(array) }
        let values = try #require(kaonArrayValues(array)).assumingMemoryBound(to: Double.self)
        let offsets = try #require(kaonArrayOffsets(array, 0)).assumingMemoryBound(to: Int64.self)
        #expect(Array(UnsafeBufferPointer(start: values, count: 3)) == [1.5, 2.5, 3.5])
        #expect(Array(UnsafeBufferPointer(start: offsets, count: 4)) == [0, 1, 1, 3])
    }

    @Test func anUnclosedFileLeavesNothingBehind() throws {
        let path = temporaryPath("capi-unclosed", suffix: ".root")
        let file = try Self.create(path)
        kaonWriterFree(file)
        #expect(!FileManager.default.fileExists(atPath: path))
        let directory = (path as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("." + (path as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func badSettingsAreUsageStatuses() throws {
        var handle: UnsafeMutableRawPointer?
        let path = temporaryPath("capi-bad", suffix: ".root")
        let compression = BoundaryTests.call { kaonWriterCreate(path, "zlib:42", &handle, $0) }
        #expect(compression.status == 9 && handle == nil && compression.message?.contains("zlib:42") == true)
        let file = try Self.create(path)
        defer { kaonWriterFree(file) }
        let histogram = BoundaryTests.call { kaonWriterHistogram(file, "h", #"{"axes": [{"edges": [0, 1]}], "contents": [1]}"#, $0) }
        #expect(histogram.status == 9 && histogram.message?.contains("sumw2") == true, "\(histogram.message ?? "")")
        var tree: UnsafeMutableRawPointer?
        let kind = BoundaryTests.call { kaonTreeWriterCreate(file, "t", "", #"[{"name": "s", "kind": "string", "dtype": "int8"}]"#, &tree, $0) }
        #expect(kind.status == 9 && tree == nil && kind.message?.contains("kind string") == true)
    }
}
