import Foundation
import KaonEngine
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Synchronization
import Testing

/// `RunOptions.readAheadItems`: a worker has that many items' baskets being read while it
/// decodes one, their reads overlapping — observed on a source whose every read waits, as a
/// read over a long round trip does. Results must equal uproot's values whatever the depth.
@Suite(.serialized) struct ReadAheadTests {
    /// uproot-foriter.root: 46 entries of `data` (0…45, per uproot) in several clusters, each
    /// cut into blocks of a few entries.
    let file = sharedData + "/root/uproot-foriter.root"

    @Test(arguments: [1, 2, 3])
    func readsOfTheNextItemsOverlap(depth: Int) throws {
        try #require(FileManager.default.fileExists(atPath: file), "shared data missing at \(file)")
        let source = SlowSource(base: try LocalFileSource(path: file), delay: .milliseconds(150))
        let tree = try Tree(file: ROOTFile(source: source), path: "foriter")
        let items = try Dataset(files: [file], tree: "foriter").workItems(blockSize: 1)
        try #require(items.count >= 2 + depth)
        var options = RunOptions(threads: 1, progress: false, readPlanning: .always)
        options.readAheadItems = depth
        let result = try Executor.run(items, options: options, openTrees: [file: .tree(tree)],
                                      makeAccumulator: { Sum() }) { sum, block in
            sum.entries += block.count
            sum.total += try block.column("data").values(as: Int32.self).reduce(0) { $0 + Int($1) }
        }
        #expect(result.value == Sum(entries: 46, total: 45 * 46 / 2))
        // The first block learns its branch by reading it; from the second on, `depth` items
        // are read at once while one decodes.
        #expect(source.peak.load(ordering: .relaxed) == depth)
    }
}

private struct Sum: Accumulator, Equatable {
    var entries = 0
    var total = 0

    mutating func merge(_ other: Sum) {
        entries += other.entries
        total += other.total
    }
}

/// A local file whose every read first waits `delay`, counting the reads in flight at once.
private final class SlowSource: ByteSource {
    let base: LocalFileSource
    let delay: Duration
    private let inFlight = Atomic<Int>(0)
    /// The most reads in flight at one time.
    let peak = Atomic<Int>(0)

    init(base: LocalFileSource, delay: Duration) {
        self.base = base
        self.delay = delay
    }

    var name: String { base.name }
    var size: Int { base.size }
    var isRemote: Bool { true }

    func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        let now = inFlight.add(1, ordering: .relaxed).newValue
        peak.max(now, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds))
        return try base.read(ranges)
    }
}
