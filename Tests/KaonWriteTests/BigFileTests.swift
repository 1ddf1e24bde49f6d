import Foundation
import Testing
import KaonTestSupport
import KaonIO
import KaonROOT
import KaonTree
@testable import KaonWrite

/// A file past 2 GB: 64-bit keys and seeks, the big-file header, a directory and a
/// histogram written after the 2 GB mark. Opt-in (it writes 2.3 GB): set KAON_WRITE_BIG=1.
@Suite struct BigFileTests {
    static let enabled = ProcessInfo.processInfo.environment["KAON_WRITE_BIG"] == "1"

    @Test(.enabled(if: enabled, "set KAON_WRITE_BIG=1 to write a 2.3 GB file"))
    func bigFileReadsBack() throws {
        let directory = ProcessInfo.processInfo.environment["KAON_WRITE_FIXTURES"] ?? NSTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/big.root"
        let file = try ROOTFileWriter(path: path, compression: .none)
        let tree = try TreeWriter(file: file, path: "Big", branches: [BranchSpec("b", .scalar(.uint8))], basketSize: 1 << 20)
        let batch = 100_000_000
        let chunk = [UInt8]((0..<batch).map { UInt8(truncatingIfNeeded: $0 % 251) })
        for _ in 0..<23 { try tree.append(["b": .primitive(.uint8, chunk)]) }
        try tree.finish()
        let h = WritableHistogram(name: "after", axes: [.init(bins: 2, low: 0, high: 2)], contents: [0, 1, 2, 0], entries: 3)
        try file.write(h, to: "late/after")
        try file.close()

        let read = try ROOTFile(path: path)
        #expect(read.header.isBigFile)
        let entries = 23 * batch
        let big = try Tree(file: read, path: "Big")
        #expect(big.entries == entries)
        let tail = try big.read(big.branch("b"), entries: (entries - 5)..<entries).values(as: UInt8.self)
        #expect(tail == ((entries - 5)..<entries).map { UInt8(truncatingIfNeeded: ($0 % batch) % 251) })
        #expect(try ROOTHistogram(read.get("late/after")).contents == [0, 1, 2, 0])

        let script = """
        import sys, uproot, ROOT
        f = uproot.open(sys.argv[1])
        assert list(f["late/after"].values(flow=True)) == [0, 1, 2, 0]
        b = f["Big"]["b"].array(library="np", entry_start=\(entries - 5))
        assert list(b) == [\(tail.map(String.init).joined(separator: ","))], list(b)
        r = ROOT.TFile.Open(sys.argv[1])
        assert r.Get("late/after").GetBinContent(2) == 2
        t = r.Get("Big")
        assert t.GetEntries() == \(entries)
        assert t.GetEntry(\(entries - 1)) > 0
        print("big ok")
        """
        let run = try Peers.run(code: script, path)
        #expect(run.succeeded && !run.output.contains("Error") && !run.output.contains("Warning"), "\(run.output)")
        try? FileManager.default.removeItem(atPath: path)
    }
}
