import KaonIO

/// A source that first reads a few ranges of `base` in one vectored read and then answers
/// reads inside them from memory, passing any other read to `base`: used while a file is
/// opened, when the next few small reads are known in advance (on a remote file each would
/// be a round trip of its own).
///
/// Ranges are clamped to the file; when they cannot be read the source holds nothing and
/// every read goes to `base`, so errors are the ones the reads would give anyway.
struct HeldRanges: ByteSource {
    let base: any ByteSource
    private let held: [(range: Range<Int>, bytes: [UInt8])]

    init(_ base: any ByteSource, _ ranges: [Range<Int>]) {
        self.base = base
        // A range from a corrupt header could span the file: such a one is not held.
        let clamped = ranges.map { $0.clamped(to: 0..<base.size) }.filter { !$0.isEmpty && $0.count <= Self.largestHeld }
        if let blobs = try? base.read(clamped) {
            held = zip(clamped, blobs).map { (range: $0, bytes: $1) }
        } else {
            held = []
        }
    }

    /// The longest range held (streamer lists are well under a megabyte).
    static let largestHeld = 16 << 20

    var name: String { base.name }
    var size: Int { base.size }
    var statistics: IOStatistics? { base.statistics }
    var isRemote: Bool { base.isRemote }

    func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        let answers = ranges.map { range -> [UInt8]? in
            if range.isEmpty { return [] }
            guard let hit = held.first(where: { $0.range.lowerBound <= range.lowerBound && range.upperBound <= $0.range.upperBound })
            else { return nil }
            let start = range.lowerBound - hit.range.lowerBound
            return Array(hit.bytes[start..<(start + range.count)])
        }
        let missing = zip(ranges, answers).filter { $0.1 == nil }.map(\.0)
        if missing.isEmpty { return answers.map { $0! } }
        var fetched = try base.read(missing).reversed() as [[UInt8]]
        return answers.map { $0 ?? fetched.removeLast() }
    }
}
