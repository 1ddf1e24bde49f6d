// The StreamerInfo record of a real file replaced by the input, then every object of the file
// read with the class descriptions it gives: the TStreamerInfo/TStreamerElement readers and
// the member-by-member object reader they drive (`ObjectReader-members.swift`), including a
// TTree's metadata (branches, leaves) through KaonTree.
//
// Input: one byte choosing the template file, then the StreamerInfo record's payload (the
// uncompressed TList; the record's length is the template's).
import KaonFuzzSupport
import KaonIO
import KaonROOT
import KaonTree

/// Files of histograms and of a tree with many branch types, their StreamerInfo lists stored
/// uncompressed, so that mutations reach the streamer reader rather than a decompressor.
let templates = try! [TemplateFile("root/uproot-histograms.root").withRawStreamerInfo(),
                      TemplateFile("root/uproot-sample-6.20.04-uncompressed.root").withRawStreamerInfo()]

/// Where each template's StreamerInfo payload lies.
let payloads: [Range<Int>] = templates.map { try! $0.streamerInfoPayload() }
let sources = templates.map { SplicedSource(name: $0.path, template: $0.bytes) }

runFuzzer(makeSeeds: { seeds in
    for (index, template) in templates.enumerated() {
        try seeds.write(template.path, [UInt8(index)] + template.bytes[payloads[index]])
    }
}) { bytes in
    guard let choice = bytes.first else { return }
    let index = Int(choice) % templates.count
    sources[index].splice(bytes.dropFirst(), into: payloads[index])
    let file = try ROOTFile(source: sources[index])
    for (path, key) in try file.root.walk() where !Directory.isDirectory(key) {
        guard let object = try? file.readObject(key) else { continue }
        if object.isA("TTree") { _ = try? Tree(file: file, path: path, object: object) }
    }
}
