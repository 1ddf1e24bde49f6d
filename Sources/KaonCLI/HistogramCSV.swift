import KaonIO
import KaonROOT

/// The CSV form of a histogram, as `kaon dump FILE:HIST --format csv` prints it: a header,
/// then one row per bin (flow bins included) in ROOT's global-bin order, x fastest. Each
/// axis gives the bin's lower and upper edge (-Infinity and Infinity bound the flow bins),
/// then come the content and the variance (sumw2, or the content when the histogram stores
/// no sumw2, as ROOT's errors are then √content). A profile's content and variance are
/// ROOT's per-bin sums (Σwy, Σwy²); its rows add the bin's entries, mean and error.
/// Numbers are written exactly, as in JSON.
func histogramCSV(_ h: ROOTHistogram) -> [String] {
    let axisNames = ["x", "y", "z"]
    let profileColumns = h.profile == nil ? [] : ["bin_entries", "mean", "error"]
    var lines = [(h.axes.indices.flatMap { ["\(axisNames[$0])_low", "\(axisNames[$0])_high"] } + ["content", "variance"]
                  + profileColumns).joined(separator: ",")]
    // The number of cells along each axis, flow bins included.
    let extents = h.axes.map { $0.nbins + 2 }
    for global in 0..<h.contents.count {
        var cells: [String] = []
        var rest = global
        for (axis, extent) in zip(h.axes, extents) {
            let bin = rest % extent
            rest /= extent
            let low = bin == 0 ? -Double.infinity : axis.edges[bin - 1]
            let high = bin == axis.nbins + 1 ? Double.infinity : axis.edges[bin]
            cells += [JSONValue.number(low).text, JSONValue.number(high).text]
        }
        let variance = h.sumw2.isEmpty ? h.contents[global] : h.sumw2[global]
        cells += [JSONValue.number(h.contents[global]).text, JSONValue.number(variance).text]
        if let profile = h.profile {
            cells += [profile.binEntries[global], profile.values[global], profile.errors[global]].map { JSONValue.number($0).text }
        }
        lines.append(cells.joined(separator: ","))
    }
    return lines
}
