import Foundation
import Testing
import KaonIO
import KaonROOT
import KaonTestSupport
@testable import KaonWrite

/// What the writer keeps of a copied file (class, directory titles, cycles) and the rules
/// the copy and merge tools check. Values are compared with ROOT and uproot in
/// crosschecks/peers/test_write_fidelity.py; here Kaon's own reader checks the structure.
@Suite struct WriteFidelityTests {
    @Test func everyStorageAndProfileClassKeepsItsClass() throws {
        let path = temporaryPath("classes", suffix: ".root")
        defer { unlink(path) }
        let file = try ROOTFileWriter(path: path)
        let axis = WritableHistogram.Axis(bins: 2, low: 0, high: 1)
        var expected: [String: String] = [:]
        for dimension in 1...3 {
            let axes = Array(repeating: axis, count: dimension)
            let cells = Int(pow(4.0, Double(dimension)))
            for storage in WritableHistogram.Storage.allCases {
                // 300.75 truncates to 300 in integer types and is clamped to 127 in a char.
                let h = WritableHistogram(name: "h", axes: axes, contents: (0..<cells).map { $0 == 1 ? 300.75 : Double($0) },
                                          storage: storage)
                try file.write(h, to: "h\(dimension)\(storage.rawValue)")
                expected["h\(dimension)\(storage.rawValue)"] = "TH\(dimension)\(storage.rawValue)"
            }
            let profile = WritableHistogram.Profile(binEntries: Array(repeating: 1, count: cells), sumwy: 0, sumwy2: 0)
            let p = WritableHistogram(name: "p", axes: axes, contents: Array(repeating: 0.5, count: cells), profile: profile)
            try file.write(p, to: "p\(dimension)")
            expected["p\(dimension)"] = ["TProfile", "TProfile2D", "TProfile3D"][dimension - 1]
        }
        try file.close()
        let read = try ROOTFile(path: path)
        for (name, className) in expected {
            let h = try ROOTHistogram(read.get(name))
            #expect(h.className == className, "\(name)")
            #expect(h.dimension == Int(String(name.dropFirst().prefix(1))), "\(name)")
            if name.hasPrefix("p") {
                #expect(h.profile?.binEntries.allSatisfy { $0 == 1 } == true, "\(name)")
                continue
            }
            let clampedTo: Double = switch name.last {
            case "C": 127
            case "S", "I", "L": 300
            default: 300.75
            }
            #expect(h.contents[1] == clampedTo, "\(name)")
        }
    }

    @Test func directoryTitlesAndCyclesAreKept() throws {
        let path = temporaryPath("titles", suffix: ".root")
        defer { unlink(path) }
        let file = try ROOTFileWriter(path: path)
        try file.mkdir("plots", title: "Control plots")
        let h = WritableHistogram(name: "h", axes: [.init(bins: 1, low: 0, high: 1)], contents: [0, 1, 0])
        try file.write(h, to: "plots/h", cycle: 3)
        try file.write(h, to: "plots/h", cycle: 7)
        try file.close()
        let read = try ROOTFile(path: path)
        #expect(try read.root.key(named: "plots").title == "Control plots")
        let cycles = try read.root.walk().filter { $0.path == "plots/h" }.map(\.key.cycle)
        #expect(cycles == [3, 7])
    }

    @Test func mergingDifferentBinningsNamesBothFilesAndWritesNothing() throws {
        let first = temporaryPath("ten", suffix: ".root"), second = temporaryPath("five", suffix: ".root")
        let output = temporaryPath("merged", suffix: ".root")
        defer { for path in [first, second, output] { unlink(path) } }
        for (path, bins) in [(first, 10), (second, 5)] {
            let file = try ROOTFileWriter(path: path)
            try file.write(WritableHistogram(name: "h", axes: [.init(bins: bins, low: 0, high: 1)],
                                             contents: Array(repeating: 1, count: bins + 2)), to: "dir/h")
            try file.close()
        }
        do {
            _ = try ROOTCopier.merge(inputs: [first, second], into: output)
            Issue.record("the merge succeeded")
        } catch let error as KaonError {
            for part in [first, second, "dir/h", "10 uniform bins", "5 uniform bins"] {
                #expect(error.description.contains(part), "\(part) missing from: \(error)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func compressionLevelsAreCheckedPerAlgorithm() throws {
        let accepted = ["zlib:9": 109, "lzma:1": 201, "lz4:9": 409, "zstd:22": 522, "zstd:0": 0, "none": 0,
                        "522": 522, "109": 109, "9": 109, "0": 0]  // 0xx: zlib, as in ROOT
        for (text, setting) in accepted {
            #expect(try CompressionSettings.parsed(text).rootSetting == setting, "\(text)")
        }
        let refused = ["zlib:10": "0-9", "lzma:12": "0-9", "lz4:10": "0-9", "zstd:23": "0-22", "110": "0-9",
                       "523": "0-22", "999": "ALGORITHM", "310": "ALGORITHM", "-5": "ALGORITHM", "zstd:": "not a number"]
        for (text, range) in refused {
            do {
                _ = try CompressionSettings.parsed(text)
                Issue.record("\(text) was accepted")
            } catch let error as KaonError {
                #expect(error.kind == .usage && error.message.contains(range), "\(text): \(error)")
            }
            #expect(CompressionSettings(parsing: text) == nil, "\(text)")
        }
    }
}
