import KaonIO
import KaonROOT

/// The histogram at `path` as a JSON object (freed with `kaon_string_free`): `classname`,
/// `name`, `title`, `axes` (each `name`, `title`, `edges`, `labels` or null), `contents` and
/// `sumw2` (ROOT's global-bin order, flow bins included; `sumw2` empty when not stored) and,
/// for profiles, `profile_values`, `profile_errors`, `profile_entries` (Σw) and
/// `profile_entries_sumw2` (Σw², empty when not weighted). Bins are few, and JSON carries every
/// double exactly (shortest round-trip form), so no buffer is shared here.
@_cdecl("kaon_histogram_json")
public func kaonHistogramJSON(_ handle: UnsafeMutableRawPointer, _ path: UnsafePointer<CChar>,
                              _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                              _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let file = Handle.borrow(handle, as: OpenFile.self).file
        let objectPath = String(cString: path)
        let histogram = try withContext(file: file.name, object: objectPath) { try ROOTHistogram(file.get(objectPath)) }
        json.pointee = newCString(histogramJSON(histogram).text)
    }
}

func histogramJSON(_ histogram: ROOTHistogram) -> JSONValue {
    func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }
    let axes = histogram.axes.map { axis in
        JSONValue.object([
            ("name", .string(axis.name)), ("title", .string(axis.title)), ("edges", numbers(axis.edges)),
            ("labels", axis.labels.map { .array($0.map(JSONValue.string)) } ?? .null),
        ])
    }
    var members: [(String, JSONValue)] = [
        ("classname", .string(histogram.className)), ("name", .string(histogram.name)), ("title", .string(histogram.title)),
        ("entries", .number(histogram.entries)), ("axes", .array(axes)),
        ("contents", numbers(histogram.contents)), ("sumw2", numbers(histogram.sumw2)),
    ]
    if let profile = histogram.profile {
        members.append(("profile_values", numbers(profile.values)))
        members.append(("profile_errors", numbers(profile.errors)))
        members.append(("profile_entries", numbers(profile.binEntries)))
        members.append(("profile_entries_sumw2", numbers(profile.binSumw2)))
    }
    return .object(members)
}
