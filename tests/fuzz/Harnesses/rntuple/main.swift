// A whole file holding RNTuples: the anchor, the header and footer envelopes (checksums,
// field, column and cluster descriptions, page lists), then every field read: page
// decompression, unpacking (split, delta, zigzag encodings) and assembly into columns.
import KaonFuzzSupport
import KaonIO
import KaonROOT
import KaonRNTuple

/// The most entries read per RNTuple.
let entryBudget = 100_000

runFuzzer(makeSeeds: { seeds in
    for path in try SharedData.files(in: "rntuple", suffix: ".root") {
        try seeds.write(path, try SharedData.bytes(path))
    }
}) { bytes in
    let file = try ROOTFile(source: MemorySource(name: "input.root", bytes: bytes))
    for (_, key) in try file.root.walk() where RNTuple.isAnchor(key) {
        guard let ntuple = try? RNTuple(file: file, key: key) else { continue }
        // The leading clusters holding at most `entryBudget` entries: a valid 2 kB seed
        // (test_int_multicluster) holds millions of entries of runs of one value, which take
        // minutes to read under ASan; the fuzzer is after malformed pages, not long reads.
        var clusters = 0, entries = 0
        while clusters < ntuple.clusters.count, entries + ntuple.clusters[clusters].entryCount <= entryBudget {
            entries += ntuple.clusters[clusters].entryCount
            clusters += 1
        }
        // Top-level fields: reading one reads its subfields.
        for field in ntuple.fields where field.parentID == field.id {
            _ = try? ntuple.read(field, clusters: 0..<clusters)
        }
    }
}
