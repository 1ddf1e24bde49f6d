import Foundation
import Testing
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
@testable import KaonWrite

/// The file skeleton as Kaon's own reader sees it: header, directories, cycles, streamers.
@Suite struct FileWriterTests {
    static let histogram = WritableHistogram(name: "h", axes: [.init(bins: 2, low: 0, high: 1)], contents: [0, 1, 2, 0])

    @Test func skeletonDirectoriesAndCycles() throws {
        let path = temporaryPath("skeleton", suffix: ".root")
        defer { unlink(path) }
        let file = try ROOTFileWriter(path: path, compression: CompressionSettings(.lzma, level: 9), title: "a title")
        try file.write(Self.histogram, to: "a/b/c/h")
        try file.write(Self.histogram, to: "a/h")
        try file.write(Self.histogram, to: "a/h")
        try file.mkdir("empty")
        #expect(throws: KaonError.self) { try file.mkdir("a/h") }  // a histogram has that name
        #expect(!FileManager.default.fileExists(atPath: path))   // only the temporary exists until close
        try file.close()

        let read = try ROOTFile(path: path)
        #expect(read.header.compression == 209)
        #expect(!read.header.isBigFile)
        #expect(read.header.end == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
        #expect(read.streamers.info(for: "TH1D") != nil)
        #expect(read.streamers.info(for: "TTree") != nil)
        let paths = try read.root.walk().map { "\($0.path);\($0.key.cycle)" }
        #expect(paths == ["a;1", "a/b;1", "a/b/c;1", "a/b/c/h;1", "a/h;1", "a/h;2", "empty;1"])
        #expect(try read.root.findKey(path: "a/h").cycle == 2)
    }

    @Test func closeTwiceAndWriteAfterClose() throws {
        let path = temporaryPath("closed", suffix: ".root")
        defer { unlink(path) }
        let file = try ROOTFileWriter(path: path)
        try file.close()
        try file.close()
        #expect(throws: KaonError.self) { try file.write(Self.histogram, to: "h") }
        #expect(try ROOTFile(path: path).root.keys.isEmpty)
    }

    @Test func closeFinishesOpenTrees() throws {
        let path = temporaryPath("open-tree", suffix: ".root")
        defer { unlink(path) }
        let file = try ROOTFileWriter(path: path, compression: CompressionSettings(.lz4, level: 4))
        let tree = try TreeWriter(file: file, path: "dir/t", branches: [BranchSpec("x", .scalar(.int64))])
        try tree.append(["x": .values(.int64, (0..<10_000).map { Int64($0) })])
        try file.close()
        let read = try ROOTFile(path: path)
        let t = try Tree(file: read, path: "dir/t")
        #expect(t.entries == 10_000)
        #expect(try t.read(t.branch("x")).values(as: Int64.self) == (0..<10_000).map { Int64($0) })
        #expect(try t.storedCompression(t.branch("x")) == .lz4)
    }

    @Test func invalidHistogramsAndTreesAreRejected() throws {
        let path = temporaryPath("invalid", suffix: ".root")
        let file = try ROOTFileWriter(path: path)
        var bad = Self.histogram
        bad.contents = [1, 2]
        #expect(throws: KaonError.self) { try file.write(bad, to: "bad") }
        #expect(throws: KaonError.self) {
            _ = try TreeWriter(file: file, path: "t", branches: [BranchSpec("x", .counted(.float32, counter: "n"))])
        }
        let tree = try TreeWriter(file: file, path: "t", branches: [
            BranchSpec("n", .scalar(.int32)), BranchSpec("x", .counted(.float32, counter: "n")),
        ])
        // Counts that disagree with the counter are refused.
        #expect(throws: KaonError.self) {
            try tree.append(["n": .values(.int32, [Int32(2)]), "x": .lists(.float32, [[Float(1)]])])
        }
        #expect(throws: KaonError.self) { try tree.append(["n": .values(.int32, [Int32(1)])]) }
        // Dropping the writer without close leaves no file behind.
    }

    @Test func histogramStatisticsAsROOTComputesThem() throws {
        // Two fills at x = 0.25 (w = 1) and one at 0.75 (w = 2) in a 2-bin [0, 1] axis.
        let h = WritableHistogram(name: "h", axes: [.init(bins: 2, low: 0, high: 1)], contents: [0, 2, 2, 0],
                                  sumw2: [0, 2, 4, 0], entries: 3)
        let stats = h.completeStatistics()
        #expect(stats["fTsumw"] == 4)
        #expect(stats["fTsumw2"] == 6)
        #expect(stats["fTsumwx"] == 2 * 0.25 + 2 * 0.75)
        #expect(stats["fTsumwx2"] == 2 * 0.0625 + 2 * 0.5625)
        #expect(WritableHistogram.categoryPath(directory: "shapes", name: "mjj", categories: ["ttbar", "jesUp"]) == "shapes/mjj__ttbar__jesUp")
    }
}
