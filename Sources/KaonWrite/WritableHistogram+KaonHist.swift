import KaonHist
import KaonIO

extension WritableHistogram {
    /// A ROOT histogram (TH1D/TH2D/TH3D with Sumw2) from a Kaon histogram with weighted
    /// storage and real-valued axes.
    ///
    /// Cells are re-laid out in ROOT's global-bin order (x fastest, flow bins at both
    /// ends of every axis); an axis without a flow bin gets an empty one, since ROOT
    /// always has them. `statistics` (fTsumw, fTsumwx, …) should be the exact sums over
    /// the filled values when the caller has them; missing ones are computed from bin
    /// centres, as ROOT does when it recomputes them.
    ///
    /// ```swift
    /// let root = try WritableHistogram(kaonHistogram, name: "met", entries: 1234)
    /// try file.write(root, to: "met")
    /// ```
    public init(_ histogram: Histogram<WeightStorage>, name: String, title: String = "", entries: Double,
                statistics: [String: Double] = [:]) throws {
        guard (1...3).contains(histogram.rank) else {
            throw KaonError(.unsupported, "ROOT histograms have 1 to 3 axes; this one has \(histogram.rank)")
        }
        let axes = histogram.axes
        let rootAxes = axes.map { Axis(edges: $0.edges, title: $0.metadata.label) }
        // ROOT's cell count and strides: every axis has underflow and overflow.
        let rootExtents = axes.map { $0.size + 2 }
        let cellCount = rootExtents.reduce(1, *)
        var contents = [Double](repeating: 0, count: cellCount)
        var sumw2 = [Double](repeating: 0, count: cellCount)
        let cells = histogram.bins
        // Walk Kaon's cells in its own order (row-major: the last axis is fastest).
        var index = [Int](repeating: 0, count: axes.count)
        for cell in 0..<cells.count {
            var remainder = cell
            for (a, stride) in histogram.strides.enumerated() {  // largest stride (first axis) first
                index[a] = remainder / stride
                remainder %= stride
            }
            var rootCell = 0
            var rootStride = 1
            for (a, axis) in axes.enumerated() {
                // Kaon's position along the axis → ROOT's bin number (0 = underflow).
                let rootBin = axis.traits.underflow ? index[a] : index[a] + 1
                rootCell += rootBin * rootStride
                rootStride *= rootExtents[a]
            }
            contents[rootCell] = cells[cell].value
            sumw2[rootCell] = cells[cell].variance
        }
        self.init(name: name, title: title, axes: rootAxes, contents: contents, sumw2: sumw2,
                  entries: entries, statistics: statistics)
    }
}
