/// What a physical column costs on disk, summed over every cluster: for `kaon show`.
public struct ColumnStorage: Sendable, Equatable {
    public var pages = 0
    public var elements = 0
    /// Bytes as stored (compressed), page checksums excluded.
    public var storedBytes = 0
    /// Bytes once decompressed (elements × bits on storage).
    public var uncompressedBytes = 0
    /// ROOT's compression settings (algorithm × 100 + level) of the clusters, in order, once each.
    public var compressionSettings: [Int] = []
}

extension RNTuple {
    /// The storage of physical column `id` over all clusters, or over the clusters `only`.
    public func storage(ofColumn id: Int, clusters only: Range<Int>? = nil) -> ColumnStorage {
        var storage = ColumnStorage()
        let bits = columns[id].bitsOnStorage
        for cluster in clusters[only ?? clusters.indices] where id < cluster.columns.count {
            let range = cluster.columns[id]
            storage.pages += range.pages.count
            for page in range.pages {
                storage.elements += page.elementCount
                storage.storedBytes += page.locator.size
                storage.uncompressedBytes += (page.elementCount * bits + 7) / 8
            }
            if let setting = range.compressionSettings, !range.pages.isEmpty, !storage.compressionSettings.contains(setting) {
                storage.compressionSettings.append(setting)
            }
        }
        return storage
    }

    /// The physical columns of `field` and of every field below it (alias columns included).
    public func columnIDs(under field: FieldDescriptor) -> [Int] {
        var ids: [Int] = []
        var pending = [field.id]
        while let id = pending.popLast() {
            ids += fields[id].columnIDs
            pending += fields[id].childIDs
        }
        return ids.sorted()
    }
}
