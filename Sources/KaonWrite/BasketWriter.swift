import KaonIO
import KaonROOT

/// One branch's current basket and the record of the baskets already written.
///
/// Entries are serialised big-endian into `data` as they arrive; `flush` writes the basket
/// as a TBasket key and keeps only its location, so memory stays at one basket per branch
/// however long the tree grows.
struct BasketWriter {
    let spec: BranchSpec
    /// The ROOT class-version header of a `std::vector` entry.
    static let vectorVersion: UInt16 = 10
    /// The basket's serialised entries.
    var data: [UInt8] = []
    /// Start of each entry in `data` (variable-size branches only).
    var entryStarts: [Int32] = []
    /// Entries in the current basket.
    var basketEntryCount = 0
    /// Per written basket: stored size, first entry, key position.
    var basketBytes: [Int32] = []
    var basketFirstEntry: [Int64] = []
    var basketSeek: [Int64] = []
    /// Entries written to this branch so far (flushed or not).
    var entries = 0
    /// fTotBytes (uncompressed, key headers included) and fZipBytes (on disk).
    var totalBytes = 0
    var zipBytes = 0
    /// Largest value seen, for counter leaves (ROOT sizes counted arrays' buffers from it).
    var maximumCount: Int64 = 0
    /// Longest string seen, for TLeafC's fLen.
    var maximumStringLength = 0
    /// Whether other branches are counted by this one (its leaf is then a "range" leaf).
    var isCounter = false
    /// Uncompressed bytes at which the basket is written (the branch's fBasketSize).
    var limit: Int

    init(spec: BranchSpec, limit: Int) {
        self.spec = spec
        self.limit = limit
        data.reserveCapacity(1024)
    }

    /// Appends entries `range` of `values` (which the tree writer has type-checked).
    mutating func append(_ values: BranchValues, entries range: Range<Int>, trackMaximum: Bool) {
        let items = spec.type.itemsPerEntry
        switch values {
        case .primitive(let type, let bytes):
            let size = type.size * items
            appendSwapped(bytes, from: range.lowerBound * size, count: range.count * size, itemSize: type.size)
            if trackMaximum {
                let itemSize = type.size, signed = type.isSigned
                bytes.withUnsafeBytes { raw in
                    for entry in range {
                        maximumCount = max(maximumCount, Self.integer(raw, at: entry * itemSize, size: itemSize, signed: signed))
                    }
                }
            }
        case .jagged(let type, let offsets, let bytes):
            let itemBytes = type.size * items
            let first = offsets[range.lowerBound] - offsets[0]
            let itemCount = offsets[range.upperBound] - offsets[range.lowerBound]
            let base = data.count
            entryStarts.reserveCapacity(entryStarts.count + range.count)
            guard case .vector = spec.type else {
                // Counted arrays: the entries' items are contiguous, so one copy and one
                // in-place swap cover the whole range; entry starts follow from the offsets.
                appendSwapped(bytes, from: first * itemBytes, count: itemCount * itemBytes, itemSize: type.size)
                for entry in range { entryStarts.append(Int32(clamping: base + (offsets[entry] - offsets[0] - first) * itemBytes)) }
                break
            }
            // A streamed std::vector per entry: byte count, class version, size, items.
            let total = itemCount * itemBytes + 10 * range.count
            data.append(contentsOf: repeatElement(0, count: total))
            bytes.withUnsafeBytes { source in
                data.withUnsafeMutableBytes { target in
                    var at = base
                    for entry in range {
                        let count = (offsets[entry + 1] - offsets[entry]) * items
                        entryStarts.append(Int32(clamping: at))
                        target.storeBytes(of: (UInt32(6 + count * type.size) | 0x4000_0000).bigEndian, toByteOffset: at, as: UInt32.self)
                        target.storeBytes(of: Self.vectorVersion.bigEndian, toByteOffset: at + 4, as: UInt16.self)
                        target.storeBytes(of: UInt32(truncatingIfNeeded: count).bigEndian, toByteOffset: at + 6, as: UInt32.self)
                        at += 10
                        let length = count * type.size
                        if length > 0 {
                            let from = (offsets[entry] - offsets[0]) * itemBytes
                            target.baseAddress!.advanced(by: at).copyMemory(from: source.baseAddress!.advanced(by: from), byteCount: length)
                            Self.swap(UnsafeMutableRawBufferPointer(rebasing: target[at..<(at + length)]), size: type.size)
                        }
                        at += length
                    }
                }
            }
        case .record(let fields):
            guard case .leafList(let leaves) = spec.type else { break }
            // Entry by entry, each leaf's values in turn (ROOT's leaf-list layout).
            for entry in range {
                for (leaf, field) in zip(leaves, fields) {
                    guard case .primitive(let type, let bytes) = field else { continue }
                    let size = type.size * leaf.shape.reduce(1, *)
                    appendSwapped(bytes, from: entry * size, count: size, itemSize: type.size)
                }
            }
        case .nestedLists(let type, let outer, let inner, let bytes):
            appendNested(type, outer: outer, inner: inner, bytes, entries: range)
        case .stringLists(let offsets, let strings):
            for entry in range {
                entryStarts.append(Int32(clamping: data.count))
                let items = strings[offsets[entry]..<offsets[entry + 1]]
                var body = ByteWriter(capacity: 16 * items.count + 10)
                for item in items { body.tString(item) }
                // A streamed std::vector<std::string>: byte count, class version, size, strings.
                var header = ByteWriter(capacity: 10)
                header.u32(UInt32(6 + body.count) | 0x4000_0000)
                header.u16(Self.vectorVersion)
                header.i32(items.count)
                data.append(contentsOf: header.bytes)
                data.append(contentsOf: body.bytes)
            }
        case .serialized(let offsets, let bytes):
            // ROOT's streamed bytes of each entry, unchanged.
            entryStarts.reserveCapacity(entryStarts.count + range.count)
            for entry in range {
                entryStarts.append(Int32(clamping: data.count))
                data.append(contentsOf: bytes[offsets[entry]..<offsets[entry + 1]])
            }
        case .strings(let strings):
            for entry in range {
                entryStarts.append(Int32(clamping: data.count))
                let utf8 = Array(strings[entry].utf8)
                maximumStringLength = max(maximumStringLength, utf8.count)
                if utf8.count < 255 {
                    data.append(UInt8(utf8.count))
                } else {
                    data.append(255)
                    var length = ByteWriter(capacity: 4)
                    length.i32(utf8.count)
                    data.append(contentsOf: length.bytes)
                }
                data.append(contentsOf: utf8)
            }
        }
        basketEntryCount += range.count
        entries += range.count
    }

    /// Appends entries of a `std::vector<std::vector<T>>` branch: per entry, the outer
    /// vector's byte count and version, its size, then each inner vector as its size and its
    /// items (inner vectors of numbers carry no header of their own).
    private mutating func appendNested(_ type: PrimitiveType, outer: [Int], inner: [Int], _ bytes: [UInt8], entries range: Range<Int>) {
        let size = type.size
        var total = 0
        for entry in range {
            let lists = outer[entry + 1] - outer[entry]
            total += 10 + 4 * lists + (inner[outer[entry + 1] - outer[0]] - inner[outer[entry] - outer[0]]) * size
        }
        let base = data.count
        data.append(contentsOf: repeatElement(0, count: total))
        entryStarts.reserveCapacity(entryStarts.count + range.count)
        bytes.withUnsafeBytes { source in
            data.withUnsafeMutableBytes { target in
                var at = base
                for entry in range {
                    entryStarts.append(Int32(clamping: at))
                    let first = outer[entry] - outer[0], last = outer[entry + 1] - outer[0]
                    let length = 6 + 4 * (last - first) + (inner[last] - inner[first]) * size
                    target.storeBytes(of: (UInt32(length) | 0x4000_0000).bigEndian, toByteOffset: at, as: UInt32.self)
                    target.storeBytes(of: Self.vectorVersion.bigEndian, toByteOffset: at + 4, as: UInt16.self)
                    target.storeBytes(of: UInt32(truncatingIfNeeded: last - first).bigEndian, toByteOffset: at + 6, as: UInt32.self)
                    at += 10
                    for list in first..<last {
                        let count = inner[list + 1] - inner[list]
                        target.storeBytes(of: UInt32(truncatingIfNeeded: count).bigEndian, toByteOffset: at, as: UInt32.self)
                        at += 4
                        guard count > 0 else { continue }
                        let from = (inner[list] - inner[0]) * size
                        target.baseAddress!.advanced(by: at).copyMemory(from: source.baseAddress!.advanced(by: from), byteCount: count * size)
                        Self.swap(UnsafeMutableRawBufferPointer(rebasing: target[at..<(at + count * size)]), size: size)
                        at += count * size
                    }
                }
            }
        }
    }

    /// Appends `count` bytes from `source[from...]`, reversing each `itemSize`-byte value
    /// (native little-endian to ROOT's big-endian).
    private mutating func appendSwapped(_ source: [UInt8], from: Int, count: Int, itemSize: Int) {
        guard count > 0 else { return }
        let base = data.count
        source.withUnsafeBytes { data.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[from..<(from + count)])) }
        guard itemSize > 1 else { return }
        data.withUnsafeMutableBytes { raw in
            Self.swap(UnsafeMutableRawBufferPointer(rebasing: raw[base..<(base + count)]), size: itemSize)
        }
    }

    /// Byte-swaps every `size`-byte value of `region` in place (native to ROOT's big-endian).
    static func swap(_ region: UnsafeMutableRawBufferPointer, size: Int) {
        switch size {
        case 2: swap(region, as: UInt16.self)
        case 4: swap(region, as: UInt32.self)
        case 8: swap(region, as: UInt64.self)
        default: break  // every ROOT primitive is 1, 2, 4 or 8 bytes
        }
    }

    /// Byte-swaps every `T`-sized value of `region` in place.
    private static func swap<T: FixedWidthInteger>(_ region: UnsafeMutableRawBufferPointer, as _: T.Type) {
        let size = MemoryLayout<T>.size
        var offset = 0
        while offset + size <= region.count {
            let value = region.loadUnaligned(fromByteOffset: offset, as: T.self)
            region.storeBytes(of: value.byteSwapped, toByteOffset: offset, as: T.self)
            offset += size
        }
    }

    /// The little-endian integer of `size` bytes at `offset`, as Int64.
    static func integer(_ raw: UnsafeRawBufferPointer, at offset: Int, size: Int, signed: Bool) -> Int64 {
        switch (size, signed) {
        case (1, true): Int64(raw.load(fromByteOffset: offset, as: Int8.self))
        case (1, false): Int64(raw.load(fromByteOffset: offset, as: UInt8.self))
        case (2, true): Int64(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case (2, false): Int64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case (4, true): Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case (4, false): Int64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        default: Int64(truncatingIfNeeded: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
    }

    /// Takes the current basket out of the branch (nil if it holds no entries), encoded for a
    /// key of `keyLength` bytes (TBasket header included), ready to be compressed and written;
    /// the branch starts a new, empty basket.
    mutating func take(branch: Int, keyLength: Int) -> PendingBasket? {
        guard basketEntryCount > 0 else { return nil }
        var pending = PendingBasket(branch: branch, taking: &data, entryStarts: entryStarts, entryCount: basketEntryCount,
                                    firstEntry: entries - basketEntryCount, isVariable: spec.type.isVariable,
                                    fixedEntrySize: spec.type.isVariable ? 0 : spec.type.fixedEntrySize)
        pending.encode(keyLength: keyLength)
        data.reserveCapacity(pending.dataCount)
        entryStarts.removeAll(keepingCapacity: true)
        basketEntryCount = 0
        return pending
    }

    /// Records a basket of this branch as written at `key`.
    mutating func record(_ pending: PendingBasket, key: KeyHeader) {
        basketBytes.append(Int32(clamping: key.totalBytes))
        basketFirstEntry.append(Int64(pending.firstEntry))
        basketSeek.append(Int64(key.seekKey))
        totalBytes += pending.keyLength + pending.payload.count
        zipBytes += key.totalBytes
    }
}

/// A full basket between its branch and the file: encoded, then compressed (possibly on
/// another thread, see `TreeWriter`), then written in the order baskets were taken.
struct PendingBasket: Sendable {
    /// Index of the branch in its tree writer.
    let branch: Int
    let entryStarts: [Int32]
    let entryCount: Int
    /// The tree entry of the basket's first entry.
    let firstEntry: Int
    let isVariable: Bool
    let fixedEntrySize: Int
    /// Bytes of serialised entries at the start of `payload`.
    let dataCount: Int
    /// The key length (TBasket header included) the payload's entry offsets count from.
    private(set) var keyLength = 0
    /// The TBasket header (part of the key, never compressed) and the payload: the entries,
    /// then (variable-size branches) the entry offsets.
    private(set) var header: [UInt8] = []
    private(set) var payload: [UInt8]
    /// The payload as stored (compressed, or the payload itself).
    var stored: [UInt8] = []

    /// Takes over `data` (leaving it empty), so the offsets are appended without a copy.
    init(branch: Int, taking data: inout [UInt8], entryStarts: [Int32], entryCount: Int, firstEntry: Int, isVariable: Bool,
         fixedEntrySize: Int) {
        self.branch = branch
        self.entryStarts = entryStarts
        self.entryCount = entryCount
        self.firstEntry = firstEntry
        self.isVariable = isVariable
        self.fixedEntrySize = fixedEntrySize
        dataCount = data.count
        payload = []
        swap(&payload, &data)
        if isVariable { payload.append(contentsOf: repeatElement(0, count: 4 * (entryStarts.count + 2))) }
    }

    /// Builds the header and the entry offsets for a key of `keyLength` bytes (references
    /// inside the basket count from the key's start).
    mutating func encode(keyLength: Int) {
        self.keyLength = keyLength
        var header = ByteWriter(capacity: 19)
        header.i16(3)                       // TBasket version
        header.i32(32000)                   // fBufferSize
        header.i32(isVariable ? entryCount + 1 : fixedEntrySize)  // fNevBufSize: offsets' length, or bytes per entry
        header.i32(entryCount)              // fNevBuf
        header.i32(keyLength + dataCount)   // fLast
        header.u8(0)                        // flag: data and offsets follow in the key
        self.header = header.bytes
        stored = []
        guard isVariable else { return }
        // The entry offsets (counting from the key's start), then a 0 where ROOT keeps the
        // end (readers take fLast instead), all big-endian.
        let at = dataCount, starts = entryStarts
        payload.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: Int32(starts.count + 1).bigEndian, toByteOffset: at, as: Int32.self)
            for (i, start) in starts.enumerated() {
                raw.storeBytes(of: (start &+ Int32(keyLength)).bigEndian, toByteOffset: at + 4 * (i + 1), as: Int32.self)
            }
            raw.storeBytes(of: Int32(0), toByteOffset: at + 4 * (starts.count + 1), as: Int32.self)
        }
    }

    /// Compresses the payload (a pure function of the payload and the settings, so the
    /// result is the same on any thread).
    mutating func compress(_ settings: CompressionSettings) {
        stored = Compressor.compress(payload, settings: settings)
    }
}
