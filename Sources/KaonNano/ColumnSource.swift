import KaonTree

/// Anything that can hand out a block of events' branches as columns: the unit the object
/// view reads from.
///
/// The object view never asks for a branch before user code touches it, and asks for each
/// branch at most once per source (``ChunkView`` caches), so a source may read lazily and
/// need not cache itself. The analysis engine's per-block object (`KaonEngine.EventBlock`)
/// conforms with nothing but its existing `column(_:)` and `count`; ``TreeChunk`` is the
/// standalone implementation over a `KaonTree.Tree`.
///
/// ```swift
/// final class InMemory: ColumnSource {
///     let columns: [String: Column]
///     let count: Int
///     init(_ columns: [String: Column], count: Int) { self.columns = columns; self.count = count }
///     func column(_ name: String) throws -> Column {
///         guard let c = columns[name] else { throw KaonError.missingBranch(name, in: "memory") }
///         return c
///     }
/// }
/// let view = ChunkView(source: InMemory(columns, count: 10))
/// ```
public protocol ColumnSource: AnyObject {
    /// The branch `name` for this block's events (one entry per event).
    func column(_ name: String) throws -> Column
    /// The number of events in the block.
    var count: Int { get }
    /// Whether the source has a branch `name`, without reading it. Used to pick between
    /// alternative spellings (`Jet_btagDeepB` or `Jet_btag`). The default tries to read it.
    func hasColumn(_ name: String) -> Bool
    /// A short description for error messages (file and tree). Defaults to the type name.
    var sourceDescription: String { get }
}

extension ColumnSource {
    /// Default: a source that cannot list its branches answers by trying to read (the
    /// result is cached by ``ChunkView`` only on success, so this costs one read at most).
    public func hasColumn(_ name: String) -> Bool { (try? column(name)) != nil }

    /// Default: the conforming type's name.
    public var sourceDescription: String { "\(type(of: self))" }
}
