import CKaonCodecs

/// Reusable decoder state for the block decoders that need one (zstd, libdeflate),
/// lent out by a `ContextPool`.
// Used by one call at a time; contexts only change threads through the pool's lock.
final class DecoderContext: @unchecked Sendable {
    let zstd: OpaquePointer
    let deflate: OpaquePointer

    init?() {
        guard let zstd = ZSTD_createDCtx() else { return nil }
        guard let deflate = libdeflate_alloc_decompressor() else {
            ZSTD_freeDCtx(zstd)
            return nil
        }
        self.zstd = zstd
        self.deflate = deflate
    }

    deinit {
        ZSTD_freeDCtx(zstd)
        libdeflate_free_decompressor(deflate)
    }

    private static let pool = ContextPool { DecoderContext() }

    /// Runs `body` with a pooled decoder context.
    static func with<T>(_ body: (DecoderContext) throws -> T) throws -> T {
        try pool.with(body)
    }
}
