import CKaonCodecs
import Testing
#if canImport(Glibc)
import Glibc
#endif
import KaonIO
import KaonTestSupport

/// Builds ROOT compression blocks with the system libraries, the way ROOT's
/// `R__zipMultipleAlgorithm` frames them: a 2-byte tag, a method byte, the compressed and
/// uncompressed sizes as little-endian u24, then the compressed bytes.
enum BlockBuilder {
    enum Algorithm: CaseIterable {
        case zlib, lzma, zstd, lz4
    }

    static func header(tag: String, method: UInt8, compressed: Int, uncompressed: Int) -> [UInt8] {
        let t = Array(tag.utf8)
        func u24(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF)] }
        return [t[0], t[1], method] + u24(compressed) + u24(uncompressed)
    }

    /// The compressed body (what follows the 9-byte header) of `data`.
    static func body(_ algorithm: Algorithm, _ data: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .zlib:
            var capacity = compressBound(uLong(data.count))
            var out = [UInt8](repeating: 0, count: Int(capacity))
            let rc = compress2(&out, &capacity, data, uLong(data.count), 6)
            precondition(rc == Z_OK, "zlib compress2 failed: \(rc)")
            return Array(out.prefix(Int(capacity)))
        case .lzma:
            var out = [UInt8](repeating: 0, count: data.count + data.count / 2 + 1024)
            var position = 0
            let rc = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nil, data, data.count, &out, &position, out.count)
            precondition(rc == LZMA_OK, "lzma encode failed: \(rc)")
            return Array(out.prefix(position))
        case .zstd:
            var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
            let n = out.withUnsafeMutableBytes { dst in
                data.withUnsafeBytes { src in ZSTD_compress(dst.baseAddress, dst.count, src.baseAddress, src.count, 5) }
            }
            precondition(ZSTD_isError(n) == 0, "zstd compress failed")
            return Array(out.prefix(n))
        case .lz4:
            var out = [UInt8](repeating: 0, count: Int(LZ4_compressBound(Int32(data.count))))
            let n = out.withUnsafeMutableBytes { dst in
                data.withUnsafeBytes { src in
                    LZ4_compress_default(src.baseAddress?.assumingMemoryBound(to: CChar.self),
                                         dst.baseAddress?.assumingMemoryBound(to: CChar.self),
                                         Int32(src.count), Int32(dst.count))
                }
            }
            precondition(n > 0, "lz4 compress failed")
            return withChecksum(Array(out.prefix(Int(n))))
        }
    }

    /// An LZ4 body prefixed with the big-endian XXH64 (seed 0) of the compressed bytes.
    static func withChecksum(_ lz4: [UInt8]) -> [UInt8] {
        let hash = lz4.withUnsafeBytes { XXH64($0.baseAddress, $0.count, 0) }
        return withUnsafeBytes(of: hash.bigEndian) { Array($0) } + lz4
    }

    static func tag(_ algorithm: Algorithm) -> (String, UInt8) {
        switch algorithm {
        case .zlib: ("ZL", 8)
        case .lzma: ("XZ", 0)
        case .zstd: ("ZS", 1)
        case .lz4: ("L4", 1)
        }
    }

    /// One complete block (header and body) holding `data`.
    static func block(_ algorithm: Algorithm, _ data: [UInt8]) -> [UInt8] {
        let compressed = body(algorithm, data)
        let (tag, method) = tag(algorithm)
        return header(tag: tag, method: method, compressed: compressed.count, uncompressed: data.count) + compressed
    }

    /// A payload of blocks, each holding at most `blockSize` bytes of `data`.
    static func payload(_ algorithm: Algorithm, _ data: [UInt8], blockSize: Int) -> [UInt8] {
        stride(from: 0, to: data.count, by: blockSize).flatMap { start in
            block(algorithm, Array(data[start..<min(start + blockSize, data.count)]))
        }
    }
}

/// Deterministic, somewhat compressible test data.
func sampleData(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { i in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        // Mix runs and noise so every codec has something to do.
        return i % 7 < 3 ? UInt8(i % 251) : UInt8(truncatingIfNeeded: state >> 59)
    }
}

@Suite("Decompressor")
struct DecompressorTests {
    @Test("single blocks round-trip", arguments: BlockBuilder.Algorithm.allCases)
    func roundTrip(_ algorithm: BlockBuilder.Algorithm) throws {
        let data = sampleData(50_000)
        let payload = BlockBuilder.block(algorithm, data)
        #expect(payload.count < data.count)
        #expect(try Decompressor.decompress(payload, uncompressedSize: data.count) == data)
        let expected: CompressionAlgorithm = switch algorithm {
        case .zlib: .zlib
        case .lzma: .lzma
        case .zstd: .zstd
        case .lz4: .lz4
        }
        #expect(Decompressor.algorithm(of: payload, uncompressedSize: data.count) == expected)
        let headers = try payload.withUnsafeBytes { try Decompressor.blockHeaders($0, uncompressedSize: data.count) }
        #expect(headers.count == 1)
        #expect(headers.first?.algorithm == expected)
        #expect(headers.first?.uncompressedSize == data.count)
        #expect(headers.first?.compressedSize == payload.count - CompressionBlockHeader.size)
    }

    @Test("multi-block payloads round-trip", arguments: BlockBuilder.Algorithm.allCases)
    func multiBlock(_ algorithm: BlockBuilder.Algorithm) throws {
        // ROOT caps a block at 0xFFFFFF bytes; use small blocks to get several, with a short last one.
        let data = sampleData(70_001, seed: 42)
        let payload = BlockBuilder.payload(algorithm, data, blockSize: 16_384)
        let headers = try payload.withUnsafeBytes { try Decompressor.blockHeaders($0, uncompressedSize: data.count) }
        #expect(headers.count == 5)
        #expect(headers.map(\.uncompressedSize) == [16_384, 16_384, 16_384, 16_384, 4_465])
        #expect(try Decompressor.decompress(payload, uncompressedSize: data.count) == data)
    }

    @Test("blocks of different algorithms can follow each other")
    func mixedAlgorithms() throws {
        let data = sampleData(40_000, seed: 7)
        let parts = stride(from: 0, to: data.count, by: 10_000).map { Array(data[$0..<($0 + 10_000)]) }
        let payload = zip(BlockBuilder.Algorithm.allCases, parts).flatMap { BlockBuilder.block($0, $1) }
        #expect(try Decompressor.decompress(payload, uncompressedSize: data.count) == data)
    }

    @Test("a raw payload is reported as uncompressed; an empty one decodes to nothing")
    func rawAndEmpty() throws {
        let data = sampleData(100)
        #expect(Decompressor.algorithm(of: data, uncompressedSize: 100) == .none)
        #expect(try Decompressor.decompress([], uncompressedSize: 0) == [])
    }

    @Test("\"CS\" blocks are .unsupportedCompression")
    func oldROOTAlgorithm() {
        let payload = BlockBuilder.header(tag: "CS", method: 8, compressed: 4, uncompressed: 10) + [1, 2, 3, 4]
        #expect(Decompressor.algorithm(of: payload, uncompressedSize: 10) == .oldROOT)
        let error = expectKaonError(.unsupportedCompression) { try Decompressor.decompress(payload, uncompressedSize: 10) }
        #expect(error?.message.contains("CS") == true)
        // Also when it is not the first block.
        let data = sampleData(1000)
        let mixed = BlockBuilder.block(.zlib, data) + payload
        expectKaonError(.unsupportedCompression) { try Decompressor.decompress(mixed, uncompressedSize: 1010) }
    }

    @Test("an unknown block tag is .corruptCompression")
    func unknownTag() {
        let data = sampleData(1000)
        var payload = BlockBuilder.block(.zstd, data)
        payload[0] = UInt8(ascii: "Q")
        expectKaonError(.corruptCompression) { try Decompressor.decompress(payload, uncompressedSize: data.count) }
        // Trailing garbage shorter than a header after a good block.
        let trailing = BlockBuilder.block(.zstd, data) + [0x5A, 0x4C, 8]
        expectKaonError(.corruptCompression) { try Decompressor.decompress(trailing, uncompressedSize: data.count) }
    }

    @Test("corrupt compressed bytes are .corruptCompression", arguments: BlockBuilder.Algorithm.allCases)
    func corruptBody(_ algorithm: BlockBuilder.Algorithm) {
        let data = sampleData(20_000, seed: 3)
        var payload = BlockBuilder.block(algorithm, data)
        let h = CompressionBlockHeader.size
        switch algorithm {
        case .zlib, .lzma:
            // Both carry a checksum (Adler-32, CRC-64), so any damage is detected.
            payload[h + (payload.count - h) / 2] ^= 0x5A
        case .zstd:
            // Without a content checksum only structural damage is certain to be detected.
            payload[h] ^= 0xFF  // the frame magic
        case .lz4:
            // Garbage with a *valid* checksum, so it reaches the LZ4 decoder itself.
            let garbage = [UInt8](repeating: 0xFF, count: payload.count - h - 8)
            payload = Array(payload.prefix(h)) + BlockBuilder.withChecksum(garbage)
        }
        let error = expectKaonError(.corruptCompression) { try Decompressor.decompress(payload, uncompressedSize: data.count) }
        #expect(error.map { !$0.message.isEmpty } == true)
    }

    @Test("a body that decodes to fewer bytes than declared is .corruptCompression", arguments: BlockBuilder.Algorithm.allCases)
    func shortOutput(_ algorithm: BlockBuilder.Algorithm) {
        let data = sampleData(5_000, seed: 11)
        let body = BlockBuilder.body(algorithm, data)
        let (tag, method) = BlockBuilder.tag(algorithm)
        // The header claims one more byte than the body holds.
        let payload = BlockBuilder.header(tag: tag, method: method, compressed: body.count, uncompressed: data.count + 1) + body
        expectKaonError(.corruptCompression) { try Decompressor.decompress(payload, uncompressedSize: data.count + 1) }
    }

    @Test("an LZ4 checksum mismatch is .corruptCompression naming the checksum")
    func lz4Checksum() {
        let data = sampleData(8_000, seed: 5)
        let good = BlockBuilder.block(.lz4, data)
        for index in [CompressionBlockHeader.size, CompressionBlockHeader.size + 7, CompressionBlockHeader.size + 8, good.count - 1] {
            var payload = good
            payload[index] ^= 0x01
            let error = expectKaonError(.corruptCompression) { try Decompressor.decompress(payload, uncompressedSize: data.count) }
            #expect(error?.message.contains("checksum") == true, "byte \(index): \(error.map(String.init(describing:)) ?? "no error")")
        }
        // A body too short to hold its checksum.
        let tiny = BlockBuilder.header(tag: "L4", method: 1, compressed: 5, uncompressed: 10) + [1, 2, 3, 4, 5]
        let error = expectKaonError(.corruptCompression) { try Decompressor.decompress(tiny, uncompressedSize: 10) }
        #expect(error?.message.contains("checksum") == true)
    }

    @Test("inconsistent declared sizes are rejected before any allocation")
    func inconsistentSizes() {
        let data = sampleData(3_000, seed: 9)
        let block = BlockBuilder.block(.zstd, data)
        // The caller expects far more than the blocks hold: allocating it first would die.
        for claimed in [Int.max, 1 << 50, Int(Int32.max), data.count + 1] {
            let error = expectKaonError(.corruptCompression) { try Decompressor.decompress(block, uncompressedSize: claimed) }
            #expect(error?.message.contains("\(claimed)") == true)
        }
        // The caller expects less than the blocks declare.
        expectKaonError(.corruptCompression) { try Decompressor.decompress(block, uncompressedSize: data.count - 1) }
        expectKaonError(.corruptCompression) { try Decompressor.decompress(block, uncompressedSize: 0) }
        expectKaonError(.corruptCompression) { try Decompressor.decompress(block, uncompressedSize: -1) }
        expectKaonError(.corruptCompression) { try Decompressor.decompress([], uncompressedSize: 10) }
        expectKaonError(.corruptCompression) { try Decompressor.decompress([], uncompressedSize: -5) }
        // A block declaring more compressed bytes than the payload holds.
        var overlong = block
        overlong[3] = 0xFF; overlong[4] = 0xFF; overlong[5] = 0xFF
        let overlongError = expectKaonError(.corruptCompression) { try Decompressor.decompress(overlong, uncompressedSize: data.count) }
        #expect(overlongError?.message.contains("remain") == true)
        // The truncated payload of a good block.
        expectKaonError(.corruptCompression) { try Decompressor.decompress(Array(block.dropLast(1)), uncompressedSize: data.count) }
        // A block header claiming the 24-bit maximum while the caller expects the real size.
        var bigClaim = block
        bigClaim[6] = 0xFF; bigClaim[7] = 0xFF; bigClaim[8] = 0xFF
        expectKaonError(.corruptCompression) { try Decompressor.decompress(bigClaim, uncompressedSize: data.count) }
        // Two blocks whose sum exceeds the expected size, each alone fitting.
        let two = BlockBuilder.payload(.zlib, data, blockSize: 2_000)
        expectKaonError(.corruptCompression) { try Decompressor.decompress(two, uncompressedSize: 2_500) }
    }

    @Test("zero-length blocks never trap", arguments: ["ZL", "XZ", "ZS", "L4"])
    func zeroLengthBlocks(_ tag: String) throws {
        let data = sampleData(1000)
        let empty = BlockBuilder.header(tag: tag, method: 1, compressed: 0, uncompressed: 0)
        // An empty block either decodes to nothing or is reported as corrupt; the codec
        // must not be handed a null buffer it dereferences.
        for payload in [empty, empty + BlockBuilder.block(.zstd, data)] {
            let size = payload.count == empty.count ? 0 : data.count
            do {
                #expect(try Decompressor.decompress(payload, uncompressedSize: size) == Array(data.prefix(size)))
            } catch let error as KaonError {
                #expect(error.kind == .corruptCompression)
            }
        }
        // A block declaring output but holding no input.
        let hollow = BlockBuilder.header(tag: tag, method: 1, compressed: 0, uncompressed: 10)
        expectKaonError(.corruptCompression) { try Decompressor.decompress(hollow, uncompressedSize: 10) }
    }
}

@Suite("ByteSource and LocalFileSource")
struct ByteSourceTests {
    struct Memory: ByteSource {
        let name = "memory"
        let bytes: [UInt8]
        var size: Int { bytes.count }
        func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
            try ranges.map { _ = try checkedRange(offset: $0.lowerBound, count: $0.count); return Array(bytes[$0]) }
        }
    }

    @Test("checkedRange rejects ranges outside the source, including overflowing ones")
    func checkedRange() throws {
        let source = Memory(bytes: [UInt8](repeating: 1, count: 100))
        #expect(try source.checkedRange(offset: 0, count: 100) == 0..<100)
        #expect(try source.checkedRange(offset: 100, count: 0) == 100..<100)
        for (offset, count) in [(0, 101), (100, 1), (101, 0), (-1, 1), (1, -1), (Int.max, 1), (1, Int.max), (Int.max, Int.max), (Int.min, 0)] {
            let error = expectKaonError(.truncated) { try source.checkedRange(offset: offset, count: count) }
            #expect(error?.file == "memory")
        }
        #expect(try source.read(at: 98, count: 2) == [1, 1])
    }

    @Test("a missing file is a .system error naming the file")
    func missingFile() {
        let path = "/nonexistent-kaon-test-dir/definitely-missing.root"
        let error = expectKaonError(.system) { try LocalFileSource(path: path) }
        #expect(error?.file == path)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("No such file") == true)
    }

    @Test("a directory is refused, naming it")
    func directory() {
        let error = expectKaonError(.usage) { try LocalFileSource(path: "/tmp") }
        #expect(error?.file == "/tmp")
    }

    @Test("LocalFileSource reads vectored ranges and refuses ranges past the end")
    func localFile() throws {
        var template = Array((temporaryDirectory + "/kaon-io-test-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        try #require(fd >= 0, "cannot create a temporary file")
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let data = sampleData(10_000)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        try #require(written == data.count)

        let source = try LocalFileSource(path: path)
        #expect(source.size == data.count)
        #expect(source.name == path)
        let parts = try source.read([0..<10, 9_990..<10_000, 500..<500, 1234..<5678])
        #expect(parts == [Array(data[0..<10]), Array(data[9_990..<10_000]), [], Array(data[1234..<5678])])
        let error = expectKaonError(.truncated) { try source.read([0..<10, 9_999..<10_001]) }
        #expect(error?.file == path)
        expectKaonError(.truncated) { try source.read(at: 10_000, count: 1) }
        expectKaonError(.truncated) { try source.read(at: -1, count: 1) }
        expectKaonError(.truncated) { try source.read(at: 0, count: Int.max) }
    }
}
