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

    init(spec: BranchSpec) {
        self.spec = spec
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
                for entry in range { maximumCount = max(maximumCount, integer(bytes, at: entry * type.size, type)) }
            }
        case .jagged(let type, let offsets, let bytes):
            for entry in range {
                let start = (offsets[entry] - offsets[0]) * type.size * items
                let count = (offsets[entry + 1] - offsets[entry]) * items
                entryStarts.append(Int32(clamping: data.count))
                if case .vector = spec.type {
                    // A streamed std::vector: byte count, class version, size, items.
                    var header = ByteWriter(capacity: 10)
                    header.u32(UInt32(6 + count * type.size) | 0x4000_0000)
                    header.u16(Self.vectorVersion)
                    header.i32(count)
                    data.append(contentsOf: header.bytes)
                }
                appendSwapped(bytes, from: start, count: count * type.size, itemSize: type.size)
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

    /// Appends `count` bytes from `source[from...]`, reversing each `itemSize`-byte value
    /// (native little-endian to ROOT's big-endian).
    private mutating func appendSwapped(_ source: [UInt8], from: Int, count: Int, itemSize: Int) {
        guard count > 0 else { return }
        let base = data.count
        data.append(contentsOf: source[from..<(from + count)])
        guard itemSize > 1 else { return }
        data.withUnsafeMutableBytes { raw in
            let region = UnsafeMutableRawBufferPointer(rebasing: raw[base..<(base + count)])
            switch itemSize {
            case 2: Self.swap(region, as: UInt16.self)
            case 4: Self.swap(region, as: UInt32.self)
            case 8: Self.swap(region, as: UInt64.self)
            default: break  // every ROOT primitive is 1, 2, 4 or 8 bytes
            }
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

    /// A counter value as Int64.
    private func integer(_ bytes: [UInt8], at offset: Int, _ type: PrimitiveType) -> Int64 {
        var value: Int64 = 0
        for i in (0..<type.size).reversed() { value = value << 8 | Int64(bytes[offset + i]) }
        if type.isSigned && type.size < 8 && value >> (8 * Int64(type.size) - 1) != 0 {
            value -= 1 << (8 * Int64(type.size))
        }
        return value
    }

    /// Writes the current basket (if it holds entries) as a TBasket key.
    mutating func flush(to file: ROOTFileWriter, treeName: String, directory: Int, settings: CompressionSettings) throws {
        guard basketEntryCount > 0 else { return }
        let keyLength = file.nextKeyLength(className: "TBasket", name: spec.name, title: treeName, directory: directory) + 19
        let last = keyLength + data.count
        var header = ByteWriter(capacity: 19)
        header.i16(3)                       // TBasket version
        header.i32(32000)                   // fBufferSize
        if spec.type.isVariable {
            header.i32(basketEntryCount + 1)  // fNevBufSize: the entry-offset array's length
        } else {
            header.i32(spec.type.fixedEntrySize)  // bytes per entry
        }
        header.i32(basketEntryCount)        // fNevBuf
        header.i32(last)                    // fLast
        header.u8(0)                        // flag: data and offsets follow in the key
        var payload = data
        if spec.type.isVariable {
            // The entry offsets (counting from the key's start), then a 0 where ROOT keeps
            // the end (readers take fLast instead).
            var offsets = ByteWriter(capacity: 4 * (entryStarts.count + 2))
            offsets.i32(entryStarts.count + 1)
            for start in entryStarts { offsets.i32(Int(start) + keyLength) }
            offsets.i32(0)
            payload.append(contentsOf: offsets.bytes)
        }
        let key = try file.writeKeyed(className: "TBasket", name: spec.name, title: treeName, directory: directory,
                                      cycle: 1, extraHeader: header.bytes, settings: settings, listed: false) { length in
            guard length == keyLength else {
                throw KaonError(.malformed, "internal: basket key length changed")
            }
            return payload
        }
        basketBytes.append(Int32(clamping: key.totalBytes))
        basketFirstEntry.append(Int64(entries - basketEntryCount))
        basketSeek.append(Int64(key.seekKey))
        totalBytes += keyLength + payload.count
        zipBytes += key.totalBytes
        data.removeAll(keepingCapacity: true)
        entryStarts.removeAll(keepingCapacity: true)
        basketEntryCount = 0
    }
}
