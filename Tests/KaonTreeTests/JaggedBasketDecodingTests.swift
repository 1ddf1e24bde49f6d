import KaonIO
import KaonROOT
@testable import KaonTree
import Testing

/// The one-pass decoding of numeric branches (`ColumnBuilder.append(_:)` over all baskets,
/// reading a jagged branch's entry offsets straight from the payload) against the
/// basket-by-basket decoder, on hand-built baskets: the same column for every split of the
/// entries, and a `KaonError` — never a trap or a wrong column — for every kind of bad
/// entry offset.
@Suite("One-pass basket decoding")
struct JaggedBasketDecodingTests {
    static let keyLength = 77
    static let jagged = Interpretation.Layout.jagged(.primitive(.float32), shape: [], headerBytes: 0)

    /// A basket of `counts[i]` big-endian floats for entry `i` (values `first`, `first + 1`,
    /// …), followed by its entry-offset table as ROOT writes it; `edit` changes the stored
    /// entry starts (relative to the data) before they are written.
    static func basket(_ counts: [Int], first: Int = 0, edit: (inout [Int]) -> Void = { _ in }) -> (payload: [UInt8], last: Int) {
        var payload: [UInt8] = []
        var starts: [Int] = []
        var value = first
        for count in counts {
            starts.append(payload.count)
            for _ in 0..<count {
                withUnsafeBytes(of: Float(value).bitPattern.bigEndian) { payload.append(contentsOf: $0) }
                value += 1
            }
        }
        let last = keyLength + payload.count
        edit(&starts)
        let int32 = { (v: Int) in withUnsafeBytes(of: Int32(truncatingIfNeeded: v).bigEndian) { payload.append(contentsOf: $0) } }
        int32(counts.count + 1)
        for start in starts { int32(start + keyLength) }
        int32(0)
        return (payload, last)
    }

    static func data(_ basket: (payload: [UInt8], last: Int), entries: Int, parsing: Bool) throws -> BasketData {
        try BasketData(payload: basket.payload, keyLength: keyLength, last: basket.last, entryCount: entries, storedBytes: 0,
                       parsingOffsets: parsing)
    }

    static func parts(_ column: Column) -> (values: [UInt8], offsets: [[Int]], entries: Int) {
        guard case .primitive(_, let bytes) = column.values else { return ([], [], -1) }
        return (bytes, column.offsets, column.entryCount)
    }

    @Test("the one-pass path gives the basket-by-basket column, offsets parsed or not, for every split",
          arguments: [[3, 0, 2, 5, 1], [0, 0, 0], [4], [1, 2, 3, 4, 5, 6, 7, 0, 0, 9]])
    func sameColumn(_ counts: [Int]) throws {
        // Two baskets holding the entries before and after `cut`, read over `lower..<upper`.
        for cut in 0...counts.count {
            for lower in 0...counts.count {
                for upper in lower...counts.count {
                    let head = Array(counts[..<cut]), tail = Array(counts[cut...])
                    let raw = [Self.basket(head), Self.basket(tail, first: head.reduce(0, +))]
                    let sizes = [head.count, tail.count]
                    let second = (lower..<upper).clamped(to: cut..<counts.count)
                    let clamped = [(lower..<upper).clamped(to: 0..<cut), (second.lowerBound - cut)..<(second.upperBound - cut)]
                    var reference = ColumnBuilder(layout: Self.jagged, expectedBytes: 0)
                    for (index, local) in clamped.enumerated() {
                        try reference.append(try Self.data(raw[index], entries: sizes[index], parsing: true), entries: local)
                    }
                    let expected = Self.parts(reference.finish())
                    for parsing in [true, false] {
                        var builder = ColumnBuilder(layout: Self.jagged, expectedBytes: 0)
                        let baskets = try clamped.enumerated().map { index, local in
                            (data: try Self.data(raw[index], entries: sizes[index], parsing: parsing), entries: local)
                        }
                        try builder.append(baskets)
                        let got = Self.parts(builder.finish())
                        #expect(got.values == expected.values && got.offsets == expected.offsets && got.entries == expected.entries,
                                "counts \(counts) cut \(cut) entries \(lower)..<\(upper) parsing \(parsing)")
                    }
                }
            }
        }
    }

    /// Entry-offset corruptions, each one the one-pass path must reject.
    static let corruptions: [(String, @Sendable (inout [Int]) -> Void)] = [
        ("a start before the data", { $0[0] = -4 }),
        ("starts out of order", { $0.swapAt(1, 2) }),
        ("an entry not a whole number of items", { $0[2] += 2 }),
        ("a start past the data end", { $0[3] = 1 << 20 }),
        ("a start far past the data end", { $0[4] = Int(Int32.max) - 100 }),
        ("the last start past the data end", { $0[4] = 52 }),
    ]

    @Test("bad entry offsets are KaonErrors whether BasketData or the one-pass reader checks them",
          arguments: 0..<6)
    func badOffsets(_ index: Int) throws {
        let (name, edit) = Self.corruptions[index]
        let counts = [2, 3, 1, 4, 2]
        let raw = Self.basket(counts, edit: edit)
        for parsing in [true, false] {
            // Over the whole basket, and over entries that end exactly at the corrupted start.
            for entries in [0..<counts.count, 0..<min(index + 1, 4)] {
                #expect(throws: KaonError.self, "\(name), parsing \(parsing), entries \(entries)") {
                    var builder = ColumnBuilder(layout: Self.jagged, expectedBytes: 0)
                    try builder.append([(data: try Self.data(raw, entries: counts.count, parsing: parsing), entries: entries)])
                }
            }
        }
    }

    @Test("an offset table shorter than the entries it must describe is rejected before it is read")
    func truncatedTable() throws {
        // Three entries of one float; the table declares three offsets but holds two.
        var payload: [UInt8] = Array(repeating: 0, count: 12)
        for value in [3, Self.keyLength, Self.keyLength + 4] {
            withUnsafeBytes(of: Int32(value).bigEndian) { payload.append(contentsOf: $0) }
        }
        for parsing in [true, false] {
            #expect(throws: KaonError.self) {
                _ = try BasketData(payload: payload, keyLength: Self.keyLength, last: Self.keyLength + 12, entryCount: 3,
                                   storedBytes: 0, parsingOffsets: parsing)
            }
        }
    }
}
