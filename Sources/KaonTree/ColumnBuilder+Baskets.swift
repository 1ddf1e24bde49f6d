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
        guard raw.isEmpty, entryCount == 0 else { return try appendEach(baskets) }
        switch layout {
        case .fixed(.primitive(let type), let shape):
            let entrySize = type.size * shape.reduce(1, *)
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(baskets.count)
            for (data, entries) in baskets {
                try Self.checkEntries(data, entries)
                ranges.append(try fixedByteRange(data, entries: entries, entrySize: entrySize))
            }
            raw = try Self.swappedBytes(baskets.map(\.data), ranges, width: type.size)
            entryCount = baskets.reduce(0) { $0 + $1.entries.count }
        case .jagged(.primitive(let type), let shape, 0):
            let groupSize = type.size * shape.reduce(1, *)
            guard groupSize.nonzeroBitCount == 1 else { return try appendEach(baskets) }
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(baskets.count)
            for (data, entries) in baskets {
                try Self.checkEntries(data, entries)
                guard let starts = data.offsets else {
                    throw KaonError(.malformed, "jagged branch basket without entry offsets")
                }
                ranges.append(starts[entries.lowerBound]..<starts[entries.upperBound])
            }
            let entries = baskets.reduce(0) { $0 + $1.entries.count }
            offsets[0] = try Self.jaggedOffsets(baskets, entries: entries, groupShift: groupSize.trailingZeroBitCount)
            raw = try Self.swappedBytes(baskets.map(\.data), ranges, width: type.size)
            entryCount = entries
        default:
            try appendEach(baskets)
        }
    }

    /// The general path: one basket at a time, with a capacity hint (the decompressed data
    /// bounds the bytes of numbers it can hold).
    private mutating func appendEach(_ baskets: [(data: BasketData, entries: Range<Int>)]) throws {
        if outputType != nil, raw.isEmpty { raw.reserveCapacity(baskets.reduce(0) { $0 + $1.data.dataEnd }) }
        for (data, entries) in baskets { try append(data, entries: entries) }
    }

    static func checkEntries(_ basket: BasketData, _ entries: Range<Int>) throws {
        guard entries.lowerBound >= 0, entries.upperBound <= basket.entryCount else {
            throw KaonError(.malformed, "basket holds \(basket.entryCount) entries, asked for \(entries)")
        }
    }

    /// The offsets (`entries + 1`, from 0) of a jagged branch of items of `1 << groupShift`
    /// bytes with no per-entry header. A basket's entry starts are ordered (checked when it
    /// was parsed), so every entry is a whole number of items exactly when every start lies
    /// a whole number of items after the first: one branch-free pass checks that.
    static func jaggedOffsets(_ baskets: [(data: BasketData, entries: Range<Int>)], entries: Int, groupShift: Int) throws -> [Int] {
        let mask = 1 << groupShift - 1
        var misaligned = 0
        let level = [Int](unsafeUninitializedCapacity: entries + 1) { out, initialized in
            out[0] = 0
            var position = 1
            var total = 0
            for (data, local) in baskets {
                data.offsets!.withUnsafeBufferPointer { starts in
                    let first = starts[local.lowerBound]
                    let base = total
                    for i in (local.lowerBound + 1)..<(local.upperBound + 1) {
                        let bytes = starts[i] &- first
                        misaligned |= bytes & mask
                        out[position &+ i &- local.lowerBound &- 1] = base &+ bytes &>> groupShift
                    }
                    total &+= (starts[local.upperBound] &- first) &>> groupShift
                }
                position += local.count
            }
            initialized = entries + 1
        }
        guard misaligned == 0 else {
            throw KaonError(.malformed, "an entry's size is not a whole number of \(mask + 1)-byte items")
        }
        return level
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
                    let count = range.count / width
                    switch width {
                    case 1: target.copyMemory(from: source, byteCount: range.count)
                    case 2: swapCopy(source, target, count, UInt16.self)
                    case 4: swapCopy(source, target, count, UInt32.self)
                    default: swapCopy(source, target, count, UInt64.self)
                    }
                }
                position += range.count
            }
            initialized = total
        }
    }

    @inline(__always)
    static func swapCopy<T: FixedWidthInteger>(_ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer, _ count: Int, _: T.Type) {
        for i in 0..<count {
            let offset = i &* MemoryLayout<T>.size
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: T.self).byteSwapped, toByteOffset: offset, as: T.self)
        }
    }
}
