import KaonIO
import KaonTree

/// A ``ColumnSource`` over a range of entries of one `KaonTree.Tree`: the standalone
/// (engine-less) unit the object view reads.
///
/// Reading is lazy: `column(_:)` decodes only the baskets of the asked-for branch that
/// overlap ``entries``.
///
/// ```swift
/// let tree = try Tree(file: ROOTFile(path: "nano.root"), path: "Events")
/// let chunk = TreeChunk(tree: tree, entries: 0..<1000)
/// let view = ChunkView(source: chunk)
/// for i in 0..<view.count { print(view[i].muons.count) }
/// ```
public final class TreeChunk: ColumnSource {
    /// The tree read from.
    public let tree: Tree
    /// The entries of the tree this chunk covers.
    public let entries: Range<Int>
    /// Every branch name of the tree (shared between the chunks of one ``Events``, built once).
    let branchNames: Set<String>

    /// A chunk covering `entries` of `tree` (clamped to the tree's entries).
    ///
    /// ```swift
    /// let chunk = TreeChunk(tree: tree, entries: 0..<tree.entries)
    /// ```
    public convenience init(tree: Tree, entries: Range<Int>) {
        self.init(tree: tree, entries: entries, branchNames: Self.names(of: tree))
    }

    init(tree: Tree, entries: Range<Int>, branchNames: Set<String>) {
        self.tree = tree
        self.entries = entries.clamped(to: 0..<tree.entries)
        self.branchNames = branchNames
    }

    /// Names and paths of every branch of `tree`, for ``hasColumn(_:)``.
    static func names(of tree: Tree) -> Set<String> {
        var names = Set<String>()
        for branch in tree.allBranches {
            names.insert(branch.name)
            names.insert(branch.path)
        }
        return names
    }

    /// The number of entries (events) in the chunk.
    public var count: Int { entries.count }

    /// Reads branch `name` for this chunk's entries.
    ///
    /// ```swift
    /// let pt = try chunk.column("Muon_pt")
    /// ```
    public func column(_ name: String) throws -> Column {
        guard branchNames.contains(name) else {
            throw KaonError.missingBranch(name, in: sourceDescription)
        }
        return try tree.read(tree.branch(name), entries: entries)
    }

    /// Whether the tree has a branch with this name or path (no read).
    public func hasColumn(_ name: String) -> Bool { branchNames.contains(name) }

    /// `file:tree[entries]`, for error messages.
    public var sourceDescription: String { "\(tree.file.name):\(tree.path) entries \(entries.lowerBound)..<\(entries.upperBound)" }
}
