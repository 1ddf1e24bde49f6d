import ArgumentParser
import KaonIO
import KaonTree
import KaonWrite

/// `kaon merge OUT IN...`: adds histograms and concatenates trees, like ROOT's hadd.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge ROOT files like hadd: add histograms, concatenate trees.",
        discussion: """
        Writes OUT with every object path found in any input (in order of first appearance):
          - histograms with the same path are added bin by bin: contents, sum of squared
            weights (unit weights assumed where an input stores none), entries and fill
            statistics; profiles add their per-bin sums and entries. Their binning (edges),
            number of axes and kind (profile or not) must agree: otherwise kaon names both
            files, the histogram and the difference, exits with status 1 and writes no OUT.
            The sum keeps the class of the first file's histogram (TH1F + TH1D is a TH1F).
          - trees with the same path are concatenated in the order the files are given. The
            first file holding the tree defines the branches; every later file must have
            them with the same types (extra branches are ignored).
        The same rules as `kaon copy` decide what can be written: see `kaon help copy`.
        Histograms keep their class (TH2F stays TH2F, TProfile2D stays TProfile2D) and
        directories their titles; only the highest cycle of each key is read, as hadd does.

        OUT is written under a temporary name and renamed when complete; if merging fails
        no OUT is left behind (an existing OUT is kept). Inputs may be globs (quoted).

        Output: one line per object, "copied<TAB>PATH" or "skipped<TAB>PATH: reason".

        Examples:
          kaon merge all.root run1.root run2.root run3.root
          kaon merge all.root 'runs/*.root' --compression lzma:9
        """
    )

    @Argument(help: "The ROOT file to write (replaced if it exists).")
    var output: String

    @Argument(help: "The ROOT files to merge, in order (globs allowed).")
    var inputs: [String]

    @Option(name: .long, help: "Output compression ALGORITHM:LEVEL (zlib, lzma, lz4, zstd, none). Default: the first input's.")
    var compression: String?

    @OptionGroup var metrics: MetricsOption

    func validate() throws {
        _ = try CopyOptions.compressionSettings(compression)
    }

    func run() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
        let options = try CopyOptions.make(compression: compression, branches: [], entries: nil)
        var files: [String] = []
        for pattern in inputs { files += try Chain.expand(pattern) }
        PendingOutputs.expect([output])
        try CopyOptions.run(options, command: "merge", source: files.joined(separator: ","), metrics: metrics) {
            try ROOTCopier.merge(inputs: files, into: output, options: $0)
        }
    }

}
