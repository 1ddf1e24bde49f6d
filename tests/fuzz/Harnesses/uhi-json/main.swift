// UHI JSON histograms (the `histograms.schema.json` form `kaon` writes and reads): the JSON
// parser and the decoding of axes and storages into KaonHist histograms.
//
// Input: JSON text, either one histogram object or a file's dictionary of them.
import KaonFuzzSupport
import KaonHist
import KaonIO

runFuzzer(makeSeeds: { _ in }) { bytes in
    let json = try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
    if case .object(let members) = json, json["storage"] == nil {
        for (_, histogram) in members { _ = try? UHIJSON.decode(histogram) }
    } else {
        _ = try UHIJSON.decode(json)
    }
}
