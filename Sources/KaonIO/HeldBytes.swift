/// Bytes of a source already in memory, by range, so that a read falling inside one of them
/// needs no request: what a remote source read speculatively when it opened (the first and last
/// bytes of the file), or the few ranges a ROOT file's opening knows it will read next.
public struct HeldBytes: Sendable {
    private let pieces: [(range: Range<Int>, bytes: [UInt8])]

    /// Nothing held: every read goes to the source.
    public init() { pieces = [] }

    /// Holds `bytes[i]` as the contents of `ranges[i]` (their counts must match).
    public init(_ ranges: [Range<Int>], _ bytes: [[UInt8]]) {
        precondition(ranges.count == bytes.count && zip(ranges, bytes).allSatisfy { $0.count == $1.count },
                     "held ranges and bytes disagree")
        pieces = zip(ranges, bytes).filter { !$0.0.isEmpty }.map { (range: $0, bytes: $1) }
    }

    /// The ranges held.
    public var ranges: [Range<Int>] { pieces.map(\.range) }

    /// The bytes of `range` when one held piece contains all of it.
    public func bytes(_ range: Range<Int>) -> [UInt8]? {
        if range.isEmpty { return [] }
        guard let hit = pieces.first(where: { $0.range.lowerBound <= range.lowerBound && range.upperBound <= $0.range.upperBound })
        else { return nil }
        let start = range.lowerBound - hit.range.lowerBound
        return Array(hit.bytes[start..<(start + range.count)])
    }

    /// The bytes of each of `ranges`, in order: held ones from memory, the others through ONE
    /// call of `readMissing` (not made when every range is held).
    public func read(_ ranges: [Range<Int>], readMissing: ([Range<Int>]) throws -> [[UInt8]]) rethrows -> [[UInt8]] {
        let answers = ranges.map { bytes($0) }
        let missing = zip(ranges, answers).filter { $0.1 == nil }.map(\.0)
        if missing.isEmpty { return answers.map { $0! } }
        var fetched = Array(try readMissing(missing).reversed())
        return answers.map { $0 ?? fetched.removeLast() }
    }
}
