// A histogram's serialised payload read with the class descriptions of a real file and
// converted to `ROOTHistogram` (axes, bin contents, sums, profiles' extra arrays): the path
// `kaon dump` and `kaon workspace` take.
//
// Input: one byte choosing the class (modulo the template's histogram keys: TH1D, TH1F, TH1I,
// TH2D, TH3D, TProfile), then the uncompressed payload.
import KaonFuzzSupport
import KaonIO
import KaonROOT

let template = try! TemplateFile("root/root-6.40-histograms.root")
let histograms = try! template.objectKeys().filter { $0.key.className.hasPrefix("TH") || $0.key.className.hasPrefix("TProfile") }.map(\.key)

runFuzzer(makeSeeds: { seeds in
    for (index, key) in histograms.enumerated() {
        try seeds.write("\(template.path)-\(key.name)", [UInt8(index)] + template.file.payload(of: key))
    }
}) { bytes in
    guard let choice = bytes.first else { return }
    let key = histograms[Int(choice) % histograms.count]
    var reader = ObjectReader(streamers: template.file.streamers, cursor: ByteCursor(Array(bytes.dropFirst()), origin: key.keyLength))
    _ = try ROOTHistogram(reader.readObject(className: key.className))
}
