import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One fuzz target: a base file (possibly rewritten with uncompressed objects) and the
/// byte range most mutations should land in.
struct FuzzTarget: Codable, Sendable, CustomTestStringConvertible {
    var file: String
    var uncompressed: Bool
    var mutations: Int

    var testDescription: String { "\(file)\(uncompressed ? " (objects uncompressed)" : "") × \(mutations)" }

    static let all: [FuzzTarget] = [
        FuzzTarget(file: "root-6.40-histograms.root", uncompressed: false, mutations: 30),
        FuzzTarget(file: "root-6.40-histograms.root", uncompressed: true, mutations: 50),
        FuzzTarget(file: "uproot-HZZ.root", uncompressed: false, mutations: 25),
        FuzzTarget(file: "uproot-HZZ-uncompressed.root", uncompressed: false, mutations: 40),
        FuzzTarget(file: "root-6.40-adl-2000-zlib.root", uncompressed: false, mutations: 15),
        FuzzTarget(file: "root-6.40-adl-2000-lzma.root", uncompressed: false, mutations: 10),
        FuzzTarget(file: "root-6.40-adl-2000-lz4.root", uncompressed: false, mutations: 15),
        FuzzTarget(file: "root-6.40-adl-2000-zstd.root", uncompressed: true, mutations: 40),
        FuzzTarget(file: "nanoAOD_2015_CMS_Open_Data_ttbar.root", uncompressed: false, mutations: 15),
        FuzzTarget(file: "nanoAOD_2015_CMS_Open_Data_ttbar.root", uncompressed: true, mutations: 60),
    ]
}

/// Interesting values to write over 4-byte fields: sizes, counts and byte counts at their
/// boundaries.
let interestingInt32: [Int] = [0, 1, -1, 2, 255, 256, 0x7FFF, 0xFFFF, 0x10000, Int(Int32.max), Int(Int32.min),
                               0x4000_0000, 0x4000_0001, 0x7FFF_FFFE, -2, 1_000_000]

/// The same for 8-byte fields (entry numbers, seeks of big files, Long64_t members).
let interestingInt64: [Int] = [-1, Int.max, Int.min, Int(Int32.max) + 1, 1 << 40, -(1 << 40), Int.max - 100]

@Suite("Fuzzing mutated files")
struct FuzzTests {
    /// KAON_FUZZ_SCALE=n runs n times as many mutations and KAON_FUZZ_SEED=s another
    /// sequence of them, for longer sessions by hand; KAON_FUZZ_VERBOSE=1 prints a summary of
    /// the errors seen. The defaults keep `swift test` fast.
    static var scale: Int { getenv("KAON_FUZZ_SCALE").flatMap { Int(String(cString: $0)) } ?? 1 }
    static var seed: UInt64 { getenv("KAON_FUZZ_SEED").flatMap { UInt64(String(cString: $0)) } ?? 0 }
    static var verbose: Bool { getenv("KAON_FUZZ_VERBOSE") != nil }

    @Test("byte-flipped files fail only with KaonErrors that name the file", arguments: FuzzTarget.all)
    func fuzz(_ target: FuzzTarget) async {
        // Each target is fuzzed in a child process (an exit test) with capped memory and CPU
        // time, so that a trap, an unbounded allocation or a hang fails that target only. The
        // child writes each mutation to a breadcrumb file before reading it; when the child
        // dies, the breadcrumb names the mutation that killed it.
        let breadcrumb = temporaryPath("fuzz") + "-\(target.file)-\(target.uncompressed ? "raw" : "stored").txt"
        defer { unlink(breadcrumb) }
        let result = await #expect(processExitsWith: .success, "fuzzing \(target.testDescription)") { [target, breadcrumb = breadcrumb as String] in
            limitResources(addressSpace: 2 << 30, cpuSeconds: 120)
            do {
                try FuzzTests.run(target, breadcrumb: breadcrumb)
            } catch {
                Issue.record("cannot fuzz \(target.file): \(error)")
            }
        }
        if result == nil {
            Issue.record("the fuzzing process died; last mutation: \(readBreadcrumb(breadcrumb) ?? "(none recorded)")")
        }
    }

    static func run(_ target: FuzzTarget, breadcrumb: String) throws {
        let original = try TestData.shared.bytes(target.file)
        let base = target.uncompressed ? try uncompressedCopy(original, name: target.file) : original
        // Most mutations land in the structures Kaon parses: the header and top directory,
        // the keys list, and the appended uncompressed objects (or the StreamerInfo/keys at
        // the end of the file, where ROOT writes them on close).
        let layout = try FileLayout(original)
        let hotRanges: [Range<Int>] = [
            0..<min(layout.directory + 80, base.count),
            layout.seekKeys..<(layout.seekKeys + layout.nbytesKeys),
            target.uncompressed ? original.count..<base.count : max(0, base.count - 20_000)..<base.count,
        ]
        var rng = SplitMix64(state: 0x4B41_4F4E ^ seed ^ (target.file.hashValueStable &+ (target.uncompressed ? 1 : 0)))
        var failures = 0
        var unaffected = 0
        var messages: [String: Int] = [:]
        for iteration in 0..<(target.mutations * scale) {
            var bytes = base
            var description: [String] = []
            for _ in 0..<(1 + rng.below(3)) {
                let range = rng.below(4) == 0 ? 0..<bytes.count : hotRanges[rng.below(hotRanges.count)]
                let offset = range.lowerBound + rng.below(range.count)
                let kind = rng.below(6)
                if kind == 0 && offset + 8 <= bytes.count {
                    let value = interestingInt64[rng.below(interestingInt64.count)]
                    bytes.setI64(value, at: offset)
                    description.append("i64 \(value) at \(offset)")
                } else if kind <= 2 && offset + 4 <= bytes.count {
                    let value = interestingInt32[rng.below(interestingInt32.count)]
                    bytes.setI32(value, at: offset)
                    description.append("i32 \(value) at \(offset)")
                } else {
                    let mask = UInt8(1 + rng.below(255))
                    bytes[offset] ^= mask
                    description.append("xor 0x\(String(mask, radix: 16)) at \(offset)")
                }
            }
            let name = "fuzz-\(iteration)-\(target.uncompressed ? "raw-" : "")\(target.file)"
            let context = " [\(description.joined(separator: ", "))]"
            writeBreadcrumb(name + context, to: breadcrumb)
            let report = readEverything(MemorySource(name: name, bytes: bytes))
            expectWellFormedFailures(report, name: name, context)
            if report.errors.isEmpty { unaffected += 1 } else { failures += 1 }
            for error in report.errors { messages["\(error.kind)", default: 0] += 1 }
        }
        if verbose {
            print("[fuzz] \(target.testDescription): \(failures) failed, \(unaffected) read without error; errors by kind: \(messages)")
        }
        #expect(failures > 0, "no mutation of \(target.file) caused an error: the fuzzing is not reaching the parser")
    }
}

extension String {
    /// A hash that does not change between runs (Swift's `hashValue` is seeded per process).
    var hashValueStable: UInt64 {
        utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
