import KaonIO
import KaonTree

extension RNTuple {
    /// Reads a field's values in the clusters `clusters` (all by default) as one column.
    ///
    /// `field` must be top-level or reached from the top through records only (its items
    /// are then the entries). The pages of all the clusters are fetched in one vectored read
    /// before any is decoded.
    public func read(_ field: FieldDescriptor, clusters selected: Range<Int>? = nil) throws -> Column {
        let range = selected ?? 0..<clusters.count
        let path = path(of: field)
        return try withContext(file: file.name, object: "\(name).\(path)") {
            guard range.lowerBound >= 0, range.upperBound <= clusters.count else {
                throw KaonError(.usage, "clusters \(range) asked for, the RNTuple has \(clusters.count)")
            }
            var ancestor = field
            while !ancestor.isTopLevel {
                ancestor = fields[ancestor.parentID]
                guard ancestor.role == .record else {
                    throw KaonError(.usage, "field \(path) lies inside \(ancestor.typeName) \(self.path(of: ancestor)); read that field instead")
                }
            }
            let reader = try FieldReader(ntuple: self, field: field, clusters: Array(range))
            return try reader.read(field, counts: range.map { clusters[$0].entryCount })
        }
    }

    /// Reads the field at a dot-separated path (see ``field(_:)``).
    public func read(_ path: String, clusters selected: Range<Int>? = nil) throws -> Column {
        try read(field(path), clusters: selected)
    }

    /// The clusters overlapping `entries`, as a range of cluster indices.
    public func clusters(overlapping entries: Range<Int>) -> Range<Int> {
        guard !entries.isEmpty, let first = cluster(containing: entries.lowerBound) else { return 0..<0 }
        let last = cluster(containing: min(entries.upperBound, entryCount) - 1) ?? first
        return first..<(last + 1)
    }
}
