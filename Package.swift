// swift-tools-version:6.0
import PackageDescription

// Layering (each module depends only on the ones above it in this list):
//   CKaonCodecs  – thin C shim over the system compression libraries
//   CKaonSystem  – libc interfaces Swift does not export (malloc tuning for the CLI)
//   KaonIO       – byte sources, bounds-checked cursors, decompression
//   KaonROOT     – ROOT file model: header, keys, directories, streamers, objects, histograms
//   KaonTree     – TTree/TBranch interpretation into typed columns
//   KaonCLI      – the `kaon` command implementations (argument parsing, output formats)
//   kaon         – the executable entry point
let package = Package(
    name: "Kaon",
    products: [
        .library(name: "KaonIO", targets: ["KaonIO"]),
        .library(name: "KaonROOT", targets: ["KaonROOT"]),
        .library(name: "KaonTree", targets: ["KaonTree"]),
        .executable(name: "kaon", targets: ["kaon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CKaonCodecs",
            providers: [.apt(["zlib1g-dev", "liblzma-dev", "libzstd-dev", "liblz4-dev", "libxxhash-dev", "libdeflate-dev"])]
        ),
        .systemLibrary(name: "CKaonSystem"),
        .target(name: "KaonIO", dependencies: ["CKaonCodecs"]),
        .target(name: "KaonROOT", dependencies: ["KaonIO"]),
        .target(name: "KaonTree", dependencies: ["KaonROOT", "KaonIO"]),
        .target(name: "KaonEngine", dependencies: ["KaonTree", "KaonROOT", "KaonIO", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "KaonCLI",
            dependencies: [
                "KaonTree", "KaonROOT", "KaonIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "kaon", dependencies: ["KaonCLI", "CKaonSystem"]),
        .testTarget(name: "KaonIOTests", dependencies: ["KaonIO"]),
        .testTarget(name: "KaonROOTTests", dependencies: ["KaonROOT", "KaonTree"]),
        .testTarget(name: "KaonEngineTests", dependencies: ["KaonEngine", "KaonTree", "KaonIO"]),
    ],
    swiftLanguageModes: [.v6]
)
