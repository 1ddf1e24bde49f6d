import KaonIO
import KaonWrite

/// Writes a histogram described by the JSON object `json` at `path` (`dir/name`; directories
/// are created) of a file being written. Bins are few, so they travel as JSON, which carries
/// every double exactly. Members:
///
/// - `title`; `storage` (`D`, `F`, `I`, `L`, `S`, `C`: the class's last letter; default `D`);
/// - `axes`: 1 to 3 objects with `edges`, `title` and `labels` (an array of strings, or null);
/// - `contents` and `sumw2` (empty when not stored): flat, ROOT's global-bin order, flow bins
///   included; `entries` (`fEntries`);
/// - `profile` (null for TH1/TH2/TH3): `bin_entries` (Σw), `bin_sumw2` (Σw², may be empty),
///   `sumwy`, `sumwy2`; contents then hold Σw·v and `sumw2` Σw·v².
///
/// Fill statistics (`fTsumw`, `fTsumwx`, …) are computed from the bins, as KaonWrite does for
/// any histogram given without them.
@_cdecl("kaon_writer_histogram")
public func kaonWriterHistogram(_ handle: UnsafeMutableRawPointer, _ path: UnsafePointer<CChar>, _ json: UnsafePointer<CChar>,
                                _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let file = Handle.borrow(handle, as: ROOTFileWriter.self)
        let objectPath = String(cString: path)
        let histogram = try withContext(file: file.path, object: objectPath) {
            try writableHistogram(JSONValue.parse(String(cString: json)))
        }
        try file.write(histogram, to: objectPath)
    }
}

/// The histogram a `kaon_writer_histogram` document describes.
func writableHistogram(_ document: JSONValue) throws -> WritableHistogram {
    func numbers(_ key: String, in object: JSONValue = document) throws -> [Double] {
        guard let items = object[key]?.array else { throw KaonError(.usage, "the histogram description has no array \(key)") }
        return try items.map { item in
            guard let value = item.number else { throw KaonError(.usage, "\(key) holds \(item.text), not a number") }
            return value
        }
    }
    func number(_ key: String, in object: JSONValue = document) throws -> Double {
        guard let value = object[key]?.number else { throw KaonError(.usage, "the histogram description has no number \(key)") }
        return value
    }
    guard let axisItems = document["axes"]?.array else { throw KaonError(.usage, "the histogram description has no axes") }
    let axes = try axisItems.map { axis in
        let labels = try axis["labels"]?.array.map { items in
            try items.map { item in
                guard let label = item.string else { throw KaonError(.usage, "axis label \(item.text) is not a string") }
                return label
            }
        }
        return WritableHistogram.Axis(edges: try numbers("edges", in: axis), title: axis["title"]?.string ?? "", labels: labels)
    }
    let storageCode = document["storage"]?.string ?? "D"
    guard let storage = WritableHistogram.Storage(rawValue: storageCode) else {
        throw KaonError(.usage, "storage \(storageCode) is not one of C, S, I, L, F, D")
    }
    var profile: WritableHistogram.Profile?
    if let part = document["profile"], part != .null {
        profile = WritableHistogram.Profile(binEntries: try numbers("bin_entries", in: part), binSumw2: try numbers("bin_sumw2", in: part),
                                            sumwy: try number("sumwy", in: part), sumwy2: try number("sumwy2", in: part))
    }
    return WritableHistogram(name: "", title: document["title"]?.string ?? "", axes: axes, contents: try numbers("contents"),
                             sumw2: try numbers("sumw2"), entries: try number("entries"), profile: profile, storage: storage)
}
