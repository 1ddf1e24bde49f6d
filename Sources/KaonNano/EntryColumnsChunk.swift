import KaonIO
import KaonTree

/// A ``ColumnSource`` over a range of entries of any `KaonTree.EntryColumns` (an RNTuple,
/// a chain): the object view reads an RNTuple through it exactly as it reads a tree through
/// ``TreeChunk``.
///
/// ```swift
/// let ntuple = try RNTuple(file: ROOTFile(path: "nano-rntuple.root"), path: "Events")
/// let view = ChunkView(source: EntryColumnsChunk(ntuple, entries: 0..<ntuple.entryCount, description: "nano"))
/// ```
public final class EntryColumnsChunk: ColumnSource {
    public let columns: any EntryColumns
    /// The entries this chunk covers.
    public let entries: Range<Int>
    let description: String

    /// A chunk covering `entries` (clamped to the entries there are).
    public init(_ columns: any EntryColumns, entries: Range<Int>, description: String) {
        self.columns = columns
        self.entries = entries.clamped(to: 0..<columns.entryCount)
        self.description = description
    }

    public var count: Int { entries.count }

    public func column(_ name: String) throws -> Column {
        guard columns.hasColumn(name) else { throw KaonError.missingBranch(name, in: sourceDescription) }
        return try columns.readColumn(name, entries: entries)
    }

    public func hasColumn(_ name: String) -> Bool { columns.hasColumn(name) }

    /// `description[entries]`, for error messages.
    public var sourceDescription: String { "\(description) entries \(entries.lowerBound)..<\(entries.upperBound)" }
}
