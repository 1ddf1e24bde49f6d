import Foundation
import Testing
import KaonIO
import KaonROOT
import KaonTestSupport
@testable import KaonTree
@testable import KaonWrite

/// Baskets are compressed on several threads but written in a fixed order: the layout and
/// every basket's stored bytes must not depend on the number of compression threads.
@Suite struct ParallelCompressionTests {
    /// Per branch, per basket: its position, and its stored bytes after the key header
    /// (the key header itself holds the write time, which may differ between files).
    static func basketBytes(_ path: String) throws -> [String: [(Int, [UInt8])]] {
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let tree = try Tree(file: try ROOTFile(path: path), path: "Events")
        var result: [String: [(Int, [UInt8])]] = [:]
        for branch in tree.dataBranches {
            result[branch.name] = zip(branch.basketSeek, branch.basketBytes).map { seek, count in
                let keyLength = Int(raw[seek + 14]) << 8 | Int(raw[seek + 15])
                return (seek, Array(raw[(seek + keyLength)..<(seek + count)]))
            }
        }
        return result
    }

    @Test func outputDoesNotDependOnThreadCount() throws {
        let entries = 12_000
        let counts = (0..<entries).map { Int32($0 % 5) }
        let pts = counts.enumerated().map { i, n in (0..<Int(n)).map { Float(i) * 0.5 + Float($0) } }
        let xs = (0..<entries).map { sin(Double($0)) }
        let vs = (0..<entries).map { i in (0..<(i % 3)).map { Int16(truncatingIfNeeded: i &* 7 &+ $0) } }
        var layouts: [[String: [(Int, [UInt8])]]] = []
        for threads in [1, 2, 3] {
            let path = temporaryPath("parallel-\(threads)", suffix: ".root")
            defer { unlink(path) }
            let file = try ROOTFileWriter(path: path, compression: CompressionSettings(.zstd, level: 3))
            let tree = try TreeWriter(file: file, path: "Events", branches: [
                BranchSpec("nMuon", .scalar(.int32)), BranchSpec("Muon_pt", .counted(.float32, counter: "nMuon")),
                BranchSpec("x", .scalar(.float64)), BranchSpec("v", .vector(.int16)),
            ], entriesPerCluster: 2500, compressionThreads: threads)
            for start in stride(from: 0, to: entries, by: 4000) {
                let r = start..<(start + 4000)
                try tree.append(["nMuon": .values(.int32, Array(counts[r])), "Muon_pt": .lists(.float32, Array(pts[r])),
                                 "x": .values(.float64, Array(xs[r])), "v": .lists(.int16, Array(vs[r]))])
            }
            try tree.finish()
            try file.close()
            layouts.append(try Self.basketBytes(path))
        }
        for layout in layouts.dropFirst() {
            #expect(layout.keys.sorted() == layouts[0].keys.sorted())
            for (name, baskets) in layouts[0] {
                let other = try #require(layout[name])
                #expect(other.map(\.0) == baskets.map(\.0), "basket positions of \(name)")
                #expect(other.map(\.1) == baskets.map(\.1), "basket bytes of \(name)")
            }
        }
        // Five clusters, each one basket per branch.
        #expect(layouts[0].values.allSatisfy { $0.count == 5 })
    }
}
