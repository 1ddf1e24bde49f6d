import KaonIO
import KaonROOT

/// The JSON form of a histogram, as `kaon dump FILE:HIST --format json` prints it.
///
/// Per-bin arrays are flat and in ROOT's global-bin order with the flow bins (x fastest), so
/// that a reader reshapes them to `(nz+2, ny+2, nx+2)` in C order. Every number is written
/// exactly, which lets the peer tests compare bins for equality rather than within a
/// tolerance.
func histogramJSON(_ h: ROOTHistogram) -> JSONValue {
    func reals(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }

    var fields: [(String, JSONValue)] = [
        ("class", .string(h.className)),
        ("name", .string(h.name)),
        ("title", .string(h.title)),
        ("dimension", .integer(Int64(h.dimension))),
        ("axes", .array(h.axes.map { axis in
            .object([
                ("name", .string(axis.name)),
                ("title", .string(axis.title)),
                ("nbins", .integer(Int64(axis.nbins))),
                ("edges", reals(axis.edges)),
                ("labels", axis.labels.map { .array($0.map { .string($0) }) } ?? .null),
            ])
        })),
        ("contents", reals(h.contents)),
        // null rather than [] so that "not stored" (errors are √content) is explicit.
        ("sumw2", h.sumw2.isEmpty ? .null : reals(h.sumw2)),
        ("entries", .number(h.entries)),
        ("stats", .object(h.statistics.map { ($0.name, .number($0.value)) })),
    ]
    if let profile = h.profile {
        fields.append(("bin_entries", reals(profile.binEntries)))
        fields.append(("bin_sumw2", profile.binSumw2.isEmpty ? .null : reals(profile.binSumw2)))
        fields.append(("error_mode", .integer(Int64(profile.errorModeCode))))
        fields.append(("profile_values", reals(profile.values)))
        fields.append(("profile_errors", reals(profile.errors)))
    }
    return .object(fields)
}
