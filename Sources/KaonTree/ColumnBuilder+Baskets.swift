import KaonIO
import KaonROOT

extension ColumnBuilder {
    /// Decodes the given local entries of each basket, in order, as `append(_:entries:)`
    /// would one basket at a time.
    mutating func append(_ baskets: [(data: BasketData, entries: Range<Int>)]) throws {
        if Self.decodesInOnePass(layout) {
            try appendInOnePass(basketCount: baskets.count, entries: baskets.reduce(0) { $0 + $1.entries.count },
                                valueBytesBound: baskets.reduce(0) { $0 + $1.data.dataEnd }) { baskets[$0] }
        } else {
            if outputType != nil, raw.isEmpty { raw.reserveCapacity(baskets.reduce(0) { $0 + $1.data.dataEnd }) }
            for (data, entries) in baskets { try append(data, entries: entries) }
        }
    }

    /// Whether `layout` takes the one-pass path of `appendInOnePass`: plain big-endian
    /// numbers, `x`, `x[3]` or `x[n]` (NanoAOD's branches).
    static func decodesInOnePass(_ layout: Interpretation.Layout) -> Bool {
        if case .fixed(.primitive, _) = layout { return true }
        return checksEntryOffsets(layout)
    }

    /// The one-pass path for layouts where `decodesInOnePass`: the output is allocated once
    /// (`valueBytesBound`, the baskets' data bytes, bounds the values; a fixed layout's size
    /// is exact) and each basket's values are byte-swapped straight from its payload into it,
    /// a jagged branch's offsets computed into one array of `entries + 1` in the same pass.
    ///
    /// `basket(i)` hands over the baskets in order, one at a time, so a caller can
    /// decompress each into the memory of the one before (see `Tree.read`). Every range is
    /// checked as in `append(_:entries:)` before a byte is copied.
    mutating func appendInOnePass(basketCount: Int, entries: Int, valueBytesBound: Int,
                                  basket: (Int) throws -> (data: BasketData, entries: Range<Int>)) throws {
        // The sizes below are sums over baskets of counts the file declares: checked against
        // the process-wide budget, and a fixed layout's against the data the baskets declare.
        try AllocationBudget.anyFile.check(valueBytesBound, "baskets' data")
        try AllocationBudget.anyFile.check(entries + 1, of: MemoryLayout<Int>.stride, "entry offsets")
        switch layout {
        case .fixed(.primitive(let type), let shape):
            let entrySize = type.size * shape.reduce(1, *)
            let size = try AllocationBudget.anyFile.check(entries, of: entrySize, "branch values")
            guard size <= valueBytesBound else {
                throw KaonError(.malformed, "the baskets' table declares \(entries) entries of \(entrySize) bytes, "
                                + "more than the \(valueBytesBound) bytes of data the baskets declare")
            }
            let values = try [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
                var position = 0
                for index in 0..<basketCount {
                    let (data, local) = try basket(index)
                    try Self.checkEntries(data, local)
                    let range = try fixedByteRange(data, entries: local, entrySize: entrySize)
                    guard position + range.count <= size else {
                        throw KaonError(.malformed, "baskets hold more than the \(entries) entries asked for")
                    }
                    try Self.swapCopy(data, range, width: type.size, to: out.baseAddress! + position)
                    position += range.count
                }
                guard position == size else {
                    throw KaonError(.malformed, "baskets hold \(position / max(entrySize, 1)) of the \(entries) entries asked for")
                }
                initialized = size
            }
            appendRaw(values)
            entryCount += entries
        case .jagged(.primitive(let type), let shape, 0):
            let groupShift = (type.size * shape.reduce(1, *)).trailingZeroBitCount
            var checks = OffsetChecks(groupShift: groupShift)
            var level: [Int] = []
            let values = try [UInt8](unsafeUninitializedCapacity: valueBytesBound) { out, initialized in
                var position = 0
                level = try [Int](unsafeUninitializedCapacity: entries + 1) { starts, startsInitialized in
                    starts[0] = 0
                    var target = starts.baseAddress! + 1
                    var filled = 0
                    for index in 0..<basketCount {
                        let (data, local) = try basket(index)
                        try Self.checkEntries(data, local)
                        guard filled + local.count <= entries else {
                            throw KaonError(.malformed, "baskets hold more than the \(entries) entries asked for")
                        }
                        let range = try Self.entryOffsets(data, local, items: position >> groupShift, into: target, checks: &checks)
                        guard range.lowerBound >= 0, range.upperBound <= data.dataEnd, position + range.count <= valueBytesBound else {
                            throw KaonError(.malformed, "basket entry offsets out of order or outside the data")
                        }
                        try Self.swapCopy(data, range, width: type.size, to: out.baseAddress! + position)
                        position += range.count
                        target += local.count
                        filled += local.count
                    }
                    guard filled == entries else {
                        throw KaonError(.malformed, "baskets hold \(filled) of the \(entries) entries asked for")
                    }
                    startsInitialized = entries + 1
                }
                initialized = position
            }
            try checks.verify()
            if offsets[0] == [0] {
                offsets[0] = level
            } else {
                let base = offsets[0].last!
                offsets[0].append(contentsOf: level.dropFirst().lazy.map { $0 + base })
            }
            appendRaw(values)
            entryCount += entries
        default:
            preconditionFailure("appendInOnePass called for \(layout), which decodesInOnePass refuses")
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

    /// What `entryOffsets` accumulates over a branch's baskets and checks at the end (a
    /// branch-free inner loop, one verdict).
    struct OffsetChecks {
        let groupShift: Int
        var disorder = 0  // negative if some start is before 0 or before the one it follows
        var misaligned = 0  // nonzero if some entry is not a whole number of items
        var missing = false  // a basket without entry offsets

        init(groupShift: Int) { self.groupShift = groupShift }

        func verify() throws {
            guard !missing else { throw KaonError(.malformed, "jagged branch basket without entry offsets") }
            guard disorder >= 0 else {
                throw KaonError(.malformed, "basket entry offsets out of order or outside the data")
            }
            guard misaligned == 0 else {
                throw KaonError(.malformed, "an entry's size is not a whole number of \(1 << groupShift)-byte items")
            }
        }
    }

    /// Writes the end offset (in items, counting from `items` before the basket) of each
    /// local entry of a jagged basket of items of `1 << checks.groupShift` bytes with no
    /// per-entry header to `target`, and returns the bytes of those entries in the payload.
    /// Entry starts are read where they are (parsed, or big-endian in the payload) and
    /// checked in the same branch-free pass: the first at or after 0, each at or after the
    /// one before, a whole number of items after the first, the last within the data.
    static func entryOffsets(_ data: BasketData, _ local: Range<Int>, items: Int, into target: UnsafeMutablePointer<Int>,
                             checks: inout OffsetChecks) throws -> Range<Int> {
        let groupShift = checks.groupShift
        let mask = 1 << groupShift - 1
        let count = local.count
        var disorder = 0, misaligned = 0
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
                    target[i] = items &+ bytes &>> groupShift
                }
            }
        } else if let table = data.offsetTable {
            // The stored offsets: entry i starts at table[i] - keyLength, the last entry ends
            // at the data end.
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
                        target[i] = items &+ bytes &>> groupShift
                    }
                }
                var last = count > 0 ? start(local.lowerBound &+ fromTable) : first
                if local.upperBound == n && count > 0 {
                    // The last entry ends at the data end.
                    let previous = last
                    last = border
                    disorder |= last &- previous
                    misaligned |= (last &- first) & mask
                    target[count &- 1] = items &+ (last &- first) &>> groupShift
                }
                disorder |= border &- last
                return (first, last)
            }
        } else {
            checks.missing = checks.missing || count > 0
            first = 0
            last = 0
        }
        checks.disorder |= disorder
        checks.misaligned |= misaligned
        return first..<max(first, last)
    }

    /// Copies the values in `data.payload[range]` (of `width` bytes, big-endian) to `target`
    /// in native order, after checking the range lies in the payload.
    static func swapCopy(_ data: BasketData, _ range: Range<Int>, width: Int, to target: UnsafeMutableRawPointer) throws {
        guard range.lowerBound >= 0, range.upperBound <= data.payload.count, range.count % width == 0 else {
            throw KaonError(.truncated, "item bytes \(range) outside the \(data.payload.count)-byte basket")
        }
        if range.isEmpty { return }
        data.payload.withUnsafeBytes { payload in
            swapCopy(payload.baseAddress! + range.lowerBound, target, count: range.count / width, width: width)
        }
    }
}
