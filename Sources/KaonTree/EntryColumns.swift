/// Entries whose values are read by name, as ``Column``s: a TTree (or a chain of them) or an
/// RNTuple (KaonRNTuple's `RNTuple`).
///
/// What `kaon dump` and other readers of "columns by name" use, so that they read an RNTuple
/// exactly as they read a tree.
public protocol EntryColumns: Sendable {
    /// The number of entries.
    var entryCount: Int { get }
    /// The names of every column with data, in storage order (branch paths, field names).
    var columnNames: [String] { get }
    /// The name `name` resolves to (a branch's path for a branch's short name), so that the
    /// same column asked for twice can be recognised.
    func resolvedName(_ name: String) throws -> String
    /// The values of column `name` for `entries` (clamped to the entries there are).
    func readColumn(_ name: String, entries: Range<Int>) throws -> Column
    /// The entry ranges of the units storage is read in (a tree's clusters, an RNTuple's
    /// clusters): readers that split the entries into chunks cut at these.
    var entryClusters: [Range<Int>] { get }
}

extension EntryColumns {
    /// Whether there is a column `name` (without reading it).
    public func hasColumn(_ name: String) -> Bool { (try? resolvedName(name)) != nil }
}

extension Chain: EntryColumns {
    public var entryCount: Int { entries }

    public var columnNames: [String] {
        trees[0].dataBranches.filter { (try? $0.interpretation.get()) != nil || $0.basketCount > 0 }.map(\.path)
    }

    public func resolvedName(_ name: String) throws -> String { try trees[0].branch(name).path }

    public func readColumn(_ name: String, entries: Range<Int>) throws -> Column { try read(name, entries: entries) }

    public var entryClusters: [Range<Int>] {
        zip(trees, starts).flatMap { tree, start in tree.clusters.map { ($0.lowerBound + start)..<($0.upperBound + start) } }
    }
}
