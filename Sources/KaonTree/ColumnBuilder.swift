import KaonIO
import KaonROOT

/// Accumulates decoded entries from successive baskets into one `Column`.
struct ColumnBuilder {
    let layout: Interpretation.Layout
    var raw: [UInt8] = []
    var strings: [String] = []
    var offsets: [[Int]] = []
    var fields: [ColumnBuilder] = []
    var entryCount = 0
    var outputType: PrimitiveType?

    init(layout: Interpretation.Layout, expectedBytes: Int) {
        self.layout = layout
        switch layout {
        case .fixed(let item, _):
            outputType = Self.outputType(item)
        case .jagged(let item, _, _):
            outputType = Self.outputType(item)
            offsets = [[0]]
        case .objects(.map(let key, let value, _, _)):
            offsets = [[0]]
            fields = [ColumnBuilder(layout: .objects(key), expectedBytes: 0), ColumnBuilder(layout: .objects(value), expectedBytes: 0)]
        case .objects(let item):
            outputType = Self.outputType(item)
            offsets = Array(repeating: [0], count: Self.depth(item))
        case .leafList(let leaves):
            fields = leaves.map { ColumnBuilder(layout: .fixed(.primitive($0.type), shape: $0.shape), expectedBytes: 0) }
        }
        if outputType != nil { raw.reserveCapacity(expectedBytes) }
    }

    static func outputType(_ item: Interpretation.Item) -> PrimitiveType? {
        switch item {
        case .primitive(let p): p
        case .packed(_, let output): output
        case .string: nil
        case .container(let inner, _): outputType(inner)
        case .map: nil
        }
    }

    static func depth(_ item: Interpretation.Item) -> Int {
        if case .container(let inner, _) = item { return 1 + depth(inner) }
        return 0
    }

    static func storedSize(_ item: Interpretation.Item) -> Int? {
        switch item {
        case .primitive(let p): p.size
        case .packed(let packing, _): packing.storedSize
        default: nil
        }
    }

    func finish() -> Column {
        let shape: [Int]
        switch layout {
        case .fixed(_, let s), .jagged(_, let s, _): shape = s
        default: shape = []
        }
        let values: Column.Values
        if case .leafList(let leaves) = layout {
            values = .record(leaves.map(\.name), fields.map { $0.finish() })
        } else if case .objects(.map) = layout {
            values = .pairs(keys: fields[0].finish(), values: fields[1].finish())
        } else if let outputType {
            values = .primitive(outputType, raw)
        } else {
            values = .strings(strings)
        }
        return Column(values: values, offsets: offsets, innerShape: shape, entryCount: entryCount)
    }

    /// Decodes local entries `entries` of a basket.
    mutating func append(_ basket: BasketData, entries: Range<Int>) throws {
        try Self.checkEntries(basket, entries)
        switch layout {
        case .fixed(let item, let shape):
            let entrySize = Self.storedSize(item)! * shape.reduce(1, *)
            let range = try fixedByteRange(basket, entries: entries, entrySize: entrySize)
            try appendItems(item, basket.payload, range)
        case .jagged(let item, let shape, let headerBytes):
            guard let itemSize = Self.storedSize(item), let entryOffsets = basket.offsets else {
                throw KaonError(.malformed, "jagged branch basket without entry offsets")
            }
            let groupSize = itemSize * shape.reduce(1, *)
            // Take the level out of `offsets` so appending does not copy it (copy-on-write).
            var level: [Int] = []
            swap(&level, &offsets[0])
            defer { swap(&level, &offsets[0]) }
            level.reserveCapacity(level.count + entries.count)
            var total = level.last!
            var whole = true
            entryOffsets.withUnsafeBufferPointer { starts in
                if groupSize.nonzeroBitCount == 1 {
                    // Item sizes are nearly always powers of two: shift and mask, no division.
                    let shift = groupSize.trailingZeroBitCount
                    let mask = groupSize - 1
                    for i in entries {
                        let bytes = starts[i + 1] &- starts[i] &- headerBytes
                        whole = whole && bytes >= 0 && bytes & mask == 0
                        total &+= bytes >> shift
                        level.append(total)
                    }
                } else {
                    for i in entries {
                        let bytes = starts[i + 1] - starts[i] - headerBytes
                        whole = whole && bytes >= 0 && bytes % groupSize == 0
                        total += bytes / groupSize
                        level.append(total)
                    }
                }
            }
            guard whole else {
                throw KaonError(.malformed, "an entry's size is not a whole number of \(groupSize)-byte items")
            }
            if headerBytes == 0 {
                let start = entryOffsets[entries.lowerBound]
                let end = entryOffsets[entries.upperBound]
                try appendItems(item, basket.payload, start..<end)
            } else {
                for i in entries {
                    try appendItems(item, basket.payload, (entryOffsets[i] + headerBytes)..<entryOffsets[i + 1])
                }
            }
        case .objects(let item):
            guard basket.offsets != nil else {
                throw KaonError(.malformed, "object branch basket without entry offsets")
            }
            for i in entries {
                let range = basket.entryBytes(i)
                var cursor = ByteCursor(basket.payload, position: range.lowerBound)
                try appendObject(item, &cursor, end: range.upperBound)
            }
        case .leafList(let leaves):
            let sizes = leaves.map { $0.type.size * $0.shape.reduce(1, *) }
            let entrySize = sizes.reduce(0, +)
            let range = try fixedByteRange(basket, entries: entries, entrySize: entrySize)
            var position = range.lowerBound
            for _ in entries {
                for (index, leaf) in leaves.enumerated() {
                    try fields[index].appendItems(.primitive(leaf.type), basket.payload, position..<(position + sizes[index]))
                    fields[index].entryCount += 1
                    position += sizes[index]
                }
            }
        }
        entryCount += entries.count
    }

    /// The bytes of entries in a basket whose entries all have `entrySize` bytes.
    func fixedByteRange(_ basket: BasketData, entries: Range<Int>, entrySize: Int) throws -> Range<Int> {
        let start = basket.offsets.map { $0[entries.lowerBound] } ?? entries.lowerBound * entrySize
        let end = start + entries.count * entrySize
        guard end <= basket.dataEnd else {
            throw KaonError(.malformed, "basket data (\(basket.dataEnd) bytes) too short for \(entries.upperBound) entries of \(entrySize) bytes")
        }
        return start..<end
    }

    /// Appends the items stored in `bytes[range]` (a whole number of items).
    mutating func appendItems(_ item: Interpretation.Item, _ bytes: [UInt8], _ range: Range<Int>) throws {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            throw KaonError(.truncated, "item bytes \(range) outside the \(bytes.count)-byte basket")
        }
        switch item {
        case .primitive(let type):
            bytes.withUnsafeBytes { appendSwapped(UnsafeRawBufferPointer(rebasing: $0[range]), width: type.size) }
        case .packed(let packing, let output):
            var cursor = ByteCursor(bytes, position: range.lowerBound)
            while cursor.position + packing.storedSize <= range.upperBound {
                let value = try packing.read(&cursor)
                if output == .float32 {
                    withUnsafeBytes(of: Float(value)) { raw.append(contentsOf: $0) }
                } else {
                    withUnsafeBytes(of: value) { raw.append(contentsOf: $0) }
                }
            }
        default:
            throw KaonError(.unsupported, "cannot bulk-decode \(item)")
        }
    }

    /// Copies big-endian values and swaps them to native order in place.
    mutating func appendSwapped(_ source: UnsafeRawBufferPointer, width: Int) {
        let start = raw.count
        raw.append(contentsOf: source)
        guard width > 1 else { return }
        raw.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress! + start
            Self.swapCopy(base, base, count: source.count / width, width: width)
        }
    }

    /// Copies `count` big-endian values of `width` bytes (1, 2, 4 or 8) from `source` to
    /// `target` in native order; `source` may be `target` (swapped in place).
    static func swapCopy(_ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer, count: Int, width: Int) {
        switch width {
        case 1: if source != UnsafeRawPointer(target) { target.copyMemory(from: source, byteCount: count) }
        case 2: swapCopy(source, target, count, UInt16.self)
        case 4: swapCopy(source, target, count, UInt32.self)
        default: swapCopy(source, target, count, UInt64.self)
        }
    }

    @inline(__always)
    static func swapCopy<T: FixedWidthInteger>(_ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer, _ count: Int, _: T.Type) {
        for i in 0..<count {
            let offset = i &* MemoryLayout<T>.size
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: T.self).byteSwapped, toByteOffset: offset, as: T.self)
        }
    }

    mutating func appendObject(_ item: Interpretation.Item, _ cursor: inout ByteCursor, end: Int) throws {
        switch item {
        case .string:
            try skipVersionHeader(&cursor, end: end)
            strings.append(try cursor.readTString())
        case .container(let inner, let header):
            if header { try skipVersionHeader(&cursor, end: end) }
            try appendContainerBody(inner, &cursor, level: 0)
        case .map(let key, let value, let keyHeader, let valueHeader):
            try skipVersionHeader(&cursor, end: end)
            try cursor.skip(6)  // member-wise streaming: class version and checksum
            let count = try cursor.readCount(what: "map size")
            offsets[0].append(offsets[0].last! + count)
            if keyHeader { try cursor.skip(6) }
            try fields[0].appendElements(key, count: count, &cursor)
            if valueHeader { try cursor.skip(6) }
            try fields[1].appendElements(value, count: count, &cursor)
        default:
            try appendItems(item, cursor.bytes, cursor.position..<end)
        }
    }

    /// Appends `count` items read back to back from `cursor`, each as one entry of this
    /// builder (the keys or values of a map).
    mutating func appendElements(_ item: Interpretation.Item, count: Int, _ cursor: inout ByteCursor) throws {
        switch item {
        case .primitive, .packed:
            let size = Self.storedSize(item)!
            guard count <= cursor.remaining / size else {
                throw KaonError(.truncated, "\(count) map items run past their entry")
            }
            try appendItems(item, cursor.bytes, cursor.position..<(cursor.position + count * size))
            cursor.position += count * size
        case .string:
            for _ in 0..<count { strings.append(try cursor.readTString()) }
        case .container(let inner, _):
            for _ in 0..<count { try appendContainerBody(inner, &cursor, level: 0) }
        case .map:
            throw KaonError(.unsupported, "nested maps are not supported")
        }
        entryCount += count
    }

    /// Skips an object version header (`bytecount|0x40000000`, version) when one is there.
    func skipVersionHeader(_ cursor: inout ByteCursor, end: Int) throws {
        guard end - cursor.position >= 6 else { return }
        let start = cursor.position
        let first = try cursor.readU32()
        if first & 0x4000_0000 != 0, Int(first & ~0x4000_0000) == end - start - 4 {
            _ = try cursor.readU16()
        } else {
            cursor.position = start
        }
    }

    mutating func appendContainerBody(_ inner: Interpretation.Item, _ cursor: inout ByteCursor, level: Int) throws {
        let count = try cursor.readCount(what: "container size")
        offsets[level].append(offsets[level].last! + count)
        switch inner {
        case .primitive, .packed:
            let byteCount = count * Self.storedSize(inner)!
            guard byteCount <= cursor.remaining else {
                throw KaonError(.truncated, "container of \(count) values runs past its entry")
            }
            try appendItems(inner, cursor.bytes, cursor.position..<(cursor.position + byteCount))
            cursor.position += byteCount
        case .string:
            for _ in 0..<count { strings.append(try cursor.readTString()) }
        case .container(let element, let header):
            for _ in 0..<count {
                if header { try skipVersionHeader(&cursor, end: cursor.bytes.count) }
                try appendContainerBody(element, &cursor, level: level + 1)
            }
        case .map:
            throw KaonError(.unsupported, "maps inside containers are not supported")
        }
    }
}
