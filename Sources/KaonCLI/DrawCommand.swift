import ArgumentParser
import KaonEngine
import KaonHist
import KaonIO
import KaonROOT
import KaonRNTuple
import KaonTree
import KaonWrite

/// `kaon draw`: ROOT's TTree::Draw without ROOT.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Histogram an expression of a tree's branches (like TTree::Draw).",
        discussion: """
        EXPR is evaluated over every entry (in double precision) and filled into a histogram,
        which is printed in the terminal; -o also writes it to a file.

        The expression language:
          numbers, branch names, + - * / % ** (power), comparisons < <= > >= == !=,
          && || !, parentheses, true, false;
          element-wise functions abs sqrt exp log log10 sin cos tan asin acos atan sinh
          cosh tanh floor ceil, and with two arguments atan2 hypot pow min max;
          per-event reductions of a list: sum count min max mean any all;
          x[k]: the k-th element of a list (none when the list is shorter).
        A branch with one value per event (MET_pt, nJet) is per event; a counted array or
        vector (Jet_pt) is a list of one value per object. Mixing a list with a per-event
        value applies the value to every object of the event; two lists must have the same
        lengths. A list expression fills once per object; --where with a list cut selects
        objects, with a per-event cut whole events. None values are not filled.

        Bins: --bins N,LO,HI (1 ≤ N ≤ \(Binning.maximumCount), LO < HI); without it, 50 bins
        spanning the values (an extra pass). Values below LO and from HI up go to the under-
        and overflow bins. --no-plot skips the terminal plot (the totals are still printed).

        An expression that does not parse or names a missing branch is an error (status 1)
        whose message points at the token.

        Output (-o): .svg (a plot), .json (UHI JSON: hist/boost-histogram load it), .root
        (a TH1D with Sumw2 named "h", readable by ROOT and uproot; its statistics are the
        exact sums over the filled values, so ROOT's GetMean/GetStdDev are exact).

        Examples:
          kaon draw nano.root 'Muon_pt' --where 'abs(Muon_eta) < 2.4' --bins 50,0,200
          kaon draw nano.root:Events 'sum(Jet_pt)' --where 'nJet >= 2' --weight genWeight -o ht.svg
          kaon draw 'data/*.root' 'Jet_pt[0] / Jet_pt[1]' --bins 40,0,4 -o ratio.json
        """
    )

    @Argument(help: "FILE or FILE:TREE (FILE may be a quoted glob). Without TREE: Events, or the file's only tree.")
    var input: String

    @Argument(help: "The expression to histogram.")
    var expression: String

    @Option(name: .long, help: "A cut: entries (or objects) where it is false are not filled.")
    var `where`: String?

    @Option(name: .long, help: "A weight expression (per event or per object).")
    var weight: String?

    @Option(name: .long, help: "Binning N,LO,HI (regular). Default: 50 bins over the values' range.", transform: Binning.init(parsing:))
    var bins: Binning?

    @Option(name: .shortAndLong, help: "Also write the histogram to OUT.svg, OUT.json or OUT.root.")
    var output: String?

    @Option(name: .long, help: "Worker threads.")
    var threads: Int = 1

    @Option(name: .long, help: "Plot width in terminal columns (at least \(Self.minimumWidth)).")
    var width: Int = 80

    @Flag(name: .long, help: "Do not print the histogram in the terminal (only the totals).")
    var noPlot = false

    @OptionGroup var metrics: MetricsOption

    /// The narrowest terminal plot that still has room for a bin label, a value and a bar.
    static let minimumWidth = 20

    struct Binning {
        var count: Int
        var lower: Double
        var upper: Double

        /// Every thread fills its own copy of the histogram (16 bytes per bin), so the bin
        /// count is bounded to keep a typo from asking for terabytes.
        static let maximumCount = 10_000_000

        init(count: Int, lower: Double, upper: Double) {
            self.count = count
            self.lower = lower
            self.upper = upper
        }

        /// Parses `N,LO,HI`, saying which part is wrong.
        init(parsing argument: String) throws {
            let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3 else { throw ValidationError("expected N,LO,HI (three comma-separated numbers, e.g. 50,0,200)") }
            guard let n = Int(parts[0]) else {
                throw ValidationError("the number of bins N must be a whole number below \(Self.maximumCount), got '\(parts[0])'")
            }
            guard n >= 1 else { throw ValidationError("the number of bins N must be at least 1, got \(n)") }
            guard n <= Self.maximumCount else { throw ValidationError("the number of bins N must be at most \(Self.maximumCount), got \(n)") }
            guard let lo = Double(parts[1]), lo.isFinite else { throw ValidationError("LO must be a finite number, got '\(parts[1])'") }
            guard let hi = Double(parts[2]), hi.isFinite else { throw ValidationError("HI must be a finite number, got '\(parts[2])'") }
            guard lo < hi else { throw ValidationError("LO must be below HI, got LO = \(parts[1]) and HI = \(parts[2])") }
            self.init(count: n, lower: lo, upper: hi)
        }
    }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard width >= Self.minimumWidth else { throw ValidationError("--width must be at least \(Self.minimumWidth) columns, got \(width)") }
        if let output, ![".svg", ".json", ".root"].contains(where: { output.hasSuffix($0) }) {
            throw ValidationError("-o takes a .svg, .json or .root file name")
        }
    }

    func run() throws {
        let plan = try DrawPlan(expression: expression, cut: `where`, weight: weight)
        let spec = ObjectSpec(input)
        let treePath = try spec.path ?? Self.defaultTree(in: spec.file)
        let items = try Dataset(files: [spec.file], tree: treePath).workItems()
        let options = RunOptions(threads: threadsToUse(threads))
        if let output { PendingOutputs.expect([output]) }

        let binning: Binning
        if let bins {
            binning = bins
        } else {
            binning = try Self.autoBinning(plan: plan, items: items, options: options)
        }
        let axis = RegularAxis(bins: binning.count, lower: binning.lower, upper: binning.upper,
                               metadata: .init(name: "x", label: expression))
        let empty = Histogram<WeightStorage>(axes: [.regular(axis)], metadata: .init(name: "kaon draw", label: expression))
        let result = try Executor.run(items, options: options, makeAccumulator: { DrawAccumulator(histogram: empty) }) { acc, block in
            let (values, weights) = try plan.entries(count: block.count, load: block.column)
            try acc.histogram.fill(column: values, weights: weights)
            acc.filled += values.count
            acc.addStatistics(values, weights, lower: binning.lower, upper: binning.upper)
        }
        let histogram = result.value.histogram
        if !noPlot { print(histogram.textPlot(width: width, flow: true)) }
        let total = histogram.sum(flow: true)
        print("\(result.value.filled) entries filled, sum of weights \(HumanFormat.measurement(total.value, uncertainty: total.variance.squareRoot())) (flow bins included)")
        writeToStandardError(result.summary.description + "\n")
        try metrics.write(RunMetrics(command: "draw", summary: result.summary))
        if let output {
            let record = provenance(inputs: result.summary.inputs, threads: options.threads)
            if output.hasSuffix(".root") {
                let file = try ROOTFileWriter(path: output, title: "kaon draw")
                try file.write(WritableHistogram(histogram, name: "h", title: expression, entries: Double(result.value.filled),
                                                 statistics: result.value.rootStatistics), to: "h")
                try file.write(record)
                try file.close()
            } else {
                let text = output.hasSuffix(".svg")
                    ? histogram.svgPlot(.init(title: expression, xLabel: expression, yLabel: weight == nil ? "entries" : "sum of weights",
                                              metadata: [Provenance.outputName: record.json.text]))
                    : histogram.uhiJSON.text
                try OutputFile.write(text, to: output)
            }
        }
    }

    /// What produced the histogram: the files read (with the entries read), and the
    /// expression, cut, weight and binning as the configuration.
    func provenance(inputs: [Provenance.Input], threads: Int) -> Provenance {
        var configuration = Provenance.Configuration()
        configuration.add("expression", Array(expression.utf8))
        if let cut = `where` { configuration.add("where", Array(cut.utf8)) }
        if let weight { configuration.add("weight", Array(weight.utf8)) }
        if let bins { configuration.add("bins", Array("\(bins.count),\(bins.lower),\(bins.upper)".utf8)) }
        return Provenance(inputs: inputs, kaonVersion: KaonBuild.version, gitCommit: KaonBuild.gitCommit, analysis: "kaon draw",
                          configuration: configuration, commandLine: CommandLine.arguments, threads: threads)
    }

    /// The tree to draw from when none is named: Events, else the only tree in the file.
    static func defaultTree(in pattern: String) throws -> String {
        guard let first = try Chain.expand(pattern).first else { throw KaonError(.notFound, "no files match \(pattern)") }
        let file = try ROOTFile(path: first)
        let trees = file.root.keys.filter { ["TTree", "TNtuple", RNTuple.className].contains($0.className) }.map(\.name)
        if trees.contains("Events") { return "Events" }
        let unique = Array(Set(trees)).sorted()
        guard unique.count == 1 else {
            throw KaonError(.usage, unique.isEmpty ? "no tree at the top of the file; name one as FILE:TREE"
                                                   : "several trees (\(unique.joined(separator: ", "))); name one as FILE:TREE",
                            file: first)
        }
        return unique[0]
    }

    /// 50 bins spanning the filled values, from a first pass.
    static func autoBinning(plan: DrawPlan, items: [WorkItem], options: RunOptions) throws -> Binning {
        let range = try Executor.run(items, options: options, makeAccumulator: { ValueRange() }) { range, block in
            for value in try plan.entries(count: block.count, load: block.column).values where value.isFinite {
                range.lower = Swift.min(range.lower, value)
                range.upper = Swift.max(range.upper, value)
            }
        }.value
        guard range.lower <= range.upper else { return Binning(count: 50, lower: 0, upper: 1) }
        var lower = range.lower
        var upper = range.upper
        if lower == upper {
            lower -= 0.5
            upper += 0.5
        } else {
            // The maximum must fall inside the last bin, not on its upper edge (overflow).
            upper += (upper - lower) * 1e-9
        }
        return Binning(count: 50, lower: lower, upper: upper)
    }
}

/// A weighted histogram, the number of entries filled, and ROOT's fill statistics (sums
/// of w, w², w·x, w·x² over values inside the axis range), merged across blocks.
struct DrawAccumulator: Accumulator, Sendable {
    var histogram: Histogram<WeightStorage>
    var filled = 0
    var sumW = 0.0, sumW2 = 0.0, sumWX = 0.0, sumWX2 = 0.0

    mutating func addStatistics(_ values: [Double], _ weights: [Double]?, lower: Double, upper: Double) {
        for (i, x) in values.enumerated() where x >= lower && x < upper {
            let w = weights?[i] ?? 1
            sumW += w
            sumW2 += w * w
            sumWX += w * x
            sumWX2 += w * x * x
        }
    }

    var rootStatistics: [String: Double] {
        ["fTsumw": sumW, "fTsumw2": sumW2, "fTsumwx": sumWX, "fTsumwx2": sumWX2]
    }

    mutating func merge(_ other: DrawAccumulator) {
        histogram += other.histogram
        filled += other.filled
        sumW += other.sumW
        sumW2 += other.sumW2
        sumWX += other.sumWX
        sumWX2 += other.sumWX2
    }
}

/// The smallest and largest finite value seen.
struct ValueRange: Accumulator, Sendable {
    var lower = Double.infinity
    var upper = -Double.infinity

    mutating func merge(_ other: ValueRange) {
        lower = Swift.min(lower, other.lower)
        upper = Swift.max(upper, other.upper)
    }
}
