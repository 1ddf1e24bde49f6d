/// Where the bytes of a ROOT file come from.
///
/// Format code never opens files itself: it asks a `ByteSource` for ranges. Sources serve
/// *vectored* reads (many ranges in one call) so that a remote source (HTTP multi-range,
/// XRootD `readv`) can coalesce them into few round trips without the format code knowing.
public protocol ByteSource: Sendable {
    /// A human-readable name for messages (a path or URL).
    var name: String { get }
    /// The total number of bytes available.
    var size: Int { get }
    /// Reads each range and returns their bytes in the same order.
    ///
    /// Every range must lie inside `0..<size`; a range that does not is an error
    /// (`KaonError.Kind.truncated`), never a short read.
    func read(_ ranges: [Range<Int>]) throws -> [[UInt8]]
    /// What reading this source has cost so far; nil for a source that does not count.
    var statistics: IOStatistics? { get }
    /// Whether each read waits for a network round trip, so that readers should plan their
    /// reads (one coalesced vectored read per work item, read ahead of decoding).
    var isRemote: Bool { get }
}

extension ByteSource {
    public var statistics: IOStatistics? { nil }
    public var isRemote: Bool { false }

    /// Reads one range.
    public func read(_ range: Range<Int>) throws -> [UInt8] {
        try read([range])[0]
    }

    /// Reads `count` bytes at `offset`, checking the range against the source size first.
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        try read(checkedRange(offset: offset, count: count))
    }

    /// A validated range: declared sizes are checked against the source before they are
    /// trusted, so a corrupt field never causes a huge allocation.
    public func checkedRange(offset: Int, count: Int) throws -> Range<Int> {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw KaonError(.truncated, "range \(offset)+\(count) lies outside the file (\(size) bytes)", file: name)
        }
        return offset..<(offset + count)
    }
}
