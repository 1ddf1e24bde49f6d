import KaonIO
import Testing

/// `RangeCoalescing`: which ranges merge into one span (uproot's gap and size limits) and
/// that every range is cut back out of its span byte for byte.
@Suite struct RangeCoalescingTests {
    /// A source over the bytes 0, 1, 2, … (mod 251) that records each vectored read.
    final class CountingSource: ByteSource, @unchecked Sendable {
        let name = "counting"
        let size: Int
        private(set) var calls: [[Range<Int>]] = []
        init(size: Int) { self.size = size }
        func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
            calls.append(ranges)
            return ranges.map { $0.map { UInt8($0 % 251) } }
        }
    }

    @Test func uprootsDefaults() {
        let defaults = RangeCoalescing()
        #expect(defaults.maximumGap == 32 * 1024)
        #expect(defaults.maximumSpanBytes == 10 * 1024 * 1024)
    }

    @Test func rangesWithinTheGapMergeAndFartherOnesDoNot() {
        let coalescing = RangeCoalescing(maximumGap: 100, maximumSpanBytes: 10_000)
        // Unsorted input; a gap of exactly 100 merges, 101 does not.
        let spans = coalescing.spans(covering: [300..<400, 0..<100, 200..<300, 501..<600])
        #expect(spans == [0..<400, 501..<600])
        #expect(coalescing.spans(covering: [0..<100, 200..<300]) == [0..<300])
        #expect(coalescing.spans(covering: [0..<100, 201..<300]) == [0..<100, 201..<300])
    }

    @Test func spansStopGrowingAtTheSizeLimitButOverlapsAlwaysMerge() {
        let coalescing = RangeCoalescing(maximumGap: 1000, maximumSpanBytes: 250)
        #expect(coalescing.spans(covering: [0..<100, 150..<250, 300..<400]) == [0..<250, 300..<400])
        // An overlapping range must sit inside one span even past the limit.
        #expect(coalescing.spans(covering: [0..<200, 100..<400]) == [0..<400])
        // One range longer than the limit stays whole; empty ranges are dropped.
        #expect(coalescing.spans(covering: [0..<1000, 5..<5]) == [0..<1000])
    }

    @Test func readIsOneVectoredCallAndReturnsEachRangeInOrder() throws {
        let source = CountingSource(size: 100_000)
        let ranges = [50_000..<50_010, 10..<20, 15..<30, 40_000..<40_004, 7..<7, 90_000..<90_500]
        let blobs = try RangeCoalescing(maximumGap: 20_000).read(ranges, from: source)
        #expect(source.calls == [[10..<30, 40_000..<50_010, 90_000..<90_500]])
        #expect(blobs == ranges.map { $0.map { UInt8($0 % 251) } })
    }
}
