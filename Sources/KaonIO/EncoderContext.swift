import CKaonCodecs

/// Reusable encoder state (a zstd context, libdeflate compressors by level), lent out by
/// a `ContextPool`: see there for why.
// Used by one call at a time; contexts only change threads through the pool's lock.
final class EncoderContext: @unchecked Sendable {
    let zstd: OpaquePointer
    private var deflaters: [Int32: OpaquePointer] = [:]

    init?() {
        guard let zstd = ZSTD_createCCtx() else { return nil }
        self.zstd = zstd
    }

    deinit {
        ZSTD_freeCCtx(zstd)
        for compressor in deflaters.values { libdeflate_free_compressor(compressor) }
    }

    /// The libdeflate compressor for `level`, created on first use.
    func deflater(level: Int32) -> OpaquePointer? {
        if let existing = deflaters[level] { return existing }
        let made = libdeflate_alloc_compressor(level)
        deflaters[level] = made
        return made
    }

    private static let pool = ContextPool { EncoderContext() }

    /// Runs `body` with a pooled encoder context.
    static func with<T>(_ body: (EncoderContext) throws -> T) throws -> T {
        try pool.with(body)
    }
}
