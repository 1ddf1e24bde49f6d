import ArgumentParser
import KaonEngine
import KaonIO
import KaonWrite

/// `kaon copy IN OUT`: re-writes a file's trees and histograms with Kaon's writer.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the trees and histograms of a ROOT file into a new file written by Kaon.",
        discussion: """
        Reads IN with Kaon's reader and writes OUT with Kaon's writer: every TTree and every
        histogram, in the same directories (with their titles) under the same names. As
        hadd does, only the highest cycle of each key is copied, unless --all-cycles keeps
        every cycle under its own number. The output is written under a temporary name next
        to OUT and renamed when complete, so OUT never exists half-written; an existing OUT
        is replaced. If none of IN's objects can be copied (an RNTuple-only file, for
        instance: Kaon writes RNTuples from trees but does not copy RNTuples yet), kaon
        says why, exits with status 1 and writes no OUT.

        Trees: branches are re-encoded one cluster at a time, so memory stays bounded for
        trees of any length. Kaon writes these branch kinds, which ROOT and uproot read:
          - numbers of every primitive type (bool, 8/16/32/64-bit signed and unsigned
            integers, float, double), scalars and fixed-size arrays (x[3], x[2][3]);
          - counted arrays sharing a counter (NanoAOD: nMuon and Muon_pt[nMuon]);
          - std::vector of numbers and of strings, and std::vector<std::vector<T>> of
            numbers (pointer arrays of split objects become vectors too);
          - other whole STL objects in their own branch (std::map, std::set, std::list,
            std::string, TString, containers of strings or of containers): ROOT's bytes
            of each entry are copied unchanged under the same class;
          - char* strings;
          - leaf lists (x/I:y/F:z[3]/D), as leaf lists.
        Double32_t and Float16_t are widened to double and float. Branches Kaon cannot
        write (whole unsplit user objects, which point to one another inside a basket)
        are left out and listed as "skipped" with the reason; so are other object
        classes. Sub-branches of split objects are written as top-level branches named
        after their leaf branch.

        Histograms keep their class: TH1, TH2 and TH3 of every storage type (C, S, I, L, F,
        D: TH1F stays TH1F, with its contents as floats), TProfile, TProfile2D and
        TProfile3D. Contents and flow bins, sumw2, edges, bin labels, titles, entries,
        statistics and profile bin entries are kept.

        RNTuple output: with --rntuple every tree is written as an RNTuple (format 1.0,
        under the tree's name, as ROOT's RNTupleImporter converts trees) that ROOT 6.34+
        and uproot read: scalars become fields of their type, fixed arrays std::array,
        counted arrays ROOT::VecOps::RVec (their counters stay fields of their own),
        vectors and strings the same, leaf lists records; whole objects are skipped. The
        pages use ROOT's default encodings (split, zigzag, delta offsets; plain when
        uncompressed) with checksums, and clusters of about 30 MB uncompressed
        (--cluster-size BYTES).
          kaon copy nano.root nano-rntuple.root --rntuple --compression zstd:5

        Output: one line per object on standard output, "copied<TAB>PATH" or
        "skipped<TAB>PATH: reason".

        Compression: by default OUT uses IN's compression setting. --compression takes
        ALGORITHM:LEVEL with ALGORITHM one of zlib, lzma, lz4, zstd or none and LEVEL 0-9
        (zstd 0-22, handed to libzstd as is; 0 stores uncompressed), e.g. zstd:5, lzma:9,
        lz4:4; the level may be omitted (ROOT's defaults: zlib 1, lzma 7, lz4 4, zstd 5).
        ROOT's number ALGORITHM*100+LEVEL (ALGORITHM 1 zlib, 2 lzma, 4 lz4, 5 zstd; 0 for
        none) such as 505 also works, with the same levels.
        Payloads that do not shrink are stored uncompressed, as ROOT does.

        Examples:
          kaon copy nano.root small.root --compression zstd:5
          kaon copy nano.root muons.root -b nMuon -b Muon_pt -b Muon_eta --entries 0:10000
          kaon copy hists.root same.root --all-cycles
        """
    )

    @Argument(help: "The ROOT file to read.")
    var input: String

    @Argument(help: "The ROOT file to write (replaced if it exists).")
    var output: String

    @Option(name: .long, help: "Output compression ALGORITHM:LEVEL (zlib, lzma, lz4, zstd, none), e.g. zstd:5. Default: the input's.")
    var compression: String?

    @Option(name: [.short, .customLong("branch")], help: "A branch to copy (repeatable; counters of counted arrays come along). Default: every branch.")
    var branches: [String] = []

    @Option(name: .long, help: "Entries START:STOP of every tree to copy (either side may be empty), e.g. 0:1000.")
    var entries: EntryRange?

    @Flag(name: .long, help: "Copy every cycle of each key under its own number (default: the highest, as hadd).")
    var allCycles = false

    @OptionGroup var metrics: MetricsOption

    @Flag(name: .long, help: "Write the trees as RNTuples (ROOT's columnar format 1.0) instead of TTrees.")
    var rntuple = false

    @Option(name: .long, help: "With --rntuple: uncompressed bytes per cluster (default 30000000).")
    var clusterSize: Int?

    func validate() throws {
        if let clusterSize, clusterSize < 1 { throw ValidationError("--cluster-size must be a positive number of bytes, not \(clusterSize)") }
        if clusterSize != nil, !rntuple { throw ValidationError("--cluster-size applies to --rntuple output only") }
        try entries?.validate()
        _ = try CopyOptions.compressionSettings(compression)
    }

    func run() throws {
        var options = try CopyOptions.make(compression: compression, branches: branches, entries: entries)
        options.allCycles = allCycles
        options.rntuple = rntuple
        options.rntupleClusterSize = clusterSize
        PendingOutputs.expect([output])
        try CopyOptions.run(options, command: "copy", source: input, metrics: metrics) {
            try ROOTCopier.copy(from: input, to: output, options: $0)
        }
    }
}

/// Option handling shared by `copy` and `merge`.
enum CopyOptions {
    static func make(compression: String?, branches: [String], entries: EntryRange?) throws -> ROOTCopier.Options {
        let range = entries.map { ($0.start ?? 0)..<max($0.start ?? 0, $0.stop ?? Int.max) }
        return ROOTCopier.Options(compression: try compressionSettings(compression), branches: branches, entries: range)
    }

    /// The --compression value, or a usage error (exit 64 with the usage) naming the
    /// accepted algorithms and levels. Commands call it from `validate()`, so the error
    /// comes before any file is opened.
    static func compressionSettings(_ text: String?) throws -> CompressionSettings? {
        guard let text else { return nil }
        do {
            return try CompressionSettings.parsed(text)
        } catch let error as KaonError {
            // The message starts "compression TEXT: …": as the option, "--compression TEXT: …".
            throw ValidationError("--\(error.message)")
        }
    }

    /// Runs a copy or merge with a progress line per tree on a terminal's standard error
    /// (never in the report on standard output), cleared before the report is printed or an
    /// error propagates.
    /// With `metrics`, each tree copied is a work item of the metrics written (`command`
    /// names the command, `source` what the trees come from).
    static func run(_ options: ROOTCopier.Options, command: String, source: String, metrics: MetricsOption,
                    _ body: (ROOTCopier.Options) throws -> ROOTCopier.Report) throws {
        var options = options
        let progress = TreeCopyProgress(source: source)
        options.progress = { tree, done, total in progress.update(tree: tree, done: done, total: total) }
        defer { progress.finish() }
        let start = ContinuousClock.now, ioStart = IOStatistics.process.counts
        let report = try body(options)
        progress.finish()
        print(report)
        let trees = progress.measured, io = IOStatistics.process.counts - ioStart
        try metrics.write(RunMetrics(command: command, workItems: trees, totals: .init(
            entries: trees.reduce(0) { $0 + $1.entries.count }, workItems: trees.count, threads: 1,
            wallSeconds: (ContinuousClock.now - start).inSeconds, cpuSeconds: trees.reduce(0) { $0 + $1.cpuSeconds },
            bytesRead: io.bytes, readRequests: io.requests, bytesDecompressed: 0)))
    }

    static func print(_ report: ROOTCopier.Report) {
        for path in report.written { Swift.print("copied\t\(path)") }
        for reason in report.skipped { Swift.print("skipped\t\(reason)") }
        for warning in report.warnings { writeToStandardError("Warning: \(warning)\n") }
    }
}
