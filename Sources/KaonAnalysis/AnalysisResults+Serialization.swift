import KaonEngine
import KaonHist
import KaonIO

extension AnalysisResults {
    /// The magic bytes that start serialized results.
    static let magic = Array("KAONRSLT".utf8)
    /// The format version written; readers refuse other versions.
    public static let formatVersion = 1

    /// The results as bytes, to merge with results of other processes.
    ///
    /// Format (version 1, all integers little-endian `Int64`, doubles as IEEE-754 bit patterns,
    /// strings and byte blobs as a length then the bytes):
    /// 1. `"KAONRSLT"`, version (`Int64`), the analysis name;
    /// 2. the summary: entries, work items, seconds, threads, bytes loaded, skipped files (count, then file and reason);
    /// 3. the selections: count, then name and parent index (-1 for `all`);
    /// 4. the results: count, then name, selection index, kind (0 histogram, 1 count, 2 sum,
    ///    3 take) as one byte, and for histograms the axes as a UHI JSON array;
    /// 5. the samples: count, then name, group, MC flag (one byte), normalisation, variation
    ///    names (count, names), the cut flow (one cell tally per selection), for each result the
    ///    count of variations and their cell tallies, and the takes (count, then result index and
    ///    the list of JSON chunks).
    ///
    /// A cell tally is a cell count, then per cell the exact Σw and Σw² (``ExactSum``: lowest
    /// limb index, non-finite part, limb count, limbs), then the number of fills. Exact sums
    /// are stored in canonical form, so equal results give equal bytes.
    ///
    /// ```swift
    /// let bytes = try results.serialized()
    /// try OutputFile.write(bytes, to: "part-3.kaonresults")
    /// ```
    public func serialized() throws -> [UInt8] {
        var w = ArchiveWriter()
        w.bytes = Self.magic
        w.int(Self.formatVersion)
        w.string(analysisName)
        w.int(summary.entries); w.int(summary.workItems); w.double(summary.seconds); w.int(summary.threads)
        w.int(summary.bytesLoaded)
        w.int(summary.skipped.count)
        for entry in summary.skipped { w.string(entry.file); w.string(entry.error) }
        w.int(selections.count)
        for s in selections { w.string(s.name); w.int(s.parent) }
        w.int(results.count)
        for r in results {
            w.string(r.name); w.int(r.selection)
            switch r.kind {
            case .histogram(let axes): w.u8(0); w.string(JSONValue.array(axes.map(\.uhi)).text)
            case .count: w.u8(1)
            case .sum: w.u8(2)
            case .take: w.u8(3)
            }
        }
        w.int(samples.count)
        for (info, tally) in zip(samples, tallies) {
            w.string(info.name); w.string(info.group); w.u8(info.isMC ? 1 : 0); w.double(info.normalisation)
            w.int(info.variations.count)
            for v in info.variations { w.string(v) }
            for rows in tally.cutFlow { for row in rows { w.cells(row) } }
            for perVariation in tally.results {
                w.int(perVariation.count)
                for t in perVariation { w.cells(t) }
            }
            let takes = tally.takes.sorted { $0.key < $1.key }
            w.int(takes.count)
            for (index, take) in takes {
                w.int(index)
                w.int(take.chunks.count)
                for chunk in take.chunks { w.blob(chunk) }
            }
        }
        return w.bytes
    }

    /// Results read back from ``serialized()`` bytes.
    ///
    /// ```swift
    /// var total = try AnalysisResults(serialized: parts[0])
    /// for part in parts.dropFirst() { try total.merge(AnalysisResults(serialized: part)) }
    /// ```
    public init(serialized bytes: [UInt8], name: String = "analysis results") throws {
        var r = ArchiveReader(bytes, name: name)
        guard Array(try r.take(Self.magic.count)) == Self.magic else { throw r.fail("not Kaon analysis results (bad magic)") }
        let version = try r.int()
        guard version == Self.formatVersion else {
            throw KaonError(.unsupported, "analysis results format version \(version) (this Kaon reads version \(Self.formatVersion))", file: name)
        }
        let analysisName = try r.string()
        let entries = try r.int(), workItems = try r.int(), seconds = try r.double(), threads = try r.int(), bytesLoaded = try r.int()
        var skipped: [(file: String, error: String)] = []
        for _ in 0..<(try r.count(minimumSize: 16)) { skipped.append((try r.string(), try r.string())) }
        var selections: [SelectionInfo] = []
        for _ in 0..<(try r.count(minimumSize: 16)) {
            let name = try r.string(), parent = try r.int()
            guard parent >= -1, parent < selections.count else { throw r.fail("selection parent \(parent) out of range") }
            selections.append(SelectionInfo(name: name, parent: parent))
        }
        guard !selections.isEmpty else { throw r.fail("no selections") }
        var results: [ResultInfo] = []
        for _ in 0..<(try r.count(minimumSize: 17)) {
            let name = try r.string(), selection = try r.int()
            guard selection >= 0, selection < selections.count else { throw r.fail("result selection \(selection) out of range") }
            let kind: ResultInfo.Kind
            switch try r.u8() {
            case 0:
                guard let axes = try JSONValue.parse(try r.string()).array else { throw r.fail("histogram axes are not a JSON array") }
                kind = .histogram(try axes.map { try AnyAxis(uhi: $0) })
            case 1: kind = .count
            case 2: kind = .sum
            case 3: kind = .take
            case let other: throw r.fail("unknown result kind \(other)")
            }
            results.append(ResultInfo(name: name, selection: selection, kind: kind))
        }
        var samples: [SampleInfo] = []
        var tallies: [SampleTally] = []
        for _ in 0..<(try r.count(minimumSize: 16)) {
            let sampleName = try r.string(), group = try r.string(), isMC = try r.u8() != 0, normalisation = try r.double()
            var variations: [String] = []
            for _ in 0..<(try r.count(minimumSize: 8)) { variations.append(try r.string()) }
            var cutFlow: [[CellTally]] = []
            for _ in variations {
                var rows: [CellTally] = []
                for _ in selections { rows.append(try r.cells()) }
                cutFlow.append(rows)
            }
            var perResult: [[CellTally]] = []
            for result in results {
                let n = try r.count(minimumSize: 16)
                var list: [CellTally] = []
                for _ in 0..<n { list.append(try r.cells()) }
                let expected: Int
                switch result.kind {
                case .take: expected = 0
                case .histogram(let axes): expected = variations.count
                    guard list.allSatisfy({ $0.values.count == axes.reduce(1) { $0 * $1.extent } }) else {
                        throw r.fail("histogram '\(result.name)' has the wrong number of cells")
                    }
                case .count, .sum: expected = variations.count
                }
                guard n == expected else { throw r.fail("result '\(result.name)' has \(n) variations, expected \(expected)") }
                perResult.append(list)
            }
            var takes: [Int: TakeTally] = [:]
            for _ in 0..<(try r.count(minimumSize: 16)) {
                let index = try r.int()
                guard index >= 0, index < results.count, results[index].kind == .take else { throw r.fail("take index \(index) invalid") }
                var take = TakeTally()
                for _ in 0..<(try r.count(minimumSize: 8)) { take.chunks.append(try r.blob()) }
                takes[index] = take
            }
            for (k, result) in results.enumerated() where result.kind == .take && takes[k] == nil { takes[k] = TakeTally() }
            samples.append(SampleInfo(name: sampleName, group: group, isMC: isMC, normalisation: normalisation, variations: variations))
            tallies.append(SampleTally(cutFlow: cutFlow, results: perResult, takes: takes))
        }
        guard r.position == bytes.count else { throw r.fail("\(bytes.count - r.position) trailing bytes") }
        self.init(analysisName: analysisName, samples: samples,
                  summary: RunSummary(entries: entries, workItems: workItems, seconds: seconds, threads: threads,
                                      bytesLoaded: bytesLoaded, skipped: skipped),
                  selections: selections, results: results, tallies: tallies)
    }
}

extension SampleTally {
    init(cutFlow: [[CellTally]], results: [[CellTally]], takes: [Int: TakeTally]) {
        self.cutFlow = cutFlow
        self.results = results
        self.takes = takes
    }
}
