// A whole ROOT file, opened and listed recursively (as `kaon ls -r`), each object
// deserialised: the header, directories, keys lists, the StreamerInfo list, decompression of
// every key payload and the streamer-driven object reader behind them.
import KaonFuzzSupport
import KaonIO
import KaonROOT

/// Seeds larger than this are left out: libFuzzer's inputs are at most the largest seed, and
/// big inputs slow every mutation down (uproot-from-geant4.root, 170 kB, takes 26 s to read
/// under ASan on a busy machine: its histograms are read value by value).
let largestSeed = 100_000

runFuzzer(makeSeeds: { seeds in
    for folder in ["root", "root-extra", "rntuple"] {
        for path in try SharedData.files(in: folder, suffix: ".root") {
            let bytes = try SharedData.bytes(path)
            if bytes.count <= largestSeed { try seeds.write(path, bytes) }
        }
    }
}) { bytes in
    let file = try ROOTFile(source: MemorySource(name: "input.root", bytes: bytes))
    for (_, key) in try file.root.walk() where !Directory.isDirectory(key) {
        _ = try? file.readObject(key)
    }
}
