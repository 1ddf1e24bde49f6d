import KaonIO
import KaonROOT

/// The decompressed contents of one basket: the entries' bytes and where each entry starts.
struct BasketData: Sendable {
    /// The payload; entry data occupies `0..<dataEnd`.
    var payload: [UInt8]
    var dataEnd: Int
    /// Entry start offsets into `payload` (entries + 1 values), when the basket has them
    /// and they were asked to be parsed.
    var offsets: [Int]?
    /// Where the big-endian entry offsets (`entryCount` of them, each `keyLength` too
    /// large) start in `payload`, when the basket has them but they were left unparsed for
    /// a reader that checks them as it goes (`ColumnBuilder.entryOffsets`).
    var offsetTable: Int?
    var keyLength: Int
    var entryCount: Int
    /// Bytes the basket took on disk and after decompression.
    var storedBytes: Int
    var uncompressedBytes: Int

    /// Parses a basket read from its own key: key header, basket header, payload, offsets.
    /// `parsingOffsets: false` leaves the entry offsets in the payload (``offsetTable``).
    init(basketBytes bytes: [UInt8], source: String, budget: AllocationBudget, parsingOffsets: Bool = true) throws {
        var fresh: [UInt8] = []
        try self.init(basketBytes: bytes, source: source, budget: budget, parsingOffsets: parsingOffsets, recycling: &fresh)
    }

    /// As `init(basketBytes:source:parsingOffsets:)`, decompressing into the storage of
    /// `spare` (taken, leaving it empty) when it is no longer shared: a reader going basket by
    /// basket hands back the previous basket's payload, so every basket of a branch is
    /// decompressed into the same memory.
    init(basketBytes bytes: [UInt8], source: String, budget: AllocationBudget, parsingOffsets: Bool = true,
         recycling spare: inout [UInt8]) throws {
        let header = try BasketHeader(basketBytes: bytes)
        let key = header.key
        let stored = key.keyLength..<key.totalBytes
        var payload: [UInt8] = []
        if key.isCompressed {
            swap(&payload, &spare)
            try bytes.withUnsafeBytes {
                try Decompressor.decompress(UnsafeRawBufferPointer(rebasing: $0[stored]), uncompressedSize: key.objectLength, budget: budget,
                                             into: &payload)
            }
        } else {
            payload = Array(bytes[stored])
        }
        try self.init(payload: payload, keyLength: key.keyLength, last: header.last, entryCount: header.entryCount,
                      storedBytes: key.totalBytes, parsingOffsets: parsingOffsets)
    }

    /// Splits a payload into data and offsets, checking every offset before it is used.
    init(payload: [UInt8], keyLength: Int, last: Int, entryCount: Int, storedBytes: Int, parsingOffsets: Bool = true) throws {
        let border = last - keyLength
        guard border >= 0, border <= payload.count, entryCount >= 0 else {
            throw KaonError(.malformed, "basket data end \(border) outside its \(payload.count)-byte payload")
        }
        self.payload = payload
        self.dataEnd = border
        self.entryCount = entryCount
        self.storedBytes = storedBytes
        self.uncompressedBytes = payload.count
        self.keyLength = keyLength
        if payload.count - border >= 4 {
            var cursor = ByteCursor(payload, position: border)
            let n = try cursor.readCount(limit: cursor.remaining / 4, what: "basket offset count")
            // The offsets read are the first `entryCount`: they must follow the count in full.
            guard n >= entryCount, entryCount <= cursor.remaining / 4 else {
                throw KaonError(.malformed, "basket has \(n) entry offsets for \(entryCount) entries")
            }
            guard parsingOffsets else {
                offsets = nil
                offsetTable = cursor.position
                return
            }
            // Two branch-free passes (so both vectorise): convert the big-endian offsets, then
            // check them: ordered from 0 up to the data end (the last entry ends there).
            let first = cursor.position
            let offsets = [Int](unsafeUninitializedCapacity: entryCount + 1) { buffer, initialized in
                payload.withUnsafeBytes { raw in
                    let stored = raw.baseAddress! + first
                    for i in 0..<entryCount {
                        buffer[i] = Int(Int32(bigEndian: stored.loadUnaligned(fromByteOffset: 4 &* i, as: Int32.self))) &- keyLength
                    }
                }
                buffer[entryCount] = border
                initialized = entryCount + 1
            }
            let disorder = offsets.withUnsafeBufferPointer { values in
                var sign = values[0]
                for i in 1..<(entryCount + 1) { sign |= values[i] &- values[i &- 1] }
                return sign < 0
            }
            guard !disorder else {
                throw KaonError(.malformed, "basket entry offsets out of order or outside the data (\(border) bytes)")
            }
            self.offsets = offsets
        } else {
            offsets = nil
        }
    }

    /// The byte range of local entry `i`.
    @inlinable func entryBytes(_ i: Int) -> Range<Int> {
        offsets![i]..<offsets![i + 1]
    }
}

/// The uncompressed front of a basket stored in its own key: the key header, then TBasket's
/// header. Enough to size a branch's output before any basket is decompressed.
struct BasketHeader: Sendable {
    var key: Key
    /// Entries in the basket (fNevBuf).
    var entryCount: Int
    /// Where the entry data ends, counted from the start of the key (fLast).
    var last: Int

    /// Bytes of entry data in the payload once decompressed.
    var dataBytes: Int { last - key.keyLength }

    init(basketBytes bytes: [UInt8]) throws {
        var cursor = ByteCursor(bytes)
        key = try Key(from: &cursor)
        _ = try cursor.readI16()  // basket version
        _ = try cursor.readI32()  // buffer size
        // A negative fNevBufSize announces one byte of I/O feature bits (ROOT ≥ 6.22).
        if try cursor.readI32() < 0 { _ = try cursor.readU8() }
        entryCount = Int(try cursor.readI32())
        last = Int(try cursor.readI32())
        guard key.keyLength >= 0, key.keyLength <= key.totalBytes, key.totalBytes <= bytes.count else {
            throw KaonError(.malformed, "basket key declares \(key.totalBytes) bytes, \(bytes.count) were read")
        }
    }
}

/// A basket that was stored inside its TBranch rather than in a key of its own.
struct EmbeddedBasket: Sendable {
    var data: BasketData
    var firstEntry: Int
    var entryCount: Int { data.entryCount }

    init(_ object: ROOTObject, firstEntry: Int, entryOffsetLength: Int) throws {
        guard let raw = object["data"]?.integersValue else {
            throw KaonError(.malformed, "embedded basket without data")
        }
        let keyLength = object.int("fKeylen") ?? 0
        let last = object.int("fLast") ?? 0
        let nevBuf = object.int("fNevBuf") ?? 0
        // The buffer includes room for the key header; the data follows it.
        guard keyLength >= 0, keyLength <= last, last <= raw.count, nevBuf >= 0, nevBuf < Int(Int32.max) else {
            throw KaonError(.malformed, "embedded basket sizes are inconsistent")
        }
        var payload = raw[keyLength..<last].map { UInt8(truncatingIfNeeded: $0) }
        var offsets = object["fEntryOffset"]?.integersValue?.map { Int($0) } ?? []
        // Rebuild the on-disk form (data, count, offsets) so one parser serves both kinds.
        if !offsets.isEmpty && entryOffsetLength > 0 {
            offsets = Array(offsets.prefix(nevBuf))
            var tail = ByteCursorWriter()
            tail.appendI32(Int32(nevBuf + 1))
            for value in offsets { tail.appendI32(Int32(truncatingIfNeeded: value)) }
            tail.appendI32(0)
            payload += tail.bytes
        }
        data = try BasketData(payload: payload, keyLength: keyLength, last: last, entryCount: nevBuf, storedBytes: 0)
        self.firstEntry = firstEntry
    }
}

/// Appends big-endian integers to a byte array.
struct ByteCursorWriter {
    var bytes: [UInt8] = []
    mutating func appendI32(_ value: Int32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
