import CKaonCodecs

/// The 64-bit XXH3 hash of `bytes` (seed 0), from libxxhash.
///
/// RNTuple protects its anchor, envelopes and (optionally) pages with this checksum; it lives
/// here so that CKaonCodecs stays a dependency of KaonIO alone.
///
/// ```swift
/// xxh3_64(Array("".utf8))   // 0x2D06800538D394C2
/// ```
public func xxh3_64<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
    if let hash = bytes.withContiguousStorageIfAvailable({ XXH3_64bits($0.baseAddress, $0.count) }) {
        return hash
    }
    return Array(bytes).withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
}
