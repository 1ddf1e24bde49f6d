import Foundation
import KaonIO
import KaonNano
import KaonTestSupport
import Testing

/// An event loop over a file whose `Muon_pt` basket is damaged must throw, naming the file
/// and the branch, and must not hand the loop body values that pass for data.
@Suite struct DamagedFileLoopTests {
    static let original = sharedData + "/root/root-6.40-adl-2000-zlib.root"

    /// The file with one byte in the middle of `Muon_pt`'s first (zlib, checksummed) basket
    /// flipped, written under a temporary name. Where that basket lies comes from uproot,
    /// not from Kaon's own reader.
    static func damagedCopy() throws -> String {
        let locate = """
            import struct, sys, uproot
            branch = uproot.open(sys.argv[1])["Events"]["Muon_pt"]
            seek = int(branch.member("fBasketSeek")[0]); size = int(branch.member("fBasketBytes")[0])
            with open(sys.argv[1], "rb") as f:
                f.seek(seek + 14); keylen = struct.unpack(">h", f.read(2))[0]
            print(seek + keylen, size - keylen)
            """
        let run = try Peers.run(code: locate, original)
        guard run.succeeded else { throw MissingData(description: run.failureMessage) }
        let numbers = run.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 2, numbers[1] > 0 else { throw MissingData(description: "uproot printed \(run.output)") }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
        bytes[numbers[0] + numbers[1] / 2] ^= 0x55
        let path = temporaryPath("damaged-muon-pt", suffix: ".root")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func loopThrowsNamingFileAndBranchAndNeverReadsZeros() throws {
        let path = try Self.damagedCopy()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The undamaged file says which event first has a muon: the first `muon.pt` read.
        let counts = try openTree(Self.original).jagged("Muon_pt", as: Float.self).counts
        let firstWithMuon = try #require(counts.firstIndex { $0 > 0 })

        let events = try Events(path: path)
        var visited: [Int] = []
        var ptRead: [Float] = []
        let error = #expect(throws: KaonError.self) {
            try events.forEachEvent { event in
                visited.append(event.entry)
                for muon in event.muons { ptRead.append(muon.pt) }
            }
        }
        #expect(error?.kind == .corruptCompression)
        // The reader names the basket as well ("Events:Muon_pt basket 0"): more precise, kept.
        #expect(error?.object?.contains("Muon_pt") == true, "the error does not name the branch: \(String(describing: error))")
        #expect(error?.description.contains("kaon-damaged-muon-pt") == true, "the error does not name the file: \(String(describing: error))")
        // It stopped after the event of the failure: no later event was run.
        #expect(visited == Array(0...firstWithMuon))
        // Every pt the body saw came from the failed branch: none passes for a value.
        #expect(ptRead.count == counts[firstWithMuon])
        #expect(!ptRead.isEmpty && ptRead.allSatisfy(\.isNaN))
    }

    @Test func failedBranchesReadAsUnreadableNotZero() throws {
        let path = try Self.damagedCopy()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // An engine driving a chunk itself reads on until it checks: still no zeros.
        let view = try Events(path: path).chunk(0)
        var index = 0
        while view[index].muons.isEmpty { index += 1 }
        let muon = view[index].muons[0]
        #expect(muon.pt.isNaN)
        #expect(muon.value("pt", as: Double.self).isNaN)
        #expect(muon.value("pt", as: Int32.self) == Int32.min)
        #expect(muon.value("pt", as: UInt16.self) == UInt16.max)
        #expect(throws: KaonError.self) { try view.check() }
        #expect(view.error?.object?.contains("Muon_pt") == true)
        // The undamaged branches of the same chunk still read their values.
        #expect(muon.eta.isFinite && muon.eta != 0)
    }
}
