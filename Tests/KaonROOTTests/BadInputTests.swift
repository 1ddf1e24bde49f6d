import KaonIO
import KaonROOT
import KaonTree
import Testing

/// Runs `body`, expecting a `KaonError` of `kind` whose description names `file`.
@discardableResult
func expectError<T>(_ kind: KaonError.Kind, naming file: String, sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () throws -> T) -> KaonError? {
    do {
        _ = try body()
        Issue.record("expected a .\(kind) error, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as KaonError {
        #expect(error.kind == kind, "expected .\(kind), got .\(error.kind): \(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(file), "the error does not name \(file): \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a KaonError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Opening must fail with `kind`, naming the file.
@discardableResult
func expectOpenFails(_ kind: KaonError.Kind, _ bytes: [UInt8], name: String,
                     sourceLocation: SourceLocation = #_sourceLocation) -> KaonError? {
    expectError(kind, naming: name, sourceLocation: sourceLocation) { try ROOTFile(source: MemorySource(name: name, bytes: bytes)) }
}

@Suite("Truncated and malformed files")
struct FileStructureTests {
    static let adl = "root-6.40-adl-2000-zlib.root"
    static let histograms = "root-6.40-histograms.root"

    @Test("files cut inside the header are .truncated or .malformed, never a crash")
    func headerOnly() throws {
        let bytes = try TestData.shared.bytes(Self.adl)
        for length in [0, 1, 4, 20, 63] {
            let error = expectOpenFails(.truncated, Array(bytes.prefix(length)), name: "cut-\(length).root")
            #expect(error?.message.contains("too short") == true)
        }
        // Long enough to parse a header, which then claims more bytes than there are.
        let layout = try FileLayout(bytes)
        for length in [64, 100, layout.directory, layout.directory + 40] {
            let error = expectOpenFails(.truncated, Array(bytes.prefix(length)), name: "cut-\(length).root")
            #expect(error?.message.contains("\(length)") == true)
        }
    }

    @Test("files cut inside the keys list fail to open with .truncated, even when fEND is patched to match")
    func midKeysList() throws {
        for name in [Self.adl, Self.histograms, "uproot-HZZ.root"] {
            let bytes = try TestData.shared.bytes(name)
            let layout = try FileLayout(bytes)
            for cut in [layout.seekKeys + 5, layout.seekKeys + layout.nbytesKeys / 2, layout.seekKeys + layout.nbytesKeys - 1] {
                let label = "keys-cut-\(cut)-\(name)"
                var truncated = Array(bytes.prefix(cut))
                expectOpenFails(.truncated, truncated, name: label)
                // With fEND lowered the header no longer gives the truncation away; the keys
                // list range must still be checked against the file's size.
                truncated.setI32(cut, at: layout.endOffset)
                expectOpenFails(.truncated, truncated, name: label)
            }
        }
    }

    @Test("files cut inside a basket fail to open with .truncated")
    func midBasket() throws {
        let bytes = try TestData.shared.bytes(Self.adl)
        let baskets = basketKeys(bytes)
        try #require(baskets.count > 50, "basket keys not found in \(Self.adl)")
        let basket = baskets[baskets.count / 2]
        for cut in [basket.offset + 10, basket.offset + basket.key.keyLength + 5, basket.offset + basket.key.totalBytes - 1] {
            var truncated = Array(bytes.prefix(cut))
            expectOpenFails(.truncated, truncated, name: "basket-cut-\(cut).root")
            truncated.setI32(cut, at: 12)
            expectOpenFails(.truncated, truncated, name: "basket-cut-\(cut).root")
        }
    }

    @Test("a basket that cannot be read fails its branch only")
    func unreadableBasket() throws {
        let bytes = try TestData.shared.bytes(Self.adl)
        let basket = try #require(basketKeys(bytes).first { $0.key.name == "Muon_pt" }, "no Muon_pt basket")
        let name = "lost-basket-\(Self.adl)"
        let source = FailingSource(name: name, bytes: bytes, failing: (basket.offset + 100)..<(basket.offset + 101))
        let file = try ROOTFile(source: source)
        let tree = try Tree(file: file, path: "Events")
        let error = expectError(.truncated, naming: name) { try tree.read(tree.branch("Muon_pt")) }
        #expect(error?.description.contains("Muon_pt") == true)
        for branch in tree.dataBranches where branch.name != "Muon_pt" {
            #expect(throws: Never.self, "\(branch.path)") { try tree.read(branch) }
        }
    }

    @Test("wrong magic bytes are .malformed")
    func wrongMagic() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        for magic in ["ROOT", "\0\0\0\0", "roo\0", "PK\u{3}\u{4}"] {
            var mutated = bytes
            mutated.replaceSubrange(0..<4, with: Array(magic.utf8))
            let error = expectOpenFails(.malformed, mutated, name: "magic.root")
            #expect(error?.message.contains("magic") == true)
        }
        // Not a ROOT file at all.
        expectOpenFails(.malformed, Array(repeating: 0x41, count: 5000), name: "text.root")
    }

    @Test("fEND beyond the end of the file is .truncated; fEND before fBEGIN is .malformed")
    func badEnd() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        for end in [bytes.count + 1, bytes.count + 1_000_000, Int(UInt32.max)] {
            var mutated = bytes
            mutated.setI32(end, at: 12)
            let error = expectOpenFails(.truncated, mutated, name: "end-\(end).root")
            #expect(error?.message.contains("\(end)") == true)
        }
        var before = bytes
        before.setI32(50, at: 12)
        expectOpenFails(.malformed, before, name: "end-before-begin.root")
        var negativeBegin = bytes
        negativeBegin.setI32(-100, at: 8)
        expectOpenFails(.malformed, negativeBegin, name: "negative-begin.root")
    }

    @Test("fSeekKeys past the end, or fNbytesKeys impossible, is .truncated")
    func badSeekKeys() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let layout = try FileLayout(bytes)
        #expect(!layout.directoryIsWide)
        for seek in [bytes.count, bytes.count + 1, Int(UInt32.max), bytes.count - 10] {
            var mutated = bytes
            mutated.setI32(seek, at: layout.seekKeysOffset)
            expectOpenFails(.truncated, mutated, name: "seekkeys-\(seek).root")
        }
        for count in [Int(Int32.max), -1, Int(Int32.min), bytes.count] {
            var mutated = bytes
            mutated.setI32(count, at: layout.directory + 10)
            expectOpenFails(.truncated, mutated, name: "nbyteskeys-\(count).root")
        }
        // A directory record pointing below its own keys is parsed as whatever is there:
        // any failure must still be a KaonError naming the file.
        var elsewhere = bytes
        elsewhere.setI32(layout.begin, at: layout.seekKeysOffset)
        let report = readEverything(MemorySource(name: "seekkeys-begin.root", bytes: elsewhere))
        expectWellFormedFailures(report, name: "seekkeys-begin.root")
    }

    @Test("fSeekInfo past the end is .truncated in the StreamerInfo")
    func badSeekInfo() throws {
        for name in [Self.histograms, Self.adl] {
            let bytes = try TestData.shared.bytes(name)
            let layout = try FileLayout(bytes)
            for seek in [bytes.count, bytes.count + 100, Int(UInt32.max), bytes.count - 3] {
                var mutated = bytes
                mutated.setI32(seek, at: layout.seekInfoOffset)
                let error = expectOpenFails(.truncated, mutated, name: "seekinfo-\(seek)-\(name)")
                #expect(error?.object == "StreamerInfo")
            }
        }
    }

    @Test("a file without StreamerInfo opens, but its histograms cannot be interpreted")
    func noStreamerInfo() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let layout = try FileLayout(bytes)
        var mutated = bytes
        mutated.setI32(0, at: layout.seekInfoOffset)
        let name = "no-streamers.root"
        let file = try ROOTFile(source: MemorySource(name: name, bytes: mutated))
        #expect(file.streamers.all.isEmpty)
        let key = try file.root.findKey(path: "h1d_regular")
        let error = expectError(.unsupported, naming: name) {
            try withContext(file: file.name, object: "h1d_regular") { try ROOTHistogram(file.readObject(key)) }
        }
        #expect(error?.message.contains("TH1D") == true)
    }

    @Test("a corrupt subdirectory record fails the walk with an error naming the file")
    func badSubdirectory() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let layout = try FileLayout(bytes)
        let directory = try layout.key(named: "variations")
        // The subdirectory's record is its key's payload; point its fSeekKeys inside the file
        // header and, separately, make its payload undecodable.
        let payloadOffset = directory.key.seekKey + directory.key.keyLength
        var cases: [(String, KaonError.Kind, [UInt8])] = []
        var badKeys = bytes
        badKeys.setI32(Int(Int32.max), at: payloadOffset + 10)  // fNbytesKeys
        cases.append(("subdir-nbyteskeys.root", .truncated, badKeys))
        var badObjlen = bytes
        badObjlen.setI32(directory.key.objectLength + 7, at: directory.offset + 6)  // fObjlen in the keys list
        cases.append(("subdir-objlen.root", .corruptCompression, badObjlen))
        var shortRecord = bytes
        shortRecord.setI32(directory.key.keyLength + 8, at: directory.offset)  // fNbytes: an 8-byte record
        shortRecord.setI32(8, at: directory.offset + 6)  // fObjlen to match, so it is read raw
        cases.append(("subdir-short.root", .truncated, shortRecord))
        for (name, kind, mutated) in cases {
            let file = try ROOTFile(source: MemorySource(name: name, bytes: mutated))
            let error = expectError(kind, naming: name) { try file.root.walk() }
            #expect(error?.object?.contains("variations") == true)
        }
    }
}

@Suite("Corrupt keys")
struct KeyTests {
    static let histograms = "root-6.40-histograms.root"

    /// Reads every histogram of a mutated histograms file: `target` must fail with `kind`
    /// (naming the file and the object), every other histogram must read.
    func expectOnlyTargetFails(_ bytes: [UInt8], name: String, target: String, kind: KaonError.Kind,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try ROOTFile(source: MemorySource(name: name, bytes: bytes))
        for (path, key) in try file.root.walk() where !Directory.isDirectory(key) {
            if key.name == target {
                let error = expectError(kind, naming: name, sourceLocation: sourceLocation) { try file.readObject(key) }
                #expect(error?.object == target, sourceLocation: sourceLocation)
            } else {
                #expect(throws: Never.self, "\(path)", sourceLocation: sourceLocation) {
                    try ROOTHistogram(file.readObject(key))
                }
            }
        }
    }

    @Test("fNbytes huge, negative or too small")
    func badNbytes() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let entry = try FileLayout(bytes).key(named: "h1d_regular")
        let cases: [(Int, KaonError.Kind)] = [
            (Int(Int32.max), .truncated),          // runs past the end of the file
            (bytes.count, .truncated),
            (-1, .malformed),                      // less than the key header
            (Int(Int32.min), .malformed),
            (entry.key.keyLength - 1, .malformed),
            (entry.key.keyLength, .corruptCompression),  // an empty payload that claims objlen bytes
            (entry.key.totalBytes - 1, .corruptCompression),
        ]
        for (value, kind) in cases {
            var mutated = bytes
            mutated.setI32(value, at: entry.offset)
            try expectOnlyTargetFails(mutated, name: "nbytes-\(value).root", target: "h1d_regular", kind: kind)
        }
    }

    @Test("fObjlen huge is rejected before any allocation; fObjlen negative fails the keys list")
    func badObjlen() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let entry = try FileLayout(bytes).key(named: "h1d_regular")
        for value in [Int(Int32.max), 1 << 30, entry.key.objectLength + 1, entry.key.objectLength - 1, 0] {
            var mutated = bytes
            mutated.setI32(value, at: entry.offset + 6)
            try expectOnlyTargetFails(mutated, name: "objlen-\(value).root", target: "h1d_regular", kind: .corruptCompression)
        }
        for value in [-1, Int(Int32.min)] {
            var mutated = bytes
            mutated.setI32(value, at: entry.offset + 6)
            let error = expectOpenFails(.malformed, mutated, name: "objlen-\(value).root")
            #expect(error?.description.contains("h1d_regular") == true)
        }
    }

    @Test("fObjlen equal to the stored size makes compressed bytes look raw: a KaonError, not garbage")
    func compressedReadAsRaw() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let entry = try FileLayout(bytes).key(named: "h1d_regular")
        var mutated = bytes
        mutated.setI32(entry.key.totalBytes - entry.key.keyLength, at: entry.offset + 6)
        let name = "objlen-raw.root"
        let file = try ROOTFile(source: MemorySource(name: name, bytes: mutated))
        let key = try file.root.findKey(path: "h1d_regular")
        #expect(!key.isCompressed)
        do {
            _ = try withContext(file: name) { try ROOTHistogram(file.readObject(key)) }
            Issue.record("compressed bytes parsed as a histogram")
        } catch let error as KaonError {
            #expect(error.description.contains(name), "\(error)")
        }
    }

    @Test("negative fKeylen and seeks fail the keys list")
    func badKeylen() throws {
        let bytes = try TestData.shared.bytes(Self.histograms)
        let entry = try FileLayout(bytes).key(named: "h2d")
        var mutated = bytes
        mutated.setI16(-5, at: entry.offset + 14)
        expectOpenFails(.malformed, mutated, name: "keylen.root")
        // A seek past the file end (4-byte seeks are unsigned, so it cannot be negative).
        var seek = bytes
        seek.setI32(Int(UInt32.max) - 1, at: entry.offset + 18)
        try expectOnlyTargetFails(seek, name: "seek.root", target: "h2d", kind: .truncated)
    }

    @Test("a TTree key with a corrupt fObjlen fails Tree(), naming the file and tree")
    func badTreeKey() throws {
        let name = "root-6.40-adl-2000-zstd.root"
        let bytes = try TestData.shared.bytes(name)
        let entry = try FileLayout(bytes).key(named: "Events")
        for value in [Int(Int32.max), entry.key.objectLength * 2] {
            var mutated = bytes
            mutated.setI32(value, at: entry.offset + 6)
            let label = "tree-objlen-\(value).root"
            let file = try ROOTFile(source: MemorySource(name: label, bytes: mutated))
            let error = expectError(.corruptCompression, naming: label) { try Tree(file: file, path: "Events") }
            #expect(error?.object == "Events")
        }
    }
}

@Suite("Corrupt baskets")
struct BasketTests {
    static let files = ["root-6.40-adl-2000-zlib.root", "root-6.40-adl-2000-lzma.root",
                        "root-6.40-adl-2000-lz4.root", "root-6.40-adl-2000-zstd.root"]

    /// Opens `bytes`, reads every data branch, and checks that exactly `branchName` fails,
    /// with `kind`; returns that error.
    func expectOnlyBranchFails(_ bytes: [UInt8], name: String, branchName: String, kind: KaonError.Kind,
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> KaonError? {
        let file = try ROOTFile(source: MemorySource(name: name, bytes: bytes))
        let tree = try Tree(file: file, path: "Events")
        var failure: KaonError?
        for branch in tree.dataBranches {
            if branch.name == branchName {
                failure = expectError(kind, naming: name, sourceLocation: sourceLocation) { try tree.read(branch) }
            } else {
                let column = try? tree.read(branch)
                #expect(column?.entryCount == tree.entries, "\(name): \(branch.path) should be unaffected", sourceLocation: sourceLocation)
            }
        }
        return failure
    }

    @Test("corrupt bytes inside a compressed basket fail that branch, not the file", arguments: files)
    func corruptPayload(_ name: String) throws {
        let bytes = try TestData.shared.bytes(name)
        let basket = try #require(basketKeys(bytes).first { $0.key.name == "Muon_pt" }, "no Muon_pt basket in \(name)")
        #expect(basket.key.isCompressed)
        let payload = basket.offset + basket.key.keyLength
        var mutated = bytes
        if name.contains("zstd") {
            mutated[payload + CompressionBlockHeader.size] ^= 0xFF  // zstd frame magic: zstd has no checksum here
        } else {
            mutated[payload + (basket.key.totalBytes - basket.key.keyLength) / 2] ^= 0x55  // checksummed codecs
        }
        _ = try expectOnlyBranchFails(mutated, name: "corrupt-\(name)", branchName: "Muon_pt", kind: .corruptCompression)
    }

    @Test("a basket error names the tree and branch as well as the file")
    func basketErrorContext() throws {
        let name = "root-6.40-adl-2000-zlib.root"
        var bytes = try TestData.shared.bytes(name)
        let basket = try #require(basketKeys(bytes).first { $0.key.name == "Muon_pt" })
        bytes[basket.offset + basket.key.keyLength + 100] ^= 0x55
        let label = "context-\(name)"
        let file = try ROOTFile(source: MemorySource(name: label, bytes: bytes))
        let tree = try Tree(file: file, path: "Events")
        let branch = try tree.branch("Muon_pt")
        for read in [{ _ = try tree.read(branch) }, { _ = try tree.readBasket(branch, index: 0) }] as [() throws -> Void] {
            let error = expectError(.corruptCompression, naming: label) { try read() }
            // Which branch is broken is the first thing a user needs to know.
            #expect(error?.description.contains("Muon_pt") == true, "\(error.map(String.init(describing:)) ?? "")")
        }
    }

    @Test("a damaged block header in a basket is .corruptCompression", arguments: files)
    func corruptBlockHeader(_ name: String) throws {
        let bytes = try TestData.shared.bytes(name)
        let basket = try #require(basketKeys(bytes).first { $0.key.name == "Jet_eta" }, "no Jet_eta basket in \(name)")
        let payload = basket.offset + basket.key.keyLength
        for (offset, value) in [(0, UInt8(ascii: "Q")), (3, 0xFF), (5, 0x7F), (8, 0x40)] {
            var mutated = bytes
            mutated[payload + offset] = value
            _ = try expectOnlyBranchFails(mutated, name: "header-\(offset)-\(name)", branchName: "Jet_eta", kind: .corruptCompression)
        }
    }

    @Test("an LZ4 checksum flip is .corruptCompression mentioning the checksum")
    func lz4ChecksumFlip() throws {
        let name = "root-6.40-adl-2000-lz4.root"
        let bytes = try TestData.shared.bytes(name)
        let basket = try #require(basketKeys(bytes).first { $0.key.name == "Electron_pt" }, "no Electron_pt basket")
        let payload = basket.offset + basket.key.keyLength
        #expect(Array(bytes[payload..<(payload + 2)]) == Array("L4".utf8))
        for offset in [CompressionBlockHeader.size, CompressionBlockHeader.size + 7, CompressionBlockHeader.size + 20] {
            var mutated = bytes
            mutated[payload + offset] ^= 0x01
            let error = try expectOnlyBranchFails(mutated, name: "lz4-\(offset).root", branchName: "Electron_pt", kind: .corruptCompression)
            #expect(error?.message.contains("checksum") == true, "\(error.map(String.init(describing:)) ?? "")")
        }
    }

    @Test("a basket key claiming a different size than its branch records fails that branch")
    func basketKeySizes() throws {
        let name = "root-6.40-adl-2000-zlib.root"
        let bytes = try TestData.shared.bytes(name)
        let basket = try #require(basketKeys(bytes).first { $0.key.name == "Muon_eta" })
        // Larger than what the branch says it occupies on disk.
        var larger = bytes
        larger.setI32(basket.key.totalBytes + 1, at: basket.offset)
        _ = try expectOnlyBranchFails(larger, name: "basket-larger.root", branchName: "Muon_eta", kind: .malformed)
        // A corrupt fObjlen in the basket key: decompression must refuse it without allocating.
        var objlen = bytes
        objlen.setI32(Int(Int32.max), at: basket.offset + 6)
        _ = try expectOnlyBranchFails(objlen, name: "basket-objlen.root", branchName: "Muon_eta", kind: .corruptCompression)
        // A negative fKeylen in the basket key.
        var keylen = bytes
        keylen.setI16(-1, at: basket.offset + 14)
        _ = try expectOnlyBranchFails(keylen, name: "basket-keylen.root", branchName: "Muon_eta", kind: .malformed)
    }
}
