import KaonIO

/// The stored bytes of every page a read needs, fetched in one vectored read.
///
/// Reading a field plans first: every page of every column under the field in the chosen
/// clusters is collected, and all their byte ranges go to the `ByteSource` at once — merged
/// into few spans by ``RangeCoalescing`` on a remote source, as the TTree reader plans its
/// baskets — before any page is decoded.
struct PageStore {
    struct Slot: Hashable {
        var column: Int
        var cluster: Int
    }
    private var pages: [Slot: [[UInt8]]] = [:]

    init(ntuple: RNTuple, columns: Set<Int>, clusters: [Int]) throws {
        var slots: [Slot] = []
        var ranges: [Range<Int>] = []
        let source = ntuple.file.source
        for cluster in clusters {
            let descriptor = ntuple.clusters[cluster]
            for column in columns.sorted() where column < descriptor.columns.count {
                let range = descriptor.columns[column]
                if range.isSuppressed || range.pages.isEmpty { continue }
                slots.append(Slot(column: column, cluster: cluster))
                for page in range.pages {
                    let size = page.locator.size + (page.hasChecksum ? 8 : 0)
                    ranges.append(try source.checkedRange(offset: page.locator.offset, count: size))
                }
            }
        }
        let blobs = ranges.isEmpty ? []
            : source.isRemote ? try RangeCoalescing().read(ranges, from: source) : try source.read(ranges)
        var next = 0
        for slot in slots {
            let count = ntuple.clusters[slot.cluster].columns[slot.column].pages.count
            pages[slot] = Array(blobs[next..<(next + count)])
            next += count
        }
    }

    /// The stored bytes of each page of `column` in `cluster` (empty when it has none).
    func pages(column: Int, cluster: Int) -> [[UInt8]] {
        pages[Slot(column: column, cluster: cluster)] ?? []
    }
}
