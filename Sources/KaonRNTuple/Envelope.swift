import KaonIO

/// The kinds of RNTuple envelope (the type ID in an envelope's first word).
enum EnvelopeType: Int {
    case header = 1, footer = 2, pageList = 3

    var name: String {
        switch self {
        case .header: "header"
        case .footer: "footer"
        case .pageList: "page list"
        }
    }
}

/// Opens an envelope: decompresses its stored bytes, verifies the XXH3 checksum at its end,
/// checks its type and length, and returns a cursor over its payload (after the 8-byte
/// type-and-length word, limited to before the checksum).
func openEnvelope(_ stored: [UInt8], link: EnvelopeLink, expected: EnvelopeType, budget: AllocationBudget) throws -> LittleEndianCursor {
    let what = "RNTuple \(expected.name) envelope"
    guard link.length >= 16 else {
        throw KaonError(.malformed, "\(what) declares \(link.length) bytes, fewer than its 16-byte frame")
    }
    // Decompressor checks `length` against the budget and the block sizes against it before
    // allocating anything.
    let bytes = link.locator.size == link.length
        ? stored
        : try Decompressor.decompress(stored, uncompressedSize: link.length, budget: budget)
    let checksumStart = bytes.count - 8
    let stored = bytes[checksumStart...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    let computed = xxh3_64(bytes[..<checksumStart])
    guard stored == computed else {
        throw KaonError(.malformed, "\(what) checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))")
    }
    var cursor = LittleEndianCursor(bytes, limit: checksumStart)
    let word = try cursor.u64()
    let type = Int(word & 0xFFFF)
    let length = Int(word >> 16)
    guard type == expected.rawValue else {
        throw KaonError(.malformed, "\(what) has envelope type \(type)")
    }
    guard length == bytes.count else {
        throw KaonError(.malformed, "\(what) says it is \(length) bytes long, but is \(bytes.count)")
    }
    return cursor
}

/// The checksum an envelope carries (of the whole uncompressed envelope), which footers and
/// page lists repeat to tie themselves to their header.
func envelopeChecksum(_ cursor: LittleEndianCursor) -> UInt64 {
    cursor.bytes[cursor.limit...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
}
