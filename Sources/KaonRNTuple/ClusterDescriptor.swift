import KaonIO

/// One page of a column in a cluster: how many elements, and where its bytes are.
public struct PageDescriptor: Sendable, Equatable {
    public var elementCount: Int
    public var locator: Locator
    /// Whether an XXH3 checksum of the stored bytes follows the page (outside `locator`).
    public var hasChecksum: Bool
}

/// A column's part of one cluster: its pages, and where the cluster's elements start in the
/// column's element numbering.
public struct ColumnRange: Sendable, Equatable {
    /// The index, in the whole column, of the cluster's first element.
    public var firstElementIndex: Int
    /// Whether this column's representation is inactive (suppressed) in the cluster.
    public var isSuppressed: Bool
    /// ROOT's compression setting (algorithm × 100 + level); nil when suppressed.
    public var compressionSettings: Int?
    public var pages: [PageDescriptor]

    /// The elements the column stores in the cluster.
    public var elementCount: Int { pages.reduce(0) { $0 + $1.elementCount } }
}

/// One cluster: an entry range and, for each physical column, its pages in that range.
public struct ClusterDescriptor: Sendable, Equatable {
    public var firstEntry: Int
    public var entryCount: Int
    /// Indexed by physical column ID; columns added after the cluster was written are absent.
    public var columns: [ColumnRange]

    public var entries: Range<Int> { firstEntry..<(firstEntry + entryCount) }
}

/// A group of clusters, as the footer lists it: its entry span and the link to its page list.
struct ClusterGroup {
    var minimumEntry: Int
    var entrySpan: Int
    var clusterCount: Int
    var pageList: EnvelopeLink

    init(from cursor: inout LittleEndianCursor) throws {
        minimumEntry = try cursor.size("cluster group first entry")
        entrySpan = try cursor.size("cluster group entry span")
        clusterCount = Int(try cursor.u32())
        pageList = try EnvelopeLink(from: &cursor)
    }
}

/// Parses a page list envelope into its clusters (`headerChecksum` ties it to the header).
func parsePageList(_ envelope: LittleEndianCursor, headerChecksum: UInt64, expectedClusters: Int) throws -> [ClusterDescriptor] {
    var cursor = envelope
    let checksum = try cursor.u64()
    guard checksum == headerChecksum else {
        throw KaonError(.malformed, "page list belongs to another header (checksum 0x\(String(checksum, radix: 16)))")
    }
    let summaries: [(first: Int, count: Int)] = try cursor.recordList("cluster summary") { item in
        let first = try item.size("cluster first entry")
        let word = try item.u64()
        if word >> 56 & 0x01 != 0 {
            throw KaonError(.unsupported, "sharded clusters (a format feature newer than spec 1.0)")
        }
        return (first, Int(word & 0x00FF_FFFF_FFFF_FFFF))
    }
    let pagesPerCluster: [[ColumnRange]] = try cursor.list("cluster page locations") { cluster in
        try cluster.list("column page locations") { column in
            try column.frame("page list") { pages, count in
                guard let count else { throw KaonError(.malformed, "expected a list frame of pages") }
                var descriptors: [PageDescriptor] = []
                descriptors.reserveCapacity(count)
                for _ in 0..<count {
                    let raw = try pages.i32()
                    let elements = raw == Int32.min ? -1 : Int(raw.magnitude)
                    let locator = try Locator(from: &pages)
                    guard elements > 0 || raw == 0 else {
                        throw KaonError(.malformed, "page with \(raw) elements")
                    }
                    descriptors.append(PageDescriptor(elementCount: elements, locator: locator, hasChecksum: raw < 0))
                }
                let offset = try pages.i64()
                if offset < 0 {
                    guard descriptors.isEmpty else { throw KaonError(.malformed, "a suppressed column has pages") }
                    return ColumnRange(firstElementIndex: offset == Int64.min ? 0 : Int(offset.magnitude), isSuppressed: true,
                                       compressionSettings: nil, pages: [])
                }
                let settings = Int(try pages.u32())
                return ColumnRange(firstElementIndex: Int(offset), isSuppressed: false, compressionSettings: settings, pages: descriptors)
            }
        }
    }
    guard summaries.count == pagesPerCluster.count, summaries.count == expectedClusters else {
        throw KaonError(.malformed, "page list describes \(summaries.count) clusters with \(pagesPerCluster.count) page lists; its cluster group says \(expectedClusters)")
    }
    return zip(summaries, pagesPerCluster).map { ClusterDescriptor(firstEntry: $0.first, entryCount: $0.count, columns: $1) }
}
