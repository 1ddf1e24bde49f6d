import KaonIO
import KaonTree

/// An RNTuple's top-level fields (or fields inside top-level records, by dotted path) read
/// as columns, as `kaon dump` reads a tree's branches.
extension RNTuple: EntryColumns {
    public var columnNames: [String] { topLevelFields.map(\.name) }

    public var entryClusters: [Range<Int>] { clusters.map(\.entries) }

    public func resolvedName(_ name: String) throws -> String { path(of: try field(name)) }

    /// Reads the clusters covering `entries` and cuts the column to exactly those entries.
    public func readColumn(_ name: String, entries: Range<Int>) throws -> Column {
        let wanted = entries.clamped(to: 0..<entryCount)
        let field = try field(name)
        let covering = clusters(overlapping: wanted)
        guard !covering.isEmpty else { return try read(field, clusters: 0..<0) }
        let first = clusters[covering.lowerBound].firstEntry
        return try read(field, clusters: covering).entries((wanted.lowerBound - first)..<(wanted.upperBound - first))
    }
}
