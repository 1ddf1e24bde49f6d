import Testing
import KaonIO
import KaonTestSupport

/// Round trips through `Compressor` and the reader's `Decompressor`, for every algorithm.
@Suite struct CompressorTests {
    static let algorithms: [CompressionAlgorithm] = [.zlib, .lzma, .lz4, .zstd]

    /// Compressible but not trivial data.
    static func sample(_ count: Int) -> [UInt8] {
        var state: UInt32 = 12345
        return (0..<count).map { i in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: (i / 7) % 13) &+ UInt8(truncatingIfNeeded: state >> 30)
        }
    }

    @Test(arguments: algorithms, [1, 4, 9])
    func roundTrip(algorithm: CompressionAlgorithm, level: Int) throws {
        let input = Self.sample(100_000)
        let settings = CompressionSettings(algorithm, level: level)
        let compressed = Compressor.compress(input, settings: settings)
        #expect(compressed.count < input.count)
        #expect(Decompressor.algorithm(of: compressed, uncompressedSize: input.count) == algorithm)
        #expect(try Decompressor.decompress(compressed, uncompressedSize: input.count) == input)
    }

    @Test(arguments: algorithms)
    func multipleBlocks(algorithm: CompressionAlgorithm) throws {
        // More than one 0xFFFFFF-byte block: the framing must split and the reader rejoin.
        let input = [UInt8]((0..<(Compressor.maximumBlockInput + 1000)).map { UInt8(truncatingIfNeeded: $0 / 100) })
        let compressed = Compressor.compress(input, settings: CompressionSettings(algorithm, level: 1))
        let headers = try compressed.withUnsafeBytes { try Decompressor.blockHeaders($0, uncompressedSize: input.count) }
        #expect(headers.count == 2)
        #expect(headers.allSatisfy { $0.uncompressedSize <= Compressor.maximumBlockInput })
        #expect(try Decompressor.decompress(compressed, uncompressedSize: input.count) == input)
    }

    @Test(arguments: algorithms, [testSeed(0x1DC0_4B12)])
    func incompressibleIsStoredRaw(algorithm: CompressionAlgorithm, seed: UInt64) {
        var generator = SplitMix64(state: seed)
        let input = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(Compressor.compress(input, settings: CompressionSettings(algorithm, level: 5)) == input)
    }

    @Test func noneAndLevelZeroStoreRaw() {
        let input = Self.sample(1000)
        #expect(Compressor.compress(input, settings: .none) == input)
        #expect(Compressor.compress(input, settings: CompressionSettings(.zstd, level: 0)) == input)
        #expect(Compressor.compress([], settings: CompressionSettings(.zlib, level: 1)) == [])
    }

    @Test func lz4ChecksumIsBigEndianXXH64OfBlock() throws {
        let input = Self.sample(10_000)
        let compressed = Compressor.compress(input, settings: CompressionSettings(.lz4, level: 4))
        // Header, then 8 checksum bytes counted in the compressed size.
        let header = try #require(compressed.withUnsafeBytes { CompressionBlockHeader($0, at: 0) })
        #expect(header.compressedSize == compressed.count - 9)
        #expect(Array(compressed[0..<3]) == [0x4C, 0x34, 1])
    }

    @Test func settingsParseAndEncode() {
        #expect(CompressionSettings(rootSetting: 505) == CompressionSettings(.zstd, level: 5))
        #expect(CompressionSettings(rootSetting: 207).rootSetting == 207)
        #expect(CompressionSettings(parsing: "lzma:9")?.rootSetting == 209)
        #expect(CompressionSettings(parsing: "lz4")?.rootSetting == 404)
        #expect(CompressionSettings(parsing: "none")?.rootSetting == 0)
        #expect(CompressionSettings(parsing: "101")?.algorithm == .zlib)
        #expect(CompressionSettings(parsing: "brotli:3") == nil)
        #expect(CompressionSettings(parsing: "zlib:x") == nil)
    }
}
