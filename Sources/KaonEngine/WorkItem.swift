/// One unit of work: an entry range of a tree in one file.
///
/// Runs are described as lists of work items so that a run can be restricted to some of
/// them, or spread over processes and machines, without changing how results are computed:
/// each item's partial result depends only on the item, and partial results are merged in
/// item order.
public struct WorkItem: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var tree: String
    public var firstEntry: Int
    public var endEntry: Int

    public init(file: String, tree: String, entries: Range<Int>) {
        self.file = file
        self.tree = tree
        firstEntry = entries.lowerBound
        endEntry = entries.upperBound
    }

    public var entries: Range<Int> { firstEntry..<endEntry }

    public var description: String { "\(file):\(tree)[\(firstEntry):\(endEntry)]" }
}
