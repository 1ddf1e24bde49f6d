/// A parsed ADL file: its blocks in order, each with its location.
///
/// ```swift
/// let file = try ADLParser.parse(ADLSource(name: "ex.adl", text: text))
/// for case .region(let region) in file.blocks { print(region.name, region.commands.count) }
/// ```
public struct ADLFile: Sendable {
    /// The source it was parsed from (diagnostics of later stages point into it).
    public let source: ADLSource
    /// The blocks, in file order.
    public let blocks: [ADLBlock]
}

/// A name with where it was written.
public struct ADLName: Sendable {
    /// The name.
    public let text: String
    /// Where.
    public let location: ADLLocation
}

/// A top-level block.
public enum ADLBlock: Sendable {
    /// `info NAME` and its `key value` lines (title, experiment, id, …): documentation only.
    case info(name: ADLName, entries: [(key: String, value: String)])
    /// `object NAME` built from `take`/`:` and filtered by `select`/`reject`.
    case object(ADLObjectBlock)
    /// `define NAME = expression` (also `:` for `=`): an alias, expanded where used.
    case define(name: ADLName, value: ADLExpression)
    /// `region NAME` and its commands.
    case region(ADLRegionBlock)
    /// `histoList NAME`: histograms filled wherever the list's name is written in a region.
    case histoList(name: ADLName, histograms: [ADLHistogram])
    /// `table NAME`: a binned lookup table (efficiencies) with its options and rows.
    case table(ADLTable)
    /// `countsformat NAME` and its `process` lines: the format of external `counts`.
    case countsFormat(name: ADLName, processes: [[String]])
}

/// `object NAME : SOURCE` / `take SOURCE`, then selections applied to each candidate.
public struct ADLObjectBlock: Sendable {
    /// Where the objects come from.
    public enum Source: Sendable {
        /// `take X`: the objects of collection (or object) `X`.
        case take(ADLExpression)
        /// `Union(A, B, …)`: the objects of all of them, ordered by decreasing pt.
        case union([ADLExpression])
        /// `comb(X[-1] X[-1] …)`: every unordered combination of that many distinct objects
        /// of `X`, each one object (their four-momentum sum).
        case combinations(ADLExpression)
    }
    /// The object's name.
    public let name: ADLName
    /// Its source (nil when the block never says: an error of the checker).
    public let source: Source?
    /// `select` (keep) / `reject` (drop) conditions, in order.
    public let commands: [ADLCut]
}

/// A `select` or `reject` line.
public struct ADLCut: Sendable {
    /// The condition.
    public let condition: ADLExpression
    /// True for `reject`: the candidate or event is dropped when the condition holds.
    public let rejects: Bool
}

/// `region NAME` and its commands, in order.
public struct ADLRegionBlock: Sendable {
    /// The region's name.
    public let name: ADLName
    /// Its commands.
    public let commands: [ADLRegionCommand]
}

/// One line of a region.
public enum ADLRegionCommand: Sendable {
    /// `select` / `reject`: a row of the cut flow.
    case cut(ADLCut)
    /// `weight NAME VALUE`: multiplies the event weight from here on.
    case weight(name: ADLName, value: ADLExpression)
    /// `histo …`: a histogram filled with the events passing the cuts above it.
    case histogram(ADLHistogram)
    /// A bare name: a region (its selection) or a histogram list (its histograms).
    case use(ADLName)
    /// `bin [LABEL] CONDITION` or `bin VARIABLE EDGE EDGE …`: disjoint sub-selections.
    case bin(label: String?, ADLBin, location: ADLLocation)
    /// `sort ATTRIBUTE(OBJECT) ascend|descend`: reorders that object for the commands below.
    case sort(key: ADLExpression, ascending: Bool)
    /// `print EXPRESSIONS…`: printed per event (accepted; Kaon records nothing for it).
    case print([ADLExpression], location: ADLLocation)
    /// `save NAME csv EXPRESSIONS…`: per-event values kept in the results.
    case save(name: ADLName, format: String, values: [ADLExpression])
    /// `counts FORMAT numbers…`: external counts, documentation for the cut above.
    case counts(format: ADLName, text: String)
}

/// A `bin` line.
public enum ADLBin: Sendable {
    /// `bin CONDITION`: one bin.
    case condition(ADLExpression)
    /// `bin VARIABLE e0 e1 … en`: bins [e0, e1), …, [en, ∞).
    case edges(ADLExpression, [Double])
}

/// `histo NAME, "TITLE", binning…, value(s)`.
public struct ADLHistogram: Sendable {
    /// A binning: `n, lower, upper` or variable edges written side by side.
    public enum Axis: Sendable {
        case regular(bins: Int, lower: Double, upper: Double)
        case variable([Double])
    }
    /// The histogram's name.
    public let name: ADLName
    /// Its title.
    public let title: String
    /// One axis (1D) or two (2D).
    public let axes: [Axis]
    /// One value per axis.
    public let values: [ADLExpression]
}

/// `table NAME` with `tabletype`, `nvars`, `errors` and rows of numbers.
public struct ADLTable: Sendable {
    /// The table's name.
    public let name: ADLName
    /// `tabletype` (e.g. `efficiency`).
    public let type: String
    /// `nvars`: the number of input variables.
    public let variables: Int
    /// `errors true|false`: whether rows carry down and up uncertainties.
    public let hasErrors: Bool
    /// The rows: value, [error-, error+], then a (lower, upper) pair per variable.
    public let rows: [[Double]]
}
