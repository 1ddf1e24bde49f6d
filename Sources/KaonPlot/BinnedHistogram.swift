import KaonHist
import KaonIO
import KaonROOT

/// A 1D histogram as plots see it: bin edges, contents and variances (Σw²) of the regular
/// bins, whatever it was read from (a ROOT TH1, a Kaon `Histogram`).
public struct BinnedHistogram: Sendable, Equatable {
    /// The `count + 1` bin edges.
    public var edges: [Double]
    /// Σw per bin.
    public var values: [Double]
    /// Σw² per bin.
    public var variances: [Double]
    /// The x axis title recorded with the histogram ("" when none).
    public var xTitle: String

    /// A histogram from its parts; `variances` defaults to `values` (unweighted counts).
    public init(edges: [Double], values: [Double], variances: [Double]? = nil, xTitle: String = "") throws {
        guard edges.count == values.count + 1, values.count > 0 else {
            throw KaonError(.usage, "a histogram of \(values.count) bins needs \(values.count + 1) edges, not \(edges.count)")
        }
        guard (variances ?? values).count == values.count else {
            throw KaonError(.usage, "\(values.count) bins but \(variances!.count) variances")
        }
        self.edges = edges
        self.values = values
        self.variances = variances ?? values
        self.xTitle = xTitle
    }

    /// The regular bins of a one-dimensional ROOT histogram.
    public init(_ h: ROOTHistogram) throws {
        guard h.dimension == 1, h.profile == nil else {
            throw KaonError(.usage, "\(h.className) '\(h.name)' is not a 1D histogram", object: h.name)
        }
        let n = h.axes[0].nbins
        let values = Array(h.contents[1...n])
        try self.init(edges: h.axes[0].edges, values: values, variances: h.sumw2.isEmpty ? values : Array(h.sumw2[1...n]),
                      xTitle: h.axes[0].title)
    }

    /// The regular bins of a one-dimensional Kaon histogram (mean storages are refused: a
    /// stack adds counts).
    public init<S: Storage>(_ h: Histogram<S>) throws {
        guard h.axes.count == 1, !S.needsSample else {
            throw KaonError(.usage, "'\(h.metadata.name)' is not a 1D histogram of counts", object: h.metadata.name)
        }
        let n = h.axes[0].size
        let values = (0..<n).map { S.value(h[$0]) }
        let variances = (0..<n).map { S.variance(h[$0]) }
        try self.init(edges: h.axes[0].edges, values: values, variances: variances, xTitle: h.axes[0].metadata.displayLabel)
    }

    public var count: Int { values.count }
    public var centres: [Double] { (0..<count).map { (edges[$0] + edges[$0 + 1]) / 2 } }
    public var total: Double { values.reduce(0, +) }

    /// Bins merged `factor` at a time (the bin count must be a multiple of it).
    public func rebinned(_ factor: Int) throws -> BinnedHistogram {
        guard factor >= 1, count % factor == 0 else {
            throw KaonError(.usage, "cannot merge \(count) bins \(factor) at a time (rebin must divide the bin count)")
        }
        if factor == 1 { return self }
        let groups = stride(from: 0, to: count, by: factor)
        var out = self
        out.edges = groups.map { edges[$0] } + [edges[count]]
        out.values = groups.map { values[$0..<$0 + factor].reduce(0, +) }
        out.variances = groups.map { variances[$0..<$0 + factor].reduce(0, +) }
        return out
    }

    /// Contents and variances multiplied by `factor` (variances by its square).
    public func scaled(_ factor: Double) -> BinnedHistogram {
        var out = self
        out.values = values.map { $0 * factor }
        out.variances = variances.map { $0 * factor * factor }
        return out
    }

    /// The bin-by-bin sum; both must have the same edges.
    public func adding(_ other: BinnedHistogram) throws -> BinnedHistogram {
        guard other.edges == edges else { throw KaonError(.usage, "histograms with different binnings cannot be added") }
        var out = self
        for i in 0..<count {
            out.values[i] += other.values[i]
            out.variances[i] += other.variances[i]
        }
        return out
    }
}

/// A 2D histogram for colour maps: x and y edges and the contents, `values[y][x]`.
public struct BinnedHistogram2D: Sendable, Equatable {
    public var xEdges: [Double], yEdges: [Double]
    /// Contents by row (y bin) then column (x bin).
    public var values: [[Double]]
    public var xTitle: String, yTitle: String

    public init(xEdges: [Double], yEdges: [Double], values: [[Double]], xTitle: String = "", yTitle: String = "") throws {
        guard values.count == yEdges.count - 1, values.allSatisfy({ $0.count == xEdges.count - 1 }), !values.isEmpty else {
            throw KaonError(.usage, "a \(xEdges.count - 1) × \(yEdges.count - 1) map needs that many values")
        }
        self.xEdges = xEdges
        self.yEdges = yEdges
        self.values = values
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// The regular bins of a two-dimensional ROOT histogram.
    public init(_ h: ROOTHistogram) throws {
        guard h.dimension == 2, h.profile == nil else {
            throw KaonError(.usage, "\(h.className) '\(h.name)' is not a 2D histogram", object: h.name)
        }
        let nx = h.axes[0].nbins, ny = h.axes[1].nbins
        let rows = (1...ny).map { y in (1...nx).map { x in h.contents[x + (nx + 2) * y] } }
        try self.init(xEdges: h.axes[0].edges, yEdges: h.axes[1].edges, values: rows, xTitle: h.axes[0].title, yTitle: h.axes[1].title)
    }

    public func adding(_ other: BinnedHistogram2D) throws -> BinnedHistogram2D {
        guard other.xEdges == xEdges, other.yEdges == yEdges else {
            throw KaonError(.usage, "2D histograms with different binnings cannot be added")
        }
        var out = self
        for y in values.indices { for x in values[y].indices { out.values[y][x] += other.values[y][x] } }
        return out
    }
}
