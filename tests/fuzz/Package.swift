// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for Kaon's parsers, kept out of the root package so that its build does
// not change. Build from the repository root with
//   swift build --package-path tests/fuzz --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer,address
// (`make fuzz`, `make fuzz-smoke`); see README.md here.
//
// Each harness is an executable whose main.swift hands its per-input body to
// `runFuzzer` (KaonFuzzSupport), which drives libFuzzer through `LLVMFuzzerRunDriver`:
// SwiftPM links executables with `--defsym main=<module>_main`, so libFuzzer's own `main`
// is never linked in and the Swift entry point has to start the fuzzer itself.
let kaon = "Kaon"

/// A harness executable `fuzz-<name>` whose main.swift is in Harnesses/<name>.
func harness(_ name: String, _ modules: [String]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["KaonFuzzSupport"] + modules.map { .product(name: $0, package: kaon) },
        path: "Harnesses/\(name)",
        swiftSettings: [.swiftLanguageMode(.v5)]
    )
}

let package = Package(
    name: "KaonFuzz",
    dependencies: [.package(name: kaon, path: "../..")],
    targets: [
        .target(
            name: "KaonFuzzSupport",
            dependencies: [.product(name: "KaonIO", package: kaon), .product(name: "KaonROOT", package: kaon)],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        harness("root-file", ["KaonIO", "KaonROOT"]),
        harness("streamers", ["KaonIO", "KaonROOT", "KaonTree"]),
        harness("basket", ["KaonIO", "KaonROOT", "KaonTree"]),
        harness("histogram", ["KaonIO", "KaonROOT"]),
        harness("rntuple", ["KaonIO", "KaonROOT", "KaonRNTuple"]),
        harness("uhi-json", ["KaonIO", "KaonHist"]),
        harness("pyhf", ["KaonIO", "KaonInference"]),
        harness("samples-yaml", ["KaonEngine"]),
        harness("draw-expression", ["KaonEngine", "KaonTree", "KaonROOT"]),
        harness("adl", ["KaonADLLanguage"]),
    ]
)
