import ArgumentParser
import Dispatch
import KaonEngine
import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTree

/// `kaon scan FILE:TREE`: read every basket of the selected branches and report throughput.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Read and decode every basket of a tree's branches (page of an RNTuple's fields); report throughput.",
        discussion: """
        Reads every basket of every branch (or of the branches given with -b), decompresses
        it and decodes it into typed columns, then discards it: a full check that a file is
        readable and a measurement of Kaon's read speed. Memory stays at about one basket
        per thread. Prints entries, branches, baskets, compressed and uncompressed bytes,
        wall time and MB/s of uncompressed data.

        For an RNTuple, reads every top-level field (projected fields, which alias another
        field's columns, only when named with -b) cluster by cluster, each field's pages of a
        cluster in one vectored read, and reports pages instead of baskets.

        --decompress-only (TTrees only) stops after decompression (no decoding into columns): the floor
        that decoding is measured against.

        Example:
          kaon scan nano.root:Events --threads 2
        """
    )

    @Argument(help: "FILE:TREE — the tree to scan.")
    var object: String

    @Option(name: [.short, .customLong("branch")], help: "A branch to scan (repeatable). Default: every branch with data.")
    var branches: [String] = []

    @Option(name: .long, help: "Worker threads (baskets are spread over them).")
    var threads: Int = 1

    @Flag(name: .long, help: "Only read and decompress baskets; do not decode them.")
    var decompressOnly = false

    @Flag(name: .long, help: "Print the result as one JSON object.")
    var json = false

    @Option(name: .long, help: "Plan reads (one vectored read per cluster): automatic (remote files), always or never.")
    var readPlanning: ReadPlanning = .automatic

    @OptionGroup var ioStats: IOStatsOption

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let spec = ObjectSpec(object)
        guard let path = spec.path else { throw ValidationError("name the tree as FILE:TREE") }
        let start = ContinuousClock.now
        let ioStart = IOStatsOption.start()
        let file = try ROOTFile(path: spec.file)
        if let key = try? file.root.findKey(path: path), RNTuple.isAnchor(key) {
            return try scanRNTuple(RNTuple(file: file, key: key), start: start, ioStart: ioStart)
        }
        let tree = try Tree(file: file, path: path)
        let selected = branches.isEmpty
            ? tree.dataBranches.filter { (try? $0.interpretation.get()) != nil }
            : try branches.map { try tree.branch($0) }
        // Planned: a unit of work is a cluster's baskets, read in one vectored request (on a
        // remote file one round trip instead of one per basket); else one basket.
        let planned = readPlanning.plans(tree.file.source)
        let work: [[(branch: Branch, index: Int)]] = planned
            ? tree.basketsByCluster(selected)
            : selected.flatMap { branch in (0..<branch.basketCount).map { [(branch, $0)] } }
        let basketCount = work.reduce(0) { $0 + $1.count }
        let totals = ScanTotals()
        let next = WorkCounter()
        let decompressOnly = self.decompressOnly
        let threads = threadsToUse(self.threads)
        // On a terminal's stderr only, so --json output and pipes stay clean.
        let progress = KaonEngine.Progress(total: basketCount, unit: "baskets")
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let item = next.take(limit: work.count) {
                do {
                    let prefetched = planned ? try tree.prefetch(baskets: work[item]) : nil
                    for (branch, index) in work[item] {
                        if decompressOnly {
                            let sizes = try tree.decompressBasket(branch, index: index, prefetched: prefetched)
                            totals.add(stored: sizes.stored, uncompressed: sizes.uncompressed, values: 0)
                            progress.advance(by: 1, bytes: sizes.uncompressed)
                        } else {
                            let result = try tree.readBasket(branch, index: index, prefetched: prefetched)
                            totals.add(stored: result.stored, uncompressed: result.uncompressed, values: result.column.valueCount)
                            progress.advance(by: 1, bytes: result.uncompressed)
                        }
                    }
                } catch {
                    totals.fail(error)
                }
            }
        }
        progress.finish()
        if let error = totals.error { throw error }
        report(entries: tree.entries, what: "branches", count: selected.count, units: "baskets", unitCount: basketCount,
               totals: totals, threads: threads, start: start, ioStart: ioStart)
    }

    /// Prints the totals of a scan (of a tree's baskets or an RNTuple's pages).
    func report(entries: Int, what: String, count: Int, units: String, unitCount: Int, totals: ScanTotals, threads: Int,
                start: ContinuousClock.Instant, ioStart: (all: IOCounts, remote: IOCounts)) {
        let seconds = (ContinuousClock.now - start).inSeconds
        let megabytes = Double(totals.uncompressed) / 1e6
        if json {
            print(JSONValue.object([
                ("entries", .integer(Int64(entries))), (what, .integer(Int64(count))),
                (units, .integer(Int64(unitCount))), ("compressed_bytes", .integer(Int64(totals.stored))),
                ("uncompressed_bytes", .integer(Int64(totals.uncompressed))), ("values", .integer(Int64(totals.values))),
                ("seconds", .number(seconds)), ("threads", .integer(Int64(threads))),
                ("mb_per_s", .number(megabytes / seconds)),
                ("io", IOStatsOption.json(IOStatistics.process.counts - ioStart.all)),
            ]).text)
        } else {
            print("\(entries) entries, \(count) \(what), \(unitCount) \(units)")
            print("\(HumanFormat.bytes(totals.stored)) stored, \(HumanFormat.bytes(totals.uncompressed)) uncompressed"
                + (decompressOnly ? " (decompressed only)" : ", \(totals.values) values decoded"))
            let rate = seconds > 0 ? Double(totals.uncompressed) / seconds : 0
            var timing = "\(HumanFormat.duration(seconds: seconds)), \(HumanFormat.byteRate(rate)) uncompressed"
            if threads > 1 { timing += ", \(HumanFormat.byteRate(rate / Double(threads))) per thread on \(threads) threads" }
            print(timing)
        }
        ioStats.report(since: ioStart, toStandardError: json)
    }
}

/// Hands out work item indices to concurrent workers.
final class WorkCounter: @unchecked Sendable {
    private var next = 0
    private let lock = DispatchSemaphore(value: 1)
    func take(limit: Int) -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}

/// Byte and value counts accumulated by concurrent workers, and the first error.
final class ScanTotals: @unchecked Sendable {
    private(set) var stored = 0
    private(set) var uncompressed = 0
    private(set) var values = 0
    private(set) var error: Error?
    private let lock = DispatchSemaphore(value: 1)

    func add(stored: Int, uncompressed: Int, values: Int) {
        lock.wait()
        self.stored += stored
        self.uncompressed += uncompressed
        self.values += values
        lock.signal()
    }

    func fail(_ error: Error) {
        lock.wait()
        if self.error == nil { self.error = error }
        lock.signal()
    }
}
