import KaonEngine
import KaonNano
import KaonTree

/// The engine's block of entries is a source for the object view, so an analysis sees each
/// work item as ordinary `Event`s: `ChunkView(source: block)`.
///
/// `EventBlock` already has `column(_:)` and `count`; only the branch test and the error
/// description are refined here so that a missing branch names the file and entry range.
extension EventBlock: ColumnSource {
    /// Whether the block's tree has branch `name` (without reading it).
    public func hasColumn(_ name: String) -> Bool { hasBranch(name) }

    /// The work item (file, tree and entry range), for error messages.
    public var sourceDescription: String { item.description }
}
