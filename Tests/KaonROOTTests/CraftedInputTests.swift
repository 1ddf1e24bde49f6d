import KaonIO
import KaonROOT
import KaonTree
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hand-made corruptions, each aimed at one place where a value from the file is used as
/// a range bound, an allocation size, a loop count or an offset sum.
///
/// Each case runs in a child process (a Swift Testing exit test) with its address space
/// and CPU time capped: a trap, an unbounded allocation or a runaway loop then fails this
/// one test case, with the signal that ended the child, instead of killing the test run.
/// A correct reader must either read the file or throw `KaonError`s naming it.
enum CraftedInput: String, Codable, Sendable, CaseIterable, CustomTestStringConvertible {
    /// A basket key whose fNbytes is smaller than its fKeylen.
    case basketKeyShorterThanItsHeader
    /// A branch whose fBasketEntry goes backwards ([3000, 2421]).
    case basketEntriesDecreasing
    /// A tree whose fEntries is negative.
    case negativeTreeEntries
    /// A branch whose fWriteBasket is negative.
    case negativeWriteBasket
    /// A tree with fEntries = 2^40 and fAutoFlush = 1 (one cluster per entry).
    case hugeTreeEntriesWithAutoFlush
    /// A branch whose fBasketBytes claims a 2 GB basket.
    case hugeBasketBytes
    /// A key with 8-byte seeks whose seekKey is near Int.max.
    case wideKeySeekNearIntMax
    /// A streamer element turned into a Double32_t array with fArrayLength = -1.
    case negativeDouble32ArrayLength
    /// An embedded (unflushed) basket with fNevBuf = Int32.max.
    case embeddedBasketEntryCountMax
    /// An embedded basket of version 1 whose fLast ends before its key.
    case embeddedBasketEndsBeforeItsKey

    var testDescription: String { rawValue }

    /// The data file the corruption starts from.
    var file: String {
        switch self {
        case .basketKeyShorterThanItsHeader: "root-6.40-adl-2000-zlib.root"
        case .basketEntriesDecreasing, .negativeTreeEntries, .negativeWriteBasket, .hugeTreeEntriesWithAutoFlush, .hugeBasketBytes:
            "uproot-HZZ-uncompressed.root"
        case .wideKeySeekNearIntMax, .negativeDouble32ArrayLength: "root-6.40-histograms.root"
        case .embeddedBasketEntryCountMax, .embeddedBasketEndsBeforeItsKey: "nanoAOD_2015_CMS_Open_Data_ttbar.root"
        }
    }

    /// Builds the corrupted file.
    func make() throws -> [UInt8] {
        let original = try TestData.shared.bytes(file)
        switch self {
        case .basketKeyShorterThanItsHeader:
            var bytes = original
            let basket = try #require(basketKeys(bytes).first { $0.key.name == "Muon_phi" })
            bytes.setI32(basket.key.keyLength - 1, at: basket.offset)
            return bytes

        case .basketEntriesDecreasing, .negativeTreeEntries, .negativeWriteBasket, .hugeTreeEntriesWithAutoFlush, .hugeBasketBytes:
            var bytes = original
            let tree = try FileLayout(bytes).key(named: "events").key
            try #require(!tree.isCompressed, "the TTree of \(file) should be stored uncompressed")
            let start = tree.seekKey + tree.keyLength
            let entries = int64Bytes(2421)
            switch self {
            case .negativeTreeEntries, .hugeTreeEntriesWithAutoFlush:
                // fEntries is the first Long64_t member after the TAtt* bases: the first 2421.
                let at = try #require(find(entries, in: bytes, from: start))
                bytes.setI64(self == .negativeTreeEntries ? -1 : 1 << 40, at: at)
                if self == .hugeTreeEntriesWithAutoFlush {
                    let autoFlush = try #require(find(int64Bytes(-30_000_000), in: bytes, from: at), "fAutoFlush not found")
                    bytes.setI64(1, at: autoFlush)
                }
            case .negativeWriteBasket:
                // TBranch: TNamed (name, title), TAttFill (10 bytes), then fCompress,
                // fBasketSize, fEntryOffsetLen and fWriteBasket.
                let named = tstring("NJet") + tstring("NJet/I")
                let at = try #require(find(named, in: bytes, from: start), "the NJet TBranch not found") + named.count + 10 + 12
                #expect(bytes.i32(at: at) == 1, "fWriteBasket of NJet should be 1")
                bytes.setI32(-1, at: at)
            case .basketEntriesDecreasing:
                let name = try #require(find(tstring("NJet"), in: bytes, from: start))
                let array = try #require(find([1] + int64Bytes(0) + entries, in: bytes, from: name), "fBasketEntry not found")
                bytes.setI64(3000, at: array + 1)
            default:
                let basket = try #require(basketKeys(bytes).first { $0.key.name == "NJet" })
                let name = try #require(find(tstring("NJet"), in: bytes, from: start))
                let array = try #require(find([1] + int32Bytes(basket.key.totalBytes), in: bytes, from: name), "fBasketBytes not found")
                bytes.setI32(Int(Int32.max), at: array + 1)
            }
            return bytes

        case .wideKeySeekNearIntMax:
            let layout = try FileLayout(original)
            let entries = try layout.keys.map { entry in
                guard entry.key.name == "h1d_regular" else { return try keyEntryBytes(original, named: entry.key.name) }
                let k = entry.key
                return keyHeaderBytes(totalBytes: k.totalBytes, version: 1004, objectLength: k.objectLength, keyLength: k.keyLength,
                                      cycle: k.cycle, seekKey: Int.max - 10, seekParent: 100,
                                      className: k.className, name: k.name, title: k.title)
            }
            return try replacingKeysList(original, entries: entries)

        case .negativeDouble32ArrayLength:
            var bytes = try uncompressedCopy(original, name: file)
            let name = try #require(find(tstring("fBarOffset"), in: bytes, from: original.count), "fBarOffset streamer element not found")
            let title = name + 11
            let type = title + 1 + Int(bytes[title])
            #expect(bytes.i32(at: type) == 2, "fBarOffset should be a Short_t (2)")
            bytes.setI32(29, at: type)        // kOffsetL + kDouble32
            bytes.setI32(-1, at: type + 8)    // fArrayLength
            return bytes

        case .embeddedBasketEntryCountMax, .embeddedBasketEndsBeforeItsKey:
            var bytes = try uncompressedCopy(original, name: file)
            let branch = self == .embeddedBasketEntryCountMax ? "Jet_pt" : "nJet"
            let strings = tstring("TBasket") + tstring(branch) + tstring("Events")
            let at = try #require(find(strings, in: bytes, from: original.count), "no embedded basket for \(branch)")
            let keyStart = at - 34  // a key with 8-byte seeks
            #expect(bytes.i16(at: keyStart + 4) > 1000)
            let fields = at + strings.count  // fVersion, fBufferSize, fNevBufSize, fNevBuf, fLast, flag
            if self == .embeddedBasketEntryCountMax {
                #expect(bytes[fields + 18] == 11, "Jet_pt's basket should carry entry offsets")
                bytes.setI32(Int(Int32.max), at: fields + 10)
            } else {
                #expect(bytes[fields + 18] == 12, "nJet's basket should carry no entry offsets")
                bytes.setI16(1, at: fields)           // version 1: an explicit data length follows
                bytes.setI32(10, at: fields + 14)     // fLast, before the key's end
                bytes.setI32(100, at: fields + 19)    // the data length
            }
            return bytes
        }
    }
}

@Suite("Crafted corruptions (each in its own process)")
struct CraftedInputTests {
    @Test("crafted corruptions fail with KaonErrors naming the file, never a trap", arguments: CraftedInput.allCases)
    func crafted(_ input: CraftedInput) async {
        await #expect(processExitsWith: .success, "\(input.rawValue) of \(input.file)") { [input] in
            limitResources(addressSpace: 1 << 30, cpuSeconds: 15)
            let bytes: [UInt8]
            do {
                bytes = try input.make()
            } catch {
                Issue.record("cannot build \(input.rawValue): \(error)")
                return
            }
            let name = "\(input.rawValue)-\(input.file)"
            let report = readEverything(MemorySource(name: name, bytes: bytes))
            expectWellFormedFailures(report, name: name)
        }
    }

    @Test("the crafted files differ from the originals only where intended, and the originals read cleanly")
    func baselines() throws {
        for input in CraftedInput.allCases {
            let original = try TestData.shared.bytes(input.file)
            let mutated = try input.make()
            #expect(mutated != original, "\(input.rawValue) changed nothing")
        }
        for name in Set(CraftedInput.allCases.map(\.file)) {
            let original = try TestData.shared.bytes(name)
            let report = readEverything(MemorySource(name: name, bytes: original))
            #expect(report.errors.isEmpty && report.foreignErrors.isEmpty, "\(name): \(report.errors)")
        }
    }

    @Test("uncompressed copies read exactly like their originals",
          arguments: ["root-6.40-histograms.root", "nanoAOD_2015_CMS_Open_Data_ttbar.root", "root-6.40-adl-2000-zstd.root"])
    func uncompressedCopies(_ name: String) throws {
        let original = try TestData.shared.bytes(name)
        let copy = try uncompressedCopy(original, name: name)
        #expect(copy.count > original.count)
        let a = readEverything(MemorySource(name: name, bytes: original))
        let b = readEverything(MemorySource(name: name, bytes: copy))
        #expect(b.errors.isEmpty, "\(b.errors)")
        #expect(a.branchesRead == b.branchesRead)
        #expect(a.histogramsRead == b.histogramsRead)
        // The copy really is uncompressed where it matters.
        let file = try ROOTFile(source: MemorySource(name: name, bytes: copy))
        #expect(!(try file.key(at: file.header.seekInfo)).isCompressed)
        for key in file.root.keys where !Directory.isDirectory(key) { #expect(!key.isCompressed, "\(key.name)") }
    }
}
