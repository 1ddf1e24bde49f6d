import CKaonCodecs
import Synchronization

/// Reusable decoder state for the block decoders that need one (zstd, libdeflate).
///
/// Creating a zstd context allocates and initialises about 100 kB; doing that for every
/// basket showed up in profiles. Contexts are kept in a small pool and lent to one block
/// decode at a time, so concurrent readers never share one.
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

    private static let pool = Mutex<[DecoderContext]>([])

    /// Runs `body` with a context from the pool (or a new one), then returns it to the pool.
    static func with<T>(_ body: (DecoderContext) throws -> T) throws -> T {
        let lent = pool.withLock { $0.popLast() }
        guard let context = lent ?? DecoderContext() else {
            throw KaonError(.system, "out of memory creating a decompression context")
        }
        defer { pool.withLock { $0.append(context) } }
        return try body(context)
    }
}
