import ArgumentParser
import Dispatch
import KaonEngine
import KaonIO
import KaonRNTuple
import KaonTree

extension ScanCommand {
    /// `kaon scan` on an RNTuple: every top-level field (those given with -b), cluster by
    /// cluster (one unit of work per field and cluster, its pages fetched in one vectored
    /// read), decoded into columns and discarded. Projected fields are skipped unless named:
    /// their columns are another field's. Prints what the TTree scan prints, with pages for
    /// baskets.
    func scanRNTuple(_ ntuple: RNTuple, start: ContinuousClock.Instant, ioStart: (all: IOCounts, remote: IOCounts)) throws {
        if decompressOnly { throw ValidationError("--decompress-only applies to TTrees; an RNTuple is always scanned in full") }
        let selected = branches.isEmpty ? ntuple.topLevelFields.filter { $0.sourceFieldID == nil }
                                        : try branches.map { try ntuple.field($0) }
        let work = selected.flatMap { field in ntuple.clusters.indices.map { (field: field, cluster: $0) } }
        let pageCount = selected.reduce(0) { total, field in
            total + ntuple.columnIDs(under: field).reduce(0) { $0 + ntuple.storage(ofColumn: $1).pages }
        }
        let totals = ScanTotals()
        let next = WorkCounter()
        let threads = threadsToUse(self.threads)
        let progress = KaonEngine.Progress(total: work.count, unit: "field clusters")
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let item = next.take(limit: work.count) {
                do {
                    let (field, cluster) = work[item]
                    let column = try ntuple.read(field, clusters: cluster..<(cluster + 1))
                    let storages = ntuple.columnIDs(under: field).map { ntuple.storage(ofColumn: $0, clusters: cluster..<(cluster + 1)) }
                    let uncompressed = storages.reduce(0) { $0 + $1.uncompressedBytes }
                    totals.add(stored: storages.reduce(0) { $0 + $1.storedBytes }, uncompressed: uncompressed,
                               values: Self.leafValueCount(column))
                    progress.advance(by: 1, bytes: uncompressed)
                } catch {
                    totals.fail(error)
                }
            }
        }
        progress.finish()
        if let error = totals.error { throw error }
        report(entries: ntuple.entryCount, what: "fields", count: selected.count, units: "pages", unitCount: pageCount,
               totals: totals, threads: threads, start: start, ioStart: ioStart)
    }

    /// Leaf values in a column, records counted member by member.
    static func leafValueCount(_ column: Column) -> Int {
        if case .record(_, let members) = column.values { return members.reduce(0) { $0 + leafValueCount($1) } }
        return column.valueCount
    }
}
