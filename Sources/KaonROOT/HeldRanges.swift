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
    private let held: HeldBytes

    init(_ base: any ByteSource, _ ranges: [Range<Int>]) {
        self.base = base
        // A range from a corrupt header could span the file: such a one is not held.
        let clamped = ranges.map { $0.clamped(to: 0..<base.size) }.filter { !$0.isEmpty && $0.count <= Self.largestHeld }
        if let blobs = try? base.read(clamped) {
            held = HeldBytes(clamped, blobs)
        } else {
            held = HeldBytes()
        }
    }

    /// The longest range held (streamer lists are well under a megabyte).
    static let largestHeld = 16 << 20

    var name: String { base.name }
    var size: Int { base.size }
    var statistics: IOStatistics? { base.statistics }
    var isRemote: Bool { base.isRemote }

    func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        try held.read(ranges) { try base.read($0) }
    }
}
