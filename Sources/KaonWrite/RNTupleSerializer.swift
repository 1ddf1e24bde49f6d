import KaonIO

/// A little-endian buffer for RNTuple's metadata (spec 1.0): integers, strings, the record
/// and list frames that let readers skip what they do not know, locators and envelopes.
///
/// Frames are written with a size placeholder patched when the body is done: a record
/// frame's size is positive, a list frame's negative and followed by its item count; both
/// sizes count the frame's own preamble.
struct RNTupleSerializer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u16(_ value: UInt16) { put(value) }
    mutating func u32(_ value: UInt32) { put(value) }
    mutating func u64(_ value: UInt64) { put(value) }
    mutating func i32(_ value: Int32) { put(value) }
    mutating func i64(_ value: Int64) { put(value) }
    mutating func u32(_ value: Int) { put(UInt32(truncatingIfNeeded: value)) }
    mutating func u64(_ value: Int) { put(UInt64(value)) }

    /// A string: u32 length and UTF-8 bytes (no terminator).
    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        u32(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    /// Feature flags: one 64-bit word, none set (spec 1.0 defines none a reader must know).
    mutating func featureFlags() { u64(0 as UInt64) }

    /// A record frame around `body`.
    mutating func record(_ body: (inout RNTupleSerializer) -> Void) {
        let start = bytes.count
        i64(0)
        body(&self)
        patchSize(Int64(bytes.count - start), at: start)
    }

    /// A list frame of `items`, each written by `body` (usually a record frame itself).
    /// `trailer` writes what follows the items inside the frame (a page list's element
    /// offset and compression settings).
    mutating func list<C: Collection>(_ items: C, _ body: (inout RNTupleSerializer, C.Element) -> Void,
                                      trailer: (inout RNTupleSerializer) -> Void = { _ in }) {
        let start = bytes.count
        i64(0)
        u32(items.count)
        for item in items { body(&self, item) }
        trailer(&self)
        patchSize(-Int64(bytes.count - start), at: start)
    }

    private mutating func patchSize(_ size: Int64, at position: Int) {
        withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange(position..<(position + 8), with: $0) }
    }

    /// A standard locator: the stored size (i32) and the file offset (u64). Pages and
    /// envelopes are far below 2 GB each, so the large-locator form is never needed.
    mutating func locator(offset: Int, size: Int) {
        i32(Int32(size))
        u64(offset)
    }

    /// An envelope link: the uncompressed length and the locator of the stored bytes.
    mutating func envelopeLink(length: Int, offset: Int, size: Int) {
        u64(length)
        locator(offset: offset, size: size)
    }

    /// `payload` framed as an envelope of `type` (1 header, 2 footer, 3 page list): the
    /// type-and-length word, the payload and the XXH3 checksum of everything before it.
    static func envelope(type: UInt16, payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 16
        var out = RNTupleSerializer(capacity: length)
        out.u64(UInt64(type) | UInt64(length) << 16)
        out.bytes.append(contentsOf: payload)
        out.u64(xxh3_64(out.bytes))
        return out.bytes
    }
}
