/// How neighbouring byte ranges are merged into fewer, larger ones before a remote read.
///
/// On a remote source every separate range costs framing (a multipart part, a readv element)
/// and a server-side seek, while a small gap between two ranges costs only its bytes; so
/// ranges closer than ``maximumGap`` are read as one span and the gap is thrown away, as
/// long as the span stays under ``maximumSpanBytes`` (a bound on memory and on the size of
/// one answer).
///
/// The defaults are uproot's (`uproot.source.coalesce.CoalesceConfig`, uproot 5.7:
/// `max_range_gap = 32 * 1024`, `max_request_bytes = 10 * 1024 * 1024`). uproot applies the
/// byte limit to a whole request of several spans; here one vectored `ByteSource.read(_:)`
/// carries all spans of a work item and the source cuts it into requests by its own limits
/// (HTTP ranges per request, XRootD's 1024 readv elements), so the byte limit bounds a span.
///
/// ```swift
/// RangeCoalescing().spans(covering: [0..<100, 200..<300, 1_000_000..<1_000_010])
/// // [0..<300, 1000000..<1000010]
/// ```
public struct RangeCoalescing: Sendable, Equatable {
    /// Ranges separated by at most this many bytes are read as one span.
    public var maximumGap: Int
    /// A span is not grown past this many bytes by merging (a single longer range stays whole).
    public var maximumSpanBytes: Int

    public init(maximumGap: Int = 32 * 1024, maximumSpanBytes: Int = 10 * 1024 * 1024) {
        self.maximumGap = maximumGap
        self.maximumSpanBytes = maximumSpanBytes
    }

    /// The spans to read so that every non-empty range of `ranges` lies inside one of them:
    /// sorted, disjoint, each range inside exactly one.
    public func spans(covering ranges: [Range<Int>]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        for range in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = spans.last {
                let merged = last.lowerBound..<max(last.upperBound, range.upperBound)
                // Overlapping ranges always merge (a range must sit inside one span).
                if range.lowerBound < last.upperBound
                    || (range.lowerBound - last.upperBound <= maximumGap && merged.count <= maximumSpanBytes) {
                    spans[spans.count - 1] = merged
                    continue
                }
            }
            spans.append(range)
        }
        return spans
    }

    /// Reads `ranges` from `source` through one vectored read of their coalesced spans, and
    /// returns each range's bytes in the order asked.
    public func read(_ ranges: [Range<Int>], from source: any ByteSource) throws -> [[UInt8]] {
        let spans = spans(covering: ranges)
        let blobs = try source.read(spans)
        return ranges.map { range in
            if range.isEmpty { return [] }
            // The span holding the range: the last one starting at or before it.
            var low = 0, high = spans.count
            while low < high {
                let middle = (low + high) / 2
                if spans[middle].lowerBound <= range.lowerBound { low = middle + 1 } else { high = middle }
            }
            let span = spans[low - 1]
            let start = range.lowerBound - span.lowerBound
            return Array(blobs[low - 1][start..<(start + range.count)])
        }
    }
}
