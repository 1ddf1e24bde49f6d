import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTree

/// What a work item's file and path open to: a TTree or an RNTuple.
///
/// The engine reads both through the same blocks (`EventBlock.column(_:)`); a tree's reads
/// are planned basket by basket (`ReadPlanner`), an RNTuple reads the pages of the
/// clusters a block covers in one vectored read per column.
public enum OpenedEntries: Sendable {
    case tree(Tree)
    case rntuple(RNTuple)

    /// Opens the object at `path` in `file`: an RNTuple when its key is an RNTuple anchor,
    /// otherwise a tree (whose errors say what else it is).
    public static func open(_ file: ROOTFile, path: String) throws -> OpenedEntries {
        if let key = try? file.root.findKey(path: path), RNTuple.isAnchor(key) {
            return .rntuple(try RNTuple(file: file, key: key))
        }
        return .tree(try Tree(file: file, path: path))
    }

    /// Opens the object at `path` in the file at `filePath`.
    public static func open(filePath: String, path: String) throws -> OpenedEntries {
        try open(ROOTFile(path: filePath), path: path)
    }

    /// The tree, when this is one.
    public var tree: Tree? {
        if case .tree(let tree) = self { return tree }
        return nil
    }

    /// The file it was opened from.
    public var file: ROOTFile {
        switch self {
        case .tree(let tree): tree.file
        case .rntuple(let ntuple): ntuple.file
        }
    }

    /// The number of entries.
    public var entries: Int {
        switch self {
        case .tree(let tree): tree.entries
        case .rntuple(let ntuple): ntuple.entryCount
        }
    }

    /// The entry ranges of the clusters (work items are made of whole clusters).
    public var clusters: [Range<Int>] {
        switch self {
        case .tree(let tree): tree.clusters
        case .rntuple(let ntuple): ntuple.entryClusters
        }
    }

    /// The path the object was opened at.
    public var path: String {
        switch self {
        case .tree(let tree): tree.path
        case .rntuple(let ntuple): ntuple.name
        }
    }
}
