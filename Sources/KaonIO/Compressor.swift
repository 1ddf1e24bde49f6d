import CKaonCodecs

/// A ROOT compression setting: an algorithm and a level, stored in files as
/// `algorithm·100 + level` (`fCompress`), e.g. 505 = ZSTD level 5.
public struct CompressionSettings: Sendable, Equatable, CustomStringConvertible {
    /// The algorithm; `.none` (or level 0) stores payloads raw.
    public var algorithm: CompressionAlgorithm
    /// 0 (no compression) … 9 (zlib, LZMA, LZ4) or … 22 (ZSTD, clamped to 99 by the encoding).
    public var level: Int

    /// Settings from an algorithm and a level; the level is clamped to 0…99.
    public init(_ algorithm: CompressionAlgorithm, level: Int) {
        self.algorithm = algorithm == .oldROOT ? .zlib : algorithm
        self.level = max(0, min(level, 99))
        if self.algorithm == .none { self.level = 0 }
    }

    /// Settings from ROOT's integer form (`fCompress`): 0 none, 101 zlib-1, 207 LZMA-7, …
    /// Algorithm 0 with a level means zlib, as in ROOT ("global default").
    public init(rootSetting: Int) {
        let algorithm = CompressionAlgorithm(rootSetting: max(0, rootSetting)) ?? .zlib
        self.init(algorithm, level: max(0, rootSetting) % 100)
    }

    /// Parses `zlib:6`, `lzma:9`, `lz4:4`, `zstd:5`, `none`, or a number like `505`; nil
    /// for anything `parsed(_:)` refuses.
    public init?(parsing text: String) {
        guard let settings = try? Self.parsed(text) else { return nil }
        self = settings
    }

    /// Parses `ALGORITHM[:LEVEL]` (zlib, lzma, lz4, zstd, none) or ROOT's integer form
    /// `ALGORITHM·100 + LEVEL` (101, 207, 404, 505, 0), checking the level against
    /// `levels(_:)`. Throws a usage error that names the accepted range.
    public static func parsed(_ text: String) throws -> CompressionSettings {
        if let number = Int(text) {
            // ROOT's codes: 0 none, 1 zlib, 2 lzma, 3 the old ROOT algorithm (read, never
            // written), 4 lz4, 5 zstd; 0 with a level means zlib ("global default").
            let writable: [Int: CompressionAlgorithm] = [0: .zlib, 1: .zlib, 2: .lzma, 4: .lz4, 5: .zstd]
            guard number >= 0, let algorithm = writable[number / 100] else {
                throw KaonError(.usage, "compression \(text) is not ALGORITHM·100 + LEVEL with ALGORITHM 1 (zlib), "
                                + "2 (lzma), 4 (lz4) or 5 (zstd), or 0 for none")
            }
            if number == 0 { return .none }
            try checkLevel(number % 100, algorithm, text: text)
            return CompressionSettings(algorithm, level: number % 100)
        }
        let parts = text.lowercased().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let algorithm = CompressionAlgorithm(rawValue: String(parts[0])), algorithm != .oldROOT else {
            throw KaonError(.usage, "compression \(text) is not ALGORITHM:LEVEL with ALGORITHM zlib, lzma, lz4, zstd or none")
        }
        guard parts.count == 2 else { return CompressionSettings(algorithm, level: defaultLevel(algorithm)) }
        guard let level = Int(parts[1]) else {
            throw KaonError(.usage, "compression \(text): the level \(parts[1]) is not a number")
        }
        try checkLevel(level, algorithm, text: text)
        return CompressionSettings(algorithm, level: level)
    }

    /// The levels Kaon writes for an algorithm; 0 stores payloads uncompressed. ROOT's
    /// zlib, LZMA and LZ4 levels are 1–9 (`Compression.h`); Kaon hands a ZSTD level to
    /// libzstd unchanged, whose levels are 1–22.
    public static func levels(_ algorithm: CompressionAlgorithm) -> ClosedRange<Int> {
        switch algorithm {
        case .none: 0...0
        case .zlib, .oldROOT, .lzma, .lz4: 0...9
        case .zstd: 0...22
        }
    }

    private static func checkLevel(_ level: Int, _ algorithm: CompressionAlgorithm, text: String) throws {
        let range = levels(algorithm)
        guard range.contains(level) else {
            throw KaonError(.usage, "compression \(text): \(algorithm.rawValue) levels are \(range.lowerBound)-\(range.upperBound) "
                            + "(0 = uncompressed), not \(level)")
        }
    }

    /// ROOT's default level for each algorithm (`core/zip/inc/Compression.h`: 101, 207, 404, 505).
    public static func defaultLevel(_ algorithm: CompressionAlgorithm) -> Int {
        switch algorithm {
        case .none: 0
        case .zlib, .oldROOT: 1
        case .lzma: 7
        case .lz4: 4
        case .zstd: 5
        }
    }

    /// No compression.
    public static let none = CompressionSettings(.none, level: 0)
    /// ROOT 6's default for new files (ZSTD 5 since 6.30; older versions used zlib 1).
    public static let rootDefault = CompressionSettings(.zstd, level: 5)

    /// `algorithm·100 + level`, as stored in `fCompress`.
    public var rootSetting: Int { algorithm == .none || level == 0 ? 0 : algorithm.rootCode * 100 + level }

    /// Whether payloads are stored raw.
    public var isNone: Bool { rootSetting == 0 }

    /// `zstd:5`-style text, or `none`.
    public var description: String { isNone ? "none" : "\(algorithm.rawValue):\(level)" }
}

/// Encodes payloads in ROOT's compression framing: blocks of at most 0xFFFFFF input bytes,
/// each behind a 9-byte header (tag, method, compressed and uncompressed u24 sizes).
///
/// The result is what a TKey or TBasket stores after its header. Whenever compressing does
/// not make the payload smaller, or an encoder fails, the payload is returned unchanged —
/// readers recognise raw payloads by `stored size == uncompressed size`, as ROOT does.
public enum Compressor {
    /// The largest input one block may hold (its sizes are 24-bit).
    public static let maximumBlockInput = 0xFF_FFFF

    /// Compresses `input` with `settings`; returns `input` itself when that is not smaller.
    public static func compress(_ input: [UInt8], settings: CompressionSettings) -> [UInt8] {
        guard !settings.isNone, !input.isEmpty else { return input }
        return input.withUnsafeBytes { raw in
            compress(raw, settings: settings) ?? input
        }
    }

    /// Compresses raw memory; nil means "store raw" (no gain, or an encoder error).
    public static func compress(_ input: UnsafeRawBufferPointer, settings: CompressionSettings) -> [UInt8]? {
        guard !settings.isNone, input.count > 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var start = 0
        while start < input.count {
            let end = min(start + maximumBlockInput, input.count)
            let chunk = UnsafeRawBufferPointer(rebasing: input[start..<end])
            guard let block = encodeBlock(chunk, settings: settings) else { return nil }
            output.append(contentsOf: block)
            // Give up as soon as the framed output can no longer beat the raw bytes.
            if output.count >= end { return nil }
            start = end
        }
        return output.count < input.count ? output : nil
    }

    /// One framed block (header + encoded bytes), or nil if the encoder failed or the
    /// encoded bytes do not fit the 24-bit size field.
    static func encodeBlock(_ chunk: UnsafeRawBufferPointer, settings: CompressionSettings) -> [UInt8]? {
        // Encoded output never needs to exceed the input: larger means "store raw".
        let capacity = chunk.count + 64
        var body = [UInt8](repeating: 0, count: capacity)
        let produced: Int = body.withUnsafeMutableBytes { out -> Int in
            switch settings.algorithm {
            case .zlib, .oldROOT:
                let level = Int32(min(max(settings.level, 1), 12))
                return (try? EncoderContext.with { context -> Int in
                    guard let compressor = context.deflater(level: level) else { return 0 }
                    return libdeflate_zlib_compress(compressor, chunk.baseAddress, chunk.count, out.baseAddress, out.count)
                }) ?? 0
            case .lzma:
                // ROOT's R__zipLZMA: lzma_easy_encoder(preset = level, LZMA_CHECK_CRC32).
                var position = 0
                let result = lzma_easy_buffer_encode(UInt32(min(settings.level, 9)), LZMA_CHECK_CRC32, nil,
                                                     chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count,
                                                     out.baseAddress?.assumingMemoryBound(to: UInt8.self), &position, out.count)
                return result == LZMA_OK ? position : 0
            case .lz4:
                // ROOT's R__zipLZ4: 8 bytes of XXH64 checksum (big-endian, of the LZ4 block)
                // first, then the raw LZ4 block. Levels are clamped to 9; levels ≥ 4 use the
                // HC encoder at that level, lower levels the fast default encoder.
                guard out.count > 8 else { return 0 }
                let target = UnsafeMutableRawBufferPointer(rebasing: out[8...])
                let level = Int32(min(settings.level, 9))
                let source = chunk.baseAddress?.assumingMemoryBound(to: CChar.self)
                let destination = target.baseAddress?.assumingMemoryBound(to: CChar.self)
                let written = level >= 4
                    ? LZ4_compress_HC(source, destination, Int32(chunk.count), Int32(target.count), level)
                    : LZ4_compress_default(source, destination, Int32(chunk.count), Int32(target.count))
                guard written > 0 else { return 0 }
                let checksum = XXH64(target.baseAddress, Int(written), 0)
                for i in 0..<8 { out[i] = UInt8(truncatingIfNeeded: checksum >> (56 - 8 * UInt64(i))) }
                return Int(written) + 8
            case .zstd:
                let level = Int32(min(settings.level, 22))
                return (try? EncoderContext.with { context -> Int in
                    let result = ZSTD_compressCCtx(context.zstd, out.baseAddress, out.count, chunk.baseAddress, chunk.count, level)
                    return ZSTD_isError(result) == 0 ? result : 0
                }) ?? 0
            case .none:
                return 0
            }
        }
        guard produced > 0, produced <= maximumBlockInput else { return nil }
        let (tag, method): ((UInt8, UInt8), UInt8) = switch settings.algorithm {
        case .zlib, .oldROOT, .none: ((0x5A, 0x4C), 8)  // "ZL", Z_DEFLATED
        case .lzma: ((0x58, 0x5A), 0)                   // "XZ"
        case .lz4: ((0x4C, 0x34), 1)                    // "L4", LZ4 format version 1
        case .zstd: ((0x5A, 0x53), 1)                   // "ZS"
        }
        var block: [UInt8] = [tag.0, tag.1, method]
        block.reserveCapacity(CompressionBlockHeader.size + produced)
        for shift in [0, 8, 16] { block.append(UInt8(truncatingIfNeeded: produced >> shift)) }
        for shift in [0, 8, 16] { block.append(UInt8(truncatingIfNeeded: chunk.count >> shift)) }
        block.append(contentsOf: body[0..<produced])
        return block
    }
}
