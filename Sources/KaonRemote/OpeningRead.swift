#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonIO

/// What a remote source reads when it opens, before anyone asks: the file's first
/// ``headBytes`` and last ``tailBytes``, kept in memory so that reads inside them need no
/// request.
///
/// Opening a ROOT file is a chain of small reads, each needing the one before it (the header
/// says where the streamers and the top directory are, the directory where its keys list is,
/// the keys where the tree is): on a remote file each would be a round trip. ROOT puts the
/// header and the top directory's record at the start of a file and, when it closes a file,
/// writes the trees' metadata, the streamer list and the keys list at its end; so the first
/// and last bytes, read at once, usually answer the whole chain. Over HTTP they come in the
/// same request that learns the file's size (`Range: bytes=0-H,-T`), over XRootD in one
/// `kXR_readv` right after the open. A file no larger than both together is read whole.
///
/// The defaults hold the metadata of typical analysis trees (a NanoAOD tree of ~1500 branches
/// has ~1 MB of it; the tree then costs one more read) while costing little on a slow link:
/// half a megabyte is 40 ms at 100 Mbit/s, less than most round trips on a WAN.
public struct OpeningRead: Sendable, Equatable {
    /// Bytes read from the start of the file.
    public var headBytes: Int
    /// Bytes read from the end of the file.
    public var tailBytes: Int

    public init(headBytes: Int = 16 << 10, tailBytes: Int = 512 << 10) {
        self.headBytes = max(0, headBytes)
        self.tailBytes = max(0, tailBytes)
    }

    /// Nothing read ahead: opening costs only what learning the size costs.
    public static let nothing = OpeningRead(headBytes: 0, tailBytes: 0)

    /// The defaults, or `HEAD,TAIL` (bytes, e.g. `0,0` for nothing) from the variable
    /// `KAON_OPENING_READ` when it is set — on a very slow link, or to see every read a
    /// reader makes.
    public static func fromEnvironment(
        _ environment: (String) -> String? = { name in getenv(name).map { String(cString: $0) } }
    ) throws -> OpeningRead {
        guard let text = environment("KAON_OPENING_READ"), !text.isEmpty else { return OpeningRead() }
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingSpaces()) }
        guard fields.count == 2, let head = fields[0], let tail = fields[1], head >= 0, tail >= 0 else {
            throw KaonError(.usage, "KAON_OPENING_READ must be HEAD,TAIL in bytes (e.g. 16384,524288 or 0,0), not '\(text)'")
        }
        return OpeningRead(headBytes: head, tailBytes: tail)
    }

    /// Whether anything is read ahead.
    var isEmpty: Bool { headBytes == 0 && tailBytes == 0 }

    /// The ranges to read from a file of `size` bytes: sorted, disjoint, non-empty.
    func ranges(size: Int) -> [Range<Int>] {
        let head = 0..<min(headBytes, size)
        let tail = max(head.upperBound, size - tailBytes)..<size
        return [head, tail].filter { !$0.isEmpty }
    }
}
