import KaonIO

/// A histogram ready to be written as a ROOT TH1, TH2 or TH3 of any storage type (TH1D,
/// TH2F, TH3I, …), or as a TProfile, TProfile2D or TProfile3D.
///
/// This is KaonWrite's own, storage-agnostic input: the histogram library (KaonHist) and
/// the copy tools convert into it. Per-bin arrays are flat and in ROOT's global-bin order
/// with flow bins: bin (x, y, z) is at `x + (nx + 2)·(y + (ny + 2)·z)`, 0 being the underflow
/// and n + 1 the overflow of each axis.
///
/// ## Category axes (process × variation)
///
/// ROOT histograms have no categorical axes beyond bin labels. Kaon writes a histogram with
/// extra category axes as one ROOT histogram per category combination, named
///
///     <dir>/<name>__<cat1>__<cat2>…
///
/// in the order of the category axes — e.g. `mjj__ttbar__jesUp` for process `ttbar` and
/// variation `jesUp` — which is the convention combine-style fitting tools read. Use
/// `WritableHistogram.categoryPath(directory:name:categories:)` to form the path. A single
/// categorical axis that should stay *inside* one histogram is written as a labelled axis
/// (`Axis(labels:)`): one bin per category, bin labels as names.
public struct WritableHistogram: Sendable {
    /// One axis: bin edges, a title and optional bin labels.
    public struct Axis: Sendable, Equatable {
        /// The `nbins + 1` edges, increasing.
        public var edges: [Double]
        /// The axis title drawn under the axis.
        public var title: String
        /// One label per regular bin (a category axis), or nil.
        public var labels: [String]?

        /// A variable- or uniform-width axis from its edges.
        public init(edges: [Double], title: String = "", labels: [String]? = nil) {
            self.edges = edges
            self.title = title
            self.labels = labels
        }

        /// A uniform axis of `bins` bins from `low` to `high`, with edges computed as ROOT does.
        public init(bins: Int, low: Double, high: Double, title: String = "") {
            let width = (high - low) / Double(max(bins, 1))
            var edges = (0..<max(bins, 1)).map { low + Double($0) * width }
            edges.append(high)
            self.init(edges: edges, title: title)
        }

        /// A category axis: one bin per label, edges 0, 1, …, n.
        public init(labels: [String], title: String = "") {
            self.init(edges: (0...labels.count).map(Double.init), title: title, labels: labels)
        }

        /// The number of regular bins.
        public var bins: Int { edges.count - 1 }

        /// Whether ROOT's uniform-axis edge formula reproduces `edges` exactly (then only
        /// fXmin/fXmax are stored, as ROOT does for a fixed-width axis).
        var isUniform: Bool {
            guard let low = edges.first, let high = edges.last, bins >= 1 else { return false }
            let width = (high - low) / Double(bins)
            for (i, edge) in edges.enumerated().dropLast() where edge != low + Double(i) * width { return false }
            return true
        }

        /// The centre of regular bin `bin` (1-based).
        func center(_ bin: Int) -> Double { (edges[bin - 1] + edges[bin]) / 2 }
    }

    /// The profile part of a TProfile, TProfile2D or TProfile3D (mean storage). The profiled
    /// value *v* is y for a TProfile, z for a TProfile2D and t for a TProfile3D.
    public struct Profile: Sendable, Equatable {
        /// Σw per bin (`fBinEntries`).
        public var binEntries: [Double]
        /// Σw² per bin (`fBinSumw2`); empty if all weights were 1.
        public var binSumw2: [Double]
        /// ROOT's error mode code: 0 error of the mean, 1 spread, 2 integer spread, 3 Gaussian.
        public var errorMode: Int
        /// Lower limit of the profiled value (`fYmin`/`fZmin`/`fTmin`; equal limits: none).
        public var valueMinimum: Double
        /// Upper limit of the profiled value (`fYmax`/`fZmax`/`fTmax`).
        public var valueMaximum: Double
        /// Σw·v over all fills (`fTsumwy`/`fTsumwz`/`fTsumwt`).
        public var sumwy: Double
        /// Σw·v² over all fills (`fTsumwy2`/`fTsumwz2`/`fTsumwt2`).
        public var sumwy2: Double

        /// A profile part from its per-bin Σw (and Σw²) and the fill sums.
        public init(binEntries: [Double], binSumw2: [Double] = [], errorMode: Int = 0,
                    valueMinimum: Double = 0, valueMaximum: Double = 0, sumwy: Double, sumwy2: Double) {
            self.binEntries = binEntries
            self.binSumw2 = binSumw2
            self.errorMode = errorMode
            self.valueMinimum = valueMinimum
            self.valueMaximum = valueMaximum
            self.sumwy = sumwy
            self.sumwy2 = sumwy2
        }
    }

    /// The object name (`fName`); the key takes the last path component it is written to.
    public var name: String
    /// The histogram title.
    public var title: String
    /// 1, 2 or 3 axes.
    public var axes: [Axis]
    /// Per-cell contents (Σw; Σw·y for a profile), flow included, global-bin order.
    public var contents: [Double]
    /// Per-cell Σw² (Σw·y² for a profile), or empty: errors are then √content.
    public var sumw2: [Double]
    /// `fEntries`, the number of fills.
    public var entries: Double
    /// Fill statistics by ROOT member name (`fTsumw`, `fTsumw2`, `fTsumwx`, `fTsumwx2`,
    /// `fTsumwy`, `fTsumwy2`, `fTsumwxy`, `fTsumwz`, `fTsumwz2`, `fTsumwxz`, `fTsumwyz`).
    /// Missing ones are computed from the in-range bins at their centres, as
    /// `TH1::GetStats` does when it recomputes them.
    public var statistics: [String: Double]
    /// Set for a TProfile, TProfile2D or TProfile3D (after the number of axes).
    public var profile: Profile?
    /// The bin-content type, which names the class (`.float` writes a TH1F/TH2F/TH3F).
    /// Profiles are always double (they derive from TH1D/TH2D/TH3D).
    public var storage: Storage

    /// A histogram from its axes and flat per-cell arrays (see the type's discussion);
    /// `entries` defaults to the sum of the contents.
    public init(name: String, title: String = "", axes: [Axis], contents: [Double], sumw2: [Double] = [],
                entries: Double? = nil, statistics: [String: Double] = [:], profile: Profile? = nil,
                storage: Storage = .double) {
        self.name = name
        self.title = title
        self.axes = axes
        self.contents = contents
        self.sumw2 = sumw2
        self.entries = entries ?? contents.reduce(0, +)
        self.statistics = statistics
        self.profile = profile
        self.storage = storage
    }

    /// The path of one category combination, following the `<dir>/<name>__<cat1>__<cat2>`
    /// convention described above.
    public static func categoryPath(directory: String = "", name: String, categories: [String]) -> String {
        let leaf = ([name] + categories).joined(separator: "__")
        return directory.isEmpty ? leaf : directory + "/" + leaf
    }

    /// The ROOT class this histogram is written as.
    public var className: String {
        let dimension = max(1, min(axes.count, 3))
        if profile != nil { return ["TProfile", "TProfile2D", "TProfile3D"][dimension - 1] }
        return "TH\(dimension)\(storage.rawValue)"
    }

    /// The number of cells, flow bins included.
    var cellCount: Int { axes.reduce(1) { $0 * ($1.bins + 2) } }

    /// Checks that the arrays agree with the axes.
    func validate() throws {
        guard (1...3).contains(axes.count) else {
            throw KaonError(.usage, "a histogram needs 1 to 3 axes, \(name) has \(axes.count)")
        }
        for (i, axis) in axes.enumerated() {
            guard axis.bins >= 1, zip(axis.edges, axis.edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw KaonError(.usage, "axis \(i) of \(name) needs at least 2 increasing edges")
            }
            if let labels = axis.labels, labels.count != axis.bins {
                throw KaonError(.usage, "axis \(i) of \(name) has \(labels.count) labels for \(axis.bins) bins")
            }
        }
        let cells = cellCount
        guard contents.count == cells else {
            throw KaonError(.usage, "\(name) has \(contents.count) contents for \(cells) cells (flow bins included)")
        }
        guard sumw2.isEmpty || sumw2.count == cells else {
            throw KaonError(.usage, "\(name) has \(sumw2.count) sumw2 values for \(cells) cells")
        }
        if let profile {
            guard storage == .double else {
                throw KaonError(.usage, "\(name): a profile stores doubles, not \(storage) contents")
            }
            guard profile.binEntries.count == cells, profile.binSumw2.isEmpty || profile.binSumw2.count == cells else {
                throw KaonError(.usage, "\(name): profile arrays must have one value per cell")
            }
        }
    }

    /// The statistics with missing ones computed from the bins (flow bins excluded, as
    /// ROOT does by default).
    func completeStatistics() -> [String: Double] {
        var computed: [String: Double] = [:]
        let names = ["x", "y", "z"]
        let nx = axes[0].bins + 2
        let ny = axes.count > 1 ? axes[1].bins + 2 : 1
        for cell in 0..<contents.count {
            let bins = [cell % nx, (cell / nx) % ny, cell / (nx * ny)]
            var inRange = true
            for (d, axis) in axes.enumerated() where bins[d] < 1 || bins[d] > axis.bins { inRange = false }
            guard inRange else { continue }
            // For a profile the weight of a bin is its Σw (fBinEntries), not its content.
            let w = profile?.binEntries[cell] ?? contents[cell]
            let w2 = profile.map { $0.binSumw2.isEmpty ? $0.binEntries[cell] : $0.binSumw2[cell] }
                ?? (sumw2.isEmpty ? abs(contents[cell]) : sumw2[cell])
            computed["fTsumw", default: 0] += w
            computed["fTsumw2", default: 0] += w2
            let centers = axes.enumerated().map { $0.element.center(bins[$0.offset]) }
            for d in axes.indices {
                computed["fTsumw\(names[d])", default: 0] += w * centers[d]
                computed["fTsumw\(names[d])2", default: 0] += w * centers[d] * centers[d]
                for e in (d + 1)..<max(d + 1, axes.count) {
                    computed["fTsumw\(names[d])\(names[e])", default: 0] += w * centers[d] * centers[e]
                }
            }
        }
        return computed.merging(statistics) { _, given in given }
    }
}
