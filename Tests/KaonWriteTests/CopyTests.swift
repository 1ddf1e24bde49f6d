import Foundation
import Testing
import KaonIO
import KaonTestSupport
import KaonROOT
import KaonTree
@testable import KaonWrite

/// `ROOTCopier` (behind `kaon copy` / `kaon merge`) on every file of ../shared/data/root:
/// every branch it writes must read back, through Kaon's reader, identical to the original.
@Suite struct CopyTests {
    static let shared = sharedData + "/root"

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: shared)) ?? []).filter { $0.hasSuffix(".root") }.sorted()
    }

    static func outputDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["KAON_WRITE_FIXTURES"] ?? (NSTemporaryDirectory() + "kaon-write-fixtures-\(getpid())")
        let directory = base + "/copies"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(arguments: files)
    func copyPreservesEveryWrittenBranch(name: String) throws {
        let output = try Self.outputDirectory() + "/" + name
        let report = try ROOTCopier.copy(from: Self.shared + "/" + name, to: output,
                                         options: .init(compression: CompressionSettings(.zstd, level: 3)))
        let original = try ROOTFile(path: Self.shared + "/" + name)
        let copy = try ROOTFile(path: output)
        for (path, key) in try original.root.walk() where key.className == "TTree" && report.written.contains(path) {
            let a = try Tree(file: original, path: path)
            let b = try Tree(file: copy, path: path)
            #expect(a.entries == b.entries, "\(name):\(path)")
            for branch in b.dataBranches {
                let source = try a.allBranches.first { $0.name == branch.name }.map { try a.read($0) }
                let copied = try b.read(branch)
                guard let source else { Issue.record("\(name):\(path): no source for \(branch.name)"); continue }
                #expect(Self.same(source, copied), "\(name):\(path):\(branch.name) differs")
                // Whole STL objects copied as streamed bytes (maps, sets, containers of strings)
                // keep ROOT's bytes exactly, entry by entry, and their class.
                if let sourceBranch = a.allBranches.first(where: { $0.name == branch.name }),
                   case .success(.streamed) = ROOTCopier.branchType(sourceBranch, counters: []) {
                    let x = try a.readSerialized(sourceBranch), y = try b.readSerialized(branch)
                    #expect(x.bytes == y.bytes && x.offsets == y.offsets, "\(name):\(path):\(branch.name) bytes differ")
                    #expect(branch.elementClassName == sourceBranch.elementClassName, "\(name):\(path):\(branch.name) class")
                }
            }
        }
    }

    /// Same values, offsets and strings (Double32/Float16 come back widened, i.e. equal).
    static func same(_ a: Column, _ b: Column) -> Bool {
        func relative(_ offsets: [[Int]]) -> [[Int]] {
            offsets.map { level -> [Int] in
                let first = level.first ?? 0
                return level.map { $0 - first }
            }
        }
        guard a.entryCount == b.entryCount, relative(a.offsets) == relative(b.offsets) else { return false }
        switch (a.values, b.values) {
        case (.primitive(let t, let x), .primitive(let u, let y)): return t == u && x == y
        case (.strings(let x), .strings(let y)): return x == y
        case (.record(let m, let x), .record(let n, let y)): return m == n && x.count == y.count && zip(x, y).allSatisfy(same)
        case (.pairs(let k, let v), .pairs(let l, let w)): return same(k, l) && same(v, w)
        default: return false
        }
    }

    @Test func mergeAddsHistogramsAndConcatenatesTrees() throws {
        let directory = try Self.outputDirectory()
        let input = Self.shared + "/uproot-HZZ.root"
        let output = directory + "/merged-HZZ.root"
        _ = try ROOTCopier.merge(inputs: [input, input], into: output)
        let a = try Tree(file: ROOTFile(path: input), path: "events")
        let b = try Tree(file: ROOTFile(path: output), path: "events")
        #expect(b.entries == 2 * a.entries)
        let hists = Self.shared + "/root-6.40-histograms.root"
        let merged = directory + "/merged-hists.root"
        let report = try ROOTCopier.merge(inputs: [hists, hists], into: merged)
        let original = try ROOTFile(path: hists)
        let sum = try ROOTFile(path: merged)
        for path in report.written {
            let h = try ROOTHistogram(original.get(path))
            let g = try ROOTHistogram(sum.get(path))
            #expect(g.contents == h.contents.map { $0 * 2 }, "\(path)")
            #expect(g.entries == 2 * h.entries, "\(path)")
        }
    }

    @Test func failedOrDiscardedWritersLeaveNoFile() throws {
        let directory = try Self.outputDirectory()
        let path = directory + "/discarded.root"
        do {
            let writer = try ROOTFileWriter(path: path)
            try writer.mkdir("a")
            _ = writer
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("discarded") }
        #expect(leftovers.isEmpty)
        let bad = directory + "/no-such-dir/x.root"
        #expect(throws: KaonError.self) { try ROOTFileWriter(path: bad) }
    }
}
