#if canImport(Glibc)
import Glibc
#endif

/// What `kaon plot` draws from a results file, as plotIt and bamboo configure it: global
/// settings (experiment style and label, luminosity, √s), groups of samples (legend, colour,
/// stacking order, data / simulation / signal) and plots (which histograms, axis titles,
/// rebinning, log scale, ratio panel, blinded ranges, normalisation).
///
/// ```swift
/// let config = try PlotConfiguration.parse("""
///     settings: {experiment: CMS, label: Open Data, luminosity: 10, luminosity-unit: pb, energy: 13}
///     groups:
///       data: {type: data, samples: [SingleMuon]}
///       DY: {legend: "Drell–Yan", colour: "#5790fc", samples: [DYJetsToMuMu]}
///     plots:
///       mll: {x-title: "m(μμ) [GeV]", log: true, blind: [[85, 95]]}
///     """, file: "plots.yml")
/// print(config.groups.map(\.name))   // ["data", "DY"]
/// ```
public struct PlotConfiguration: Sendable {
    /// A group's role in a plot.
    public enum GroupType: String, Sendable, CaseIterable {
        /// Stacked simulation.
        case mc
        /// Points with Poisson error bars.
        case data
        /// Drawn over the stack as a line, or stacked on top with `stacked: true`.
        case signal
    }

    /// Samples drawn as one: summed, under one legend entry and colour.
    public struct Group: Sendable, Equatable {
        public var name: String
        public var legend: String
        public var colour: String?
        /// Stacking position: lower orders are drawn lower in the stack (ties by yield,
        /// smallest at the bottom).
        public var order: Int?
        public var type: GroupType
        /// Sample directories of the results file (glob patterns); default the group's name.
        public var samples: [String]
        /// For signals: stacked on the backgrounds instead of drawn as a line.
        public var stacked: Bool

        public init(name: String, legend: String? = nil, colour: String? = nil, order: Int? = nil, type: GroupType = .mc,
                    samples: [String]? = nil, stacked: Bool = false) {
            self.name = name
            self.legend = legend ?? name
            self.colour = colour
            self.order = order
            self.type = type
            self.samples = samples ?? [name]
            self.stacked = stacked
        }
    }

    /// How a plot scales its histograms.
    public enum Normalisation: String, Sendable, CaseIterable {
        /// As stored.
        case none
        /// Simulation scaled to the data yield (shapes compared).
        case toData = "to-data"
        /// Data and the total prediction each scaled to unit area.
        case unit
    }

    /// The options of the histograms a name pattern selects.
    public struct Plot: Sendable, Equatable {
        /// A histogram name or glob pattern (`mll`, `SR/*`, `*pt*`), matched against the name
        /// inside each sample directory (REGION/NAME for regions).
        public var pattern: String
        public var xTitle: String?
        public var yTitle: String?
        public var rebin: Int
        public var log: Bool
        public var ratio: Bool
        public var blinded: [ClosedRange<Double>]
        public var normalisation: Normalisation

        public init(pattern: String, xTitle: String? = nil, yTitle: String? = nil, rebin: Int = 1, log: Bool = false,
                    ratio: Bool = true, blinded: [ClosedRange<Double>] = [], normalisation: Normalisation = .none) {
            self.pattern = pattern
            self.xTitle = xTitle
            self.yTitle = yTitle
            self.rebin = rebin
            self.log = log
            self.ratio = ratio
            self.blinded = blinded
            self.normalisation = normalisation
        }
    }

    public var style: PlotStyle
    /// Empty: one group per sample directory, data recognised by name.
    public var groups: [Group]
    /// Empty: every 1D and 2D histogram with default options.
    public var plots: [Plot]
    /// Draw the cut flow from cutflow.json beside the results file (when there is one).
    public var cutFlow: Bool

    public init(style: PlotStyle = .cms(), groups: [Group] = [], plots: [Plot] = [], cutFlow: Bool = true) {
        self.style = style
        self.groups = groups
        self.plots = plots
        self.cutFlow = cutFlow
    }

    /// The options for histogram `name`: the first plot whose pattern matches, or the
    /// defaults when the configuration lists no plots; nil when it lists plots but none
    /// matches (the histogram is not drawn).
    public func plot(for name: String) -> Plot? {
        guard !plots.isEmpty else { return Plot(pattern: name) }
        return plots.first { globMatches($0.pattern, name) }
    }
}

/// Whether `name` matches the shell pattern `pattern` (`*`, `?`, `[…]`), `/` included in
/// what `*` matches.
func globMatches(_ pattern: String, _ name: String) -> Bool {
    fnmatch(pattern, name, 0) == 0
}
