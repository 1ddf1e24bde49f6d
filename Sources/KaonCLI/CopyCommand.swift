import ArgumentParser
import KaonIO
import KaonWrite

/// `kaon copy IN OUT`: re-writes a file's trees and histograms with Kaon's writer.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the trees and histograms of a ROOT file into a new file written by Kaon.",
        discussion: """
        Reads IN with Kaon's reader and writes OUT with Kaon's writer: every TTree (all
        cycles but the highest are dropped) and every histogram, in the same directories
        under the same names. The output is written under a temporary name next to OUT and
        renamed when complete, so OUT never exists half-written; an existing OUT is replaced.

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

        Histograms: TH1, TH2 and TH3 of every storage type are written as TH1D, TH2D and
        TH3D (contents, sumw2, edges, bin labels, titles, entries and statistics are kept);
        TProfile as TProfile. 2D/3D profiles are skipped.

        Output: one line per object on standard output, "copied<TAB>PATH" or
        "skipped<TAB>PATH: reason".

        Compression: by default OUT uses IN's compression setting. --compression takes
        ALGORITHM:LEVEL with ALGORITHM one of zlib, lzma, lz4, zstd or none and LEVEL 1-9
        (zstd up to 22), e.g. zstd:5, lzma:9, lz4:4; the level may be omitted (ROOT's
        defaults: zlib 1, lzma 7, lz4 4, zstd 5); a ROOT number such as 505 also works.
        Payloads that do not shrink are stored uncompressed, as ROOT does.

        Examples:
          kaon copy nano.root small.root --compression zstd:5
          kaon copy nano.root muons.root -b nMuon -b Muon_pt -b Muon_eta --entries 0:10000
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

    func run() throws {
        var options = try CopyOptions.make(compression: compression, branches: branches, entries: entries)
        // A progress line per tree on a terminal's stderr (never in the report on stdout).
        let progress = TreeCopyProgress()
        options.progress = { tree, done, total in progress.update(tree: tree, done: done, total: total) }
        defer { progress.finish() }
        let report = try ROOTCopier.copy(from: input, to: output, options: options)
        progress.finish()
        CopyOptions.print(report)
    }
}

/// Option handling shared by `copy` and `merge`.
enum CopyOptions {
    static func make(compression: String?, branches: [String], entries: EntryRange?) throws -> ROOTCopier.Options {
        var settings: CompressionSettings?
        if let compression {
            guard let parsed = CompressionSettings(parsing: compression) else {
                throw ValidationError("--compression must be ALGORITHM:LEVEL with ALGORITHM zlib, lzma, lz4, zstd or none (got \(compression))")
            }
            settings = parsed
        }
        let range = entries.map { ($0.start ?? 0)..<max($0.start ?? 0, $0.stop ?? Int.max) }
        return ROOTCopier.Options(compression: settings, branches: branches, entries: range)
    }

    static func print(_ report: ROOTCopier.Report) {
        for path in report.written { Swift.print("copied\t\(path)") }
        for reason in report.skipped { Swift.print("skipped\t\(reason)") }
    }
}
