import CKaonCodecs

/// The compression algorithms a ROOT compression block can declare.
public enum CompressionAlgorithm: String, Sendable, CaseIterable {
    case none, zlib, lzma, lz4, zstd
    /// ROOT's pre-zlib algorithm ("CS"), which Kaon reports as unsupported.
    case oldROOT = "old"

    /// ROOT's numeric code in a compression setting (`algorithm * 100 + level`).
    public var rootCode: Int {
        switch self {
        case .none: 0
        case .zlib: 1
        case .lzma: 2
        case .oldROOT: 3
        case .lz4: 4
        case .zstd: 5
        }
    }

    /// The algorithm of a ROOT compression setting (`fCompress`), e.g. 505 → zstd.
    public init?(rootSetting: Int) {
        switch rootSetting / 100 {
        case 0: self = rootSetting % 100 == 0 ? .none : .zlib  // 0 = global default, historically zlib
        case 1: self = .zlib
        case 2: self = .lzma
        case 3: self = .oldROOT
        case 4: self = .lz4
        case 5: self = .zstd
        default: return nil
        }
    }

    /// The algorithm named by a block's two-byte tag.
    init?(tag: (UInt8, UInt8)) {
        switch tag {
        case (0x5A, 0x4C): self = .zlib      // "ZL"
        case (0x58, 0x5A): self = .lzma      // "XZ"
        case (0x4C, 0x34): self = .lz4       // "L4"
        case (0x5A, 0x53): self = .zstd      // "ZS"
        case (0x43, 0x53): self = .oldROOT   // "CS"
        default: return nil
        }
    }
}

/// One block header of ROOT's compression framing (9 bytes: tag, method, two u24 sizes).
public struct CompressionBlockHeader: Sendable, Equatable {
    public static let size = 9
    public var algorithm: CompressionAlgorithm
    public var compressedSize: Int
    public var uncompressedSize: Int

    /// Parses the header at `offset` of `bytes`, or returns nil if the bytes are not one.
    public init?(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard offset >= 0, bytes.count - offset >= Self.size,
              let algorithm = CompressionAlgorithm(tag: (bytes[offset], bytes[offset + 1]))
        else { return nil }
        func u24(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16
        }
        self.algorithm = algorithm
        compressedSize = u24(offset + 3)
        uncompressedSize = u24(offset + 6)
    }
}

/// Decodes ROOT's compressed payloads: a sequence of blocks, each framed by a 9-byte header.
public enum Decompressor {
    /// The algorithm of the first block of `payload`, or `.none` if it is stored raw.
    public static func algorithm(of payload: [UInt8], uncompressedSize: Int) -> CompressionAlgorithm {
        if payload.count == uncompressedSize { return .none }
        return payload.withUnsafeBytes { CompressionBlockHeader($0, at: 0)?.algorithm } ?? .none
    }

    /// Decompresses `payload` (one or more blocks) into exactly `uncompressedSize` bytes.
    ///
    /// `uncompressedSize` is checked against `budget` (that of the file the payload comes
    /// from; by default only the process-wide ``AllocationBudget/anyFile``), and the block headers are all parsed and their sizes checked against it and the
    /// payload length, before any memory is allocated, so corrupt sizes cannot cause a huge
    /// allocation.
    public static func decompress(_ payload: [UInt8], uncompressedSize: Int, budget: AllocationBudget = .anyFile) throws -> [UInt8] {
        try payload.withUnsafeBytes { try decompress($0, uncompressedSize: uncompressedSize, budget: budget) }
    }

    /// Decompresses from raw memory; see `decompress(_:uncompressedSize:budget:)`.
    public static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int, budget: AllocationBudget = .anyFile) throws -> [UInt8] {
        let headers = try blockHeaders(input, uncompressedSize: uncompressedSize)
        try budget.check(uncompressedSize, "compressed payload (uncompressed size)")
        if uncompressedSize == 0 { return [] }
        return try [UInt8](unsafeUninitializedCapacity: uncompressedSize) { output, initialized in
            try decodeBlocks(headers, from: input, into: UnsafeMutableRawBufferPointer(output))
            initialized = uncompressedSize
        }
    }

    /// Decompresses into `output`, which ends up holding exactly `uncompressedSize` bytes.
    ///
    /// `output`'s storage is reused when it is uniquely referenced and large enough, so a
    /// reader that decompresses basket after basket into one recycled array touches the same
    /// memory each time instead of faulting in fresh pages for every basket.
    public static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int, budget: AllocationBudget = .anyFile,
                                  into output: inout [UInt8]) throws {
        let headers = try blockHeaders(input, uncompressedSize: uncompressedSize)
        try budget.check(uncompressedSize, "compressed payload (uncompressed size)")
        // Resized in place when the capacity suffices; the zeros only make the new bytes
        // initialised Swift memory before the decoders overwrite them.
        if output.count > uncompressedSize {
            output.removeLast(output.count - uncompressedSize)
        } else if output.count < uncompressedSize {
            output.reserveCapacity(uncompressedSize)
            output.append(contentsOf: repeatElement(0, count: uncompressedSize - output.count))
        }
        try output.withUnsafeMutableBytes { try decodeBlocks(headers, from: input, into: $0) }
    }

    /// Decodes the blocks `headers` describes, back to back, into `output`.
    private static func decodeBlocks(_ headers: [CompressionBlockHeader], from input: UnsafeRawBufferPointer,
                                     into output: UnsafeMutableRawBufferPointer) throws {
        var inOffset = 0
        var outOffset = 0
        for header in headers {
            let start = inOffset + CompressionBlockHeader.size
            let source = UnsafeRawBufferPointer(rebasing: input[start..<(start + header.compressedSize)])
            let target = UnsafeMutableRawBufferPointer(rebasing: output[outOffset..<(outOffset + header.uncompressedSize)])
            try decodeBlock(header, from: source, into: target)
            inOffset = start + header.compressedSize
            outOffset += header.uncompressedSize
        }
    }

    /// Parses and validates every block header of a payload.
    public static func blockHeaders(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> [CompressionBlockHeader] {
        var headers: [CompressionBlockHeader] = []
        var offset = 0
        var total = 0
        while offset < input.count {
            guard let header = CompressionBlockHeader(input, at: offset) else {
                throw KaonError(.corruptCompression, "unrecognised compression block header at byte \(offset)")
            }
            if header.algorithm == .oldROOT {
                throw KaonError(.unsupportedCompression, "unsupported compression: ROOT's obsolete \"CS\" algorithm")
            }
            guard header.compressedSize <= input.count - offset - CompressionBlockHeader.size else {
                throw KaonError(.corruptCompression, "compression block at byte \(offset) declares \(header.compressedSize) bytes but only \(input.count - offset - CompressionBlockHeader.size) remain")
            }
            total += header.uncompressedSize
            guard total <= uncompressedSize else {
                throw KaonError(.corruptCompression, "compression blocks declare more than the expected \(uncompressedSize) bytes")
            }
            headers.append(header)
            offset += CompressionBlockHeader.size + header.compressedSize
        }
        guard total == uncompressedSize else {
            throw KaonError(.corruptCompression, "compression blocks hold \(total) bytes, expected \(uncompressedSize)")
        }
        return headers
    }

    static func decodeBlock(_ header: CompressionBlockHeader, from source: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) throws {
        let expected = header.uncompressedSize
        var produced = -1
        switch header.algorithm {
        case .zlib:
            var actual = 0
            let result = try DecoderContext.with {
                libdeflate_zlib_decompress($0.deflate, source.baseAddress, source.count, target.baseAddress, target.count, &actual)
            }
            if result == LIBDEFLATE_SUCCESS { produced = actual }
        case .lzma:
            var memlimit: UInt64 = 1 << 30  // ROOT's LZMA blocks need a few MB; refuse absurd dictionaries
            var inPos = 0
            var outPos = 0
            let result = lzma_stream_buffer_decode(&memlimit, 0, nil,
                                                   source.baseAddress?.assumingMemoryBound(to: UInt8.self), &inPos, source.count,
                                                   target.baseAddress?.assumingMemoryBound(to: UInt8.self), &outPos, target.count)
            if result == LZMA_OK { produced = outPos }
        case .zstd:
            let result = try DecoderContext.with {
                ZSTD_decompressDCtx($0.zstd, target.baseAddress, target.count, source.baseAddress, source.count)
            }
            if ZSTD_isError(result) == 0 { produced = result }
        case .lz4:
            guard source.count >= 8 else {
                throw KaonError(.corruptCompression, "LZ4 block too short for its checksum")
            }
            var stored: UInt64 = 0
            for i in 0..<8 { stored = stored << 8 | UInt64(source[i]) }
            let body = UnsafeRawBufferPointer(rebasing: source[8...])
            let computed = XXH64(body.baseAddress, body.count, 0)
            guard computed == stored else {
                throw KaonError(.corruptCompression, "LZ4 block checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
            }
            let result = LZ4_decompress_safe(body.baseAddress?.assumingMemoryBound(to: CChar.self),
                                             target.baseAddress?.assumingMemoryBound(to: CChar.self),
                                             Int32(body.count), Int32(target.count))
            if result >= 0 { produced = Int(result) }
        case .none, .oldROOT:
            throw KaonError(.unsupportedCompression, "unsupported compression block")
        }
        guard produced == expected else {
            throw KaonError(.corruptCompression, "corrupt \(header.algorithm.rawValue) block: expected \(expected) bytes, decoder produced \(produced < 0 ? "an error" : String(produced))")
        }
    }

    private static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
