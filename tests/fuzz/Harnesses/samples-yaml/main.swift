// Samples files (`kaon run --samples`): the YAML parser (Yams), its conversion to JSON-like
// values, and the validation of luminosity, samples, cross-sections and weight sums. File
// patterns resolve against a folder that does not exist, so no input touches the disk.
import KaonEngine
import KaonFuzzSupport

runFuzzer(makeSeeds: { _ in }) { bytes in
    _ = try SampleSet(yaml: String(decoding: bytes, as: UTF8.self), baseDirectory: "/nonexistent-kaon-fuzz", name: "input.yaml")
}
