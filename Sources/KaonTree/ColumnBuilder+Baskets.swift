import KaonIO
import KaonROOT

extension ColumnBuilder {
    /// Decodes the given local entries of each basket, in order, as `append(_:entries:)`
    /// would one basket at a time.
    ///
    /// A branch of plain big-endian numbers (`x`, `x[3]`, `x[n]`: NanoAOD's branches) takes a
    /// one-pass path: the exact output size is known once the baskets are decompressed, so
    /// the values are byte-swapped straight from each payload into one buffer of that size
    /// (no growth, no copy-then-swap), and a jagged branch's offsets are computed into one
    /// array of `entries + 1`. Every range is checked as in `append(_:entries:)`.
    mutating func append(_ baskets: [(data: BasketData, entries: Range<Int>)]) throws {
        switch layout {
        case .fixed(.primitive(let type), let shape):
            let entrySize = type.size * shape.reduce(1, *)
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(baskets.count)
            for (data, entries) in baskets {
                try Self.checkEntries(data, entries)
                ranges.append(try fixedByteRange(data, entries: entries, entrySize: entrySize))
            }
            appendRaw(try Self.swappedBytes(baskets.map(\.data), ranges, width: type.size))
            entryCount += baskets.reduce(0) { $0 + $1.entries.count }
        case .jagged(.primitive(let type), let shape, 0) where Self.checksEntryOffsets(layout):
            let groupSize = type.size * shape.reduce(1, *)
            for (data, entries) in baskets { try Self.checkEntries(data, entries) }
            let entries = baskets.reduce(0) { $0 + $1.entries.count }
            let (level, ranges) = try Self.jaggedOffsets(baskets, entries: entries, groupShift: groupSize.trailingZeroBitCount)
            if offsets[0] == [0] {
                offsets[0] = level
            } else {
                let base = offsets[0].last!
                offsets[0].append(contentsOf: level.dropFirst().lazy.map { $0 + base })
            }
            appendRaw(try Self.swappedBytes(baskets.map(\.data), ranges, width: type.size))
            entryCount += entries
        default:
            if outputType != nil, raw.isEmpty { raw.reserveCapacity(baskets.reduce(0) { $0 + $1.data.dataEnd }) }
            for (data, entries) in baskets { try append(data, entries: entries) }
        }
    }

    /// Whether `layout` is read by the one-pass jagged path, which checks each basket's entry
    /// offsets itself as it reads them from the payload (so `BasketData` need not parse them):
    /// numbers with no per-entry header, in groups of a power-of-two size.
    static func checksEntryOffsets(_ layout: Interpretation.Layout) -> Bool {
        guard case .jagged(.primitive(let type), let shape, 0) = layout else { return false }
        let groupSize = type.size * shape.reduce(1, *)
        return groupSize > 0 && groupSize.nonzeroBitCount == 1
    }

    private mutating func appendRaw(_ bytes: [UInt8]) {
        if raw.isEmpty { raw = bytes } else { raw.append(contentsOf: bytes) }
    }

    /// Checks that `entries` are local entries of `basket`.
    static func checkEntries(_ basket: BasketData, _ entries: Range<Int>) throws {
        guard entries.lowerBound >= 0, entries.upperBound <= basket.entryCount else {
            throw KaonError(.malformed, "basket holds \(basket.entryCount) entries, asked for \(entries)")
        }
    }

    /// The offsets (`entries + 1`, from 0) of a jagged branch of items of `1 << groupShift`
    /// bytes with no per-entry header, and the bytes of each basket's entries. Each basket's
    /// entry starts are read where they are (parsed, or big-endian in the payload) and
    /// checked in the same branch-free pass: the first at or after 0, each at or after the
    /// one before, a whole number of items after the first, the last within the data.
    static func jaggedOffsets(_ baskets: [(data: BasketData, entries: Range<Int>)], entries: Int,
                              groupShift: Int) throws -> (level: [Int], ranges: [Range<Int>]) {
        let mask = 1 << groupShift - 1
        var disorder = 0  // negative if some start is before 0 or before the one it follows
        var misaligned = 0  // nonzero if some entry is not a whole number of items
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(baskets.count)
        var missing = false
        let level = [Int](unsafeUninitializedCapacity: entries + 1) { out, initialized in
            out[0] = 0
            var target = out.baseAddress! + 1
            var total = 0
            for (data, local) in baskets {
                let count = local.count
                let first: Int, last: Int
                if let parsed = data.offsets {
                    // Parsed (and checked) by `BasketData`.
                    first = parsed[local.lowerBound]
                    last = parsed[local.upperBound]
                    parsed.withUnsafeBufferPointer { starts in
                        let source = starts.baseAddress! + local.lowerBound + 1
                        for i in 0..<count {
                            let bytes = source[i] &- first
                            misaligned |= bytes & mask
                            target[i] = total &+ bytes &>> groupShift
                        }
                    }
                } else if let table = data.offsetTable {
                    // The stored offsets: entry i starts at table[i] - keyLength, the last
                    // entry ends at the data end.
                    let border = data.dataEnd, key = data.keyLength, n = data.entryCount
                    let fromTable = min(local.upperBound, n - 1) - local.lowerBound  // entries ending in the table
                    (first, last) = data.payload.withUnsafeBytes { raw in
                        let stored = raw.baseAddress! + table
                        @inline(__always) func start(_ i: Int) -> Int {
                            Int(Int32(bigEndian: stored.loadUnaligned(fromByteOffset: 4 &* i, as: Int32.self))) &- key
                        }
                        let first = local.lowerBound < n ? start(local.lowerBound) : border
                        disorder |= first
                        if fromTable > 0 {
                            let entry = stored + 4 &* (local.lowerBound &+ 1)
                            for i in 0..<fromTable {
                                let end = Int(Int32(bigEndian: entry.loadUnaligned(fromByteOffset: 4 &* i, as: Int32.self))) &- key
                                let begin = Int(Int32(bigEndian: entry.loadUnaligned(fromByteOffset: 4 &* i &- 4, as: Int32.self))) &- key
                                let bytes = end &- first
                                disorder |= end &- begin
                                misaligned |= bytes & mask
                                target[i] = total &+ bytes &>> groupShift
                            }
                        }
                        var last = count > 0 ? start(local.lowerBound &+ fromTable) : first
                        if local.upperBound == n && count > 0 {
                            // The last entry ends at the data end.
                            let previous = last
                            last = border
                            disorder |= last &- previous
                            misaligned |= (last &- first) & mask
                            target[count &- 1] = total &+ (last &- first) &>> groupShift
                        }
                        disorder |= border &- last
                        return (first, last)
                    }
                } else {
                    missing = count > 0 || missing
                    first = 0
                    last = 0
                }
                ranges.append(first..<max(first, last))
                total &+= (last &- first) &>> groupShift
                target += count
            }
            initialized = entries + 1
        }
        guard !missing else { throw KaonError(.malformed, "jagged branch basket without entry offsets") }
        guard disorder >= 0 else {
            throw KaonError(.malformed, "basket entry offsets out of order or outside the data")
        }
        guard misaligned == 0 else {
            throw KaonError(.malformed, "an entry's size is not a whole number of \(mask + 1)-byte items")
        }
        return (level, ranges)
    }

    /// The bytes `ranges[i]` of each basket's payload, values of `width` bytes swapped from
    /// big-endian to native order in the same pass, back to back in one exact-size array.
    static func swappedBytes(_ baskets: [BasketData], _ ranges: [Range<Int>], width: Int) throws -> [UInt8] {
        var total = 0
        for (data, range) in zip(baskets, ranges) {
            guard range.lowerBound >= 0, range.lowerBound <= range.upperBound, range.upperBound <= data.payload.count,
                  range.count % width == 0 else {
                throw KaonError(.truncated, "item bytes \(range) outside the \(data.payload.count)-byte basket")
            }
            total += range.count
        }
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            var position = 0
            for (data, range) in zip(baskets, ranges) where !range.isEmpty {
                data.payload.withUnsafeBytes { payload in
                    let source = payload.baseAddress! + range.lowerBound
                    let target = UnsafeMutableRawPointer(out.baseAddress!) + position
                    swapCopy(source, target, count: range.count / width, width: width)
                }
                position += range.count
            }
            initialized = total
        }
    }
}
