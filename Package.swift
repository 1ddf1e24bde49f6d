// swift-tools-version:6.0
import PackageDescription

// Layering (each module depends only on the ones above it in this list). Every target declares
// each package module its sources import; `make test` builds with SwiftPM's
// --explicit-target-dependency-import-check error, which rejects an import from outside a
// target's dependencies and theirs (SwiftPM checks the closure, not only the direct list).
//   CKaonCodecs  – system-library shim over the compression libraries (zlib, libdeflate,
//                  liblzma, libzstd, liblz4, libxxhash), used by KaonIO, and by KaonCorrections
//                  (xxHash for hashprng seeds, zlib for .json.gz)
//   CKaonHist    – header-only C bin-index kernels (AVX2/AVX-512) for KaonHist's column fills
//   CKaonPhysics – vectorised physics kernels in C (fast bounded-error Cartesian conversion,
//                  trijet and lepton-pair screening) for KaonADL
//   CKaonSystem  – libc interfaces Swift does not export: malloc tuning (the `kaon`
//                  executable) and sincos (KaonPhysics)
//   CKaonCurl    – system-library shim over libcurl (non-variadic setopt/getinfo wrappers),
//                  used by KaonRemote only
//   CKaonXRootD  – C interface (C++ inside) over the XRootD client library XrdCl (open, stat,
//                  read, vector read, close), used by KaonRemote only
//   KaonIO       – byte sources, bounds-checked cursors, decompression, JSON, the seeded
//                  SplitMix64 generator and toy distributions
//   KaonRemote   – remote byte sources (HTTP(S)/WebDAV over libcurl, XRootD over XrdCl), WLCG
//                  bearer tokens, and
//                  `openSource`, which every path-taking API opens a path or URL through
//   KaonROOT     – ROOT file model: header, keys, directories, streamers, objects, histograms
//   KaonTree     – TTree/TBranch interpretation into typed columns
//   KaonRNTuple  – RNTuple (ROOT's columnar format, spec 1.0) reading: anchor, envelopes,
//                  clusters, pages, fields, into KaonTree's `Column` (needs KaonTree, KaonROOT)
//   KaonHist     – histograms: axes, storages, filling, operations, UHI JSON, plots
//   KaonWrite    – writing ROOT files: directories, histograms, TTrees, RNTuples (column types
//                  from KaonRNTuple), copy and merge
//   KaonColumns  – jagged arrays and vectorised kernels over columns (needs KaonIO only)
//   KaonPhysics  – Lorentz vectors, scalar and columnar
//   KaonNano     – the NanoAOD (and generic) event/object view over trees
//   KaonEngine   – work items, parallel execution, samples, the expression language
//   KaonAnalysis – the lazy dataflow API: selections, definitions, variations, booked results
//   KaonInference – HistFactory/pyhf statistical models, AD likelihoods, fits, CLs (needs KaonIO only)
//   KaonCorrections – correctionlib (schema v2) corrections compiled and evaluated over columns
//                  (needs KaonIO and CKaonCodecs only)
//   KaonTreeEnsembles – XGBoost JSON tree ensembles evaluated natively over columns (needs KaonIO only)
//   KaonPlot     – publication plots (CMS/ATLAS styles, stacks with data and ratio, colour maps,
//                  cut flows, pulls and impacts) as SVG, PNG and PDF, and `kaon plot`'s YAML
//                  configuration (needs KaonHist, KaonROOT, KaonInference, KaonIO, Yams, and
//                  CKaonCodecs' zlib for the CRCs of PNG text chunks)
//   KaonADL      – the eight ADL benchmark queries (`kaon adl`)
//   KaonADLLanguage – the Analysis Description Language (CutLang dialect): lexer, parser,
//                  name resolution against NanoAOD, lowering onto KaonAnalysis (`kaon run X.adl`)
//   KaonExamples – example analyses and the toy dataset `kaon demo` runs them on
//   KaonCAPI     – the C ABI (`@_cdecl` functions over opaque handles) the Python package in
//                  python/ loads with ctypes: files, keys, histograms, trees, zero-copy column
//                  buffers, cuts, writing, fits; analyses (examples, ADL files) run work
//                  item by work item (kaon.dask); built as the dynamic library product KaonCAPI
//   KaonCLI      – the `kaon` command implementations (argument parsing, output formats)
//   kaon         – the executable entry point
//   KaonBenchmarks – benchmark workloads and the one set of timing helpers (no product)
//   kaon-bench   – the benchmark executable benchmarks/*/run.py call (not part of `kaon`)
//   kaon-doc-snippets – writes the ```swift blocks of README.md and the DocC articles as
//                  KaonDocumentationTests' sources (run by the DocumentationSnippets plugin; no product)
// KaonTestSupport (test targets only, needs KaonIO): repository/shared-data locations,
// temporary directories, running the peers' Python scripts, SplitMix64 re-exported.
let package = Package(
    name: "Kaon",
    products: [
        .library(name: "KaonIO", targets: ["KaonIO"]),
        .library(name: "KaonRemote", targets: ["KaonRemote"]),
        .library(name: "KaonROOT", targets: ["KaonROOT"]),
        .library(name: "KaonTree", targets: ["KaonTree"]),
        .library(name: "KaonRNTuple", targets: ["KaonRNTuple"]),
        .library(name: "KaonHist", targets: ["KaonHist"]),
        .library(name: "KaonWrite", targets: ["KaonWrite"]),
        .library(name: "KaonPlot", targets: ["KaonPlot"]),
        .library(name: "KaonColumns", targets: ["KaonColumns"]),
        .library(name: "KaonPhysics", targets: ["KaonPhysics"]),
        .library(name: "KaonNano", targets: ["KaonNano"]),
        .library(name: "KaonEngine", targets: ["KaonEngine"]),
        .library(name: "KaonInference", targets: ["KaonInference"]),
        .library(name: "KaonAnalysis", targets: ["KaonAnalysis"]),
        .library(name: "KaonCorrections", targets: ["KaonCorrections"]),
        .library(name: "KaonTreeEnsembles", targets: ["KaonTreeEnsembles"]),
        // For the libFuzzer harnesses in tests/fuzz (a package of their own).
        .library(name: "KaonADLLanguage", targets: ["KaonADLLanguage"]),
        // libKaonCAPI.so, which `pip install ./python` builds and puts inside the `kaon` package.
        .library(name: "KaonCAPI", type: .dynamic, targets: ["KaonCAPI"]),
        .executable(name: "kaon", targets: ["kaon"]),
        .executable(name: "kaon-bench", targets: ["kaon-bench"]),
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
        .systemLibrary(name: "CKaonCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // XrdCl's headers include one another relative to /usr/include/xrootd (Debian's
        // libxrootd-client-dev), which only an absolute search path reaches. SwiftPM accepts
        // these unsafe flags in the root package and in path or branch dependencies (what
        // `kaon new` generates), not in a dependency on a tagged version.
        .target(
            name: "CKaonXRootD",
            cxxSettings: [.unsafeFlags(["-I/usr/include/xrootd"])],
            linkerSettings: [.linkedLibrary("XrdCl")]
        ),
        .systemLibrary(name: "CKaonHist"),
        .systemLibrary(name: "CKaonPhysics"),
        .systemLibrary(name: "CKaonSystem"),
        .target(name: "KaonIO", dependencies: ["CKaonCodecs"]),
        .target(name: "KaonRemote", dependencies: ["KaonIO", "CKaonCurl", "CKaonXRootD"]),
        .target(name: "KaonROOT", dependencies: ["KaonRemote", "KaonIO"]),
        .target(name: "KaonTree", dependencies: ["KaonROOT", "KaonRemote", "KaonIO"]),
        .target(name: "KaonRNTuple", dependencies: ["KaonTree", "KaonROOT", "KaonIO"]),
        .target(name: "KaonHist", dependencies: ["KaonIO", "CKaonHist"]),
        .target(name: "KaonWrite", dependencies: ["KaonIO", "KaonROOT", "KaonTree", "KaonRNTuple", "KaonHist"]),
        .target(name: "KaonColumns", dependencies: ["KaonIO"]),
        .target(name: "KaonPhysics", dependencies: ["KaonColumns", "CKaonSystem"]),
        .target(name: "KaonNano", dependencies: ["KaonTree", "KaonRNTuple", "KaonROOT", "KaonIO", "KaonColumns", "KaonPhysics"]),
        .target(
            name: "KaonEngine",
            dependencies: ["KaonTree", "KaonRNTuple", "KaonROOT", "KaonRemote", "KaonIO", "KaonColumns", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "KaonAnalysis", dependencies: ["KaonEngine", "KaonNano", "KaonHist", "KaonWrite", "KaonIO", "KaonTree", "KaonROOT"]),
        .target(name: "KaonInference", dependencies: ["KaonIO"]),
        .target(name: "KaonCorrections", dependencies: ["KaonIO", "CKaonCodecs"]),
        .target(name: "KaonTreeEnsembles", dependencies: ["KaonIO"]),
        .target(
            name: "KaonPlot",
            dependencies: ["KaonHist", "KaonROOT", "KaonInference", "KaonIO", "CKaonCodecs", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "KaonADL",
            dependencies: ["KaonNano", "KaonEngine", "KaonHist", "KaonPhysics", "KaonTree", "KaonROOT", "KaonIO", "CKaonPhysics",
                           "KaonAnalysis"]
        ),
        .target(
            name: "KaonADLLanguage",
            dependencies: ["KaonAnalysis", "KaonNano", "KaonHist", "KaonPhysics", "KaonIO"]
        ),
        .target(name: "KaonExamples", dependencies: ["KaonAnalysis", "KaonWrite", "KaonPhysics", "KaonROOT", "KaonIO",
                                                     "KaonCorrections", "KaonTreeEnsembles"]),
        .target(name: "KaonCAPI", dependencies: ["KaonTree", "KaonROOT", "KaonIO", "KaonWrite", "KaonColumns", "KaonInference",
                                                 "KaonEngine", "KaonAnalysis", "KaonADL", "KaonExamples", "KaonADLLanguage", "KaonRNTuple"]),
        .target(
            name: "KaonCLI",
            dependencies: [
                "KaonTree", "KaonRNTuple", "KaonROOT", "KaonRemote", "KaonIO", "KaonHist", "KaonWrite", "KaonNano", "KaonEngine",
                "KaonADL", "KaonInference", "KaonAnalysis", "KaonExamples", "KaonCorrections", "KaonADLLanguage",
                "KaonTreeEnsembles", "KaonPlot", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["GitCommit"]
        ),
        .executableTarget(name: "kaon", dependencies: ["KaonCLI", "CKaonSystem"]),
        .target(name: "KaonBenchmarks", dependencies: ["KaonADL", "KaonNano", "KaonHist", "KaonPhysics", "KaonColumns", "KaonIO"]),
        .executableTarget(
            name: "kaon-bench",
            dependencies: [
                "KaonBenchmarks", "KaonCLI", "KaonAnalysis", "KaonInference", "KaonNano", "KaonPhysics", "KaonColumns", "KaonTree",
                "KaonROOT", "KaonIO", "CKaonSystem", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "KaonTestSupport", dependencies: ["KaonIO"]),
        .testTarget(name: "KaonIOTests", dependencies: ["KaonTestSupport", "KaonIO", "CKaonCodecs"]),
        .testTarget(name: "KaonRemoteTests", dependencies: ["KaonTestSupport", "KaonRemote", "KaonROOT", "KaonTree", "KaonIO"]),
        .testTarget(name: "KaonROOTTests", dependencies: ["KaonTestSupport", "KaonROOT", "KaonTree", "KaonIO"]),
        .testTarget(name: "KaonTreeTests", dependencies: ["KaonTestSupport", "KaonTree", "KaonROOT", "KaonIO"]),
        .testTarget(name: "KaonRNTupleTests", dependencies: ["KaonTestSupport", "KaonRNTuple", "KaonTree", "KaonROOT", "KaonIO", "KaonNano"]),
        .testTarget(name: "KaonHistTests", dependencies: ["KaonTestSupport", "KaonHist", "KaonIO"]),
        .testTarget(name: "KaonPlotTests", dependencies: ["KaonPlot", "KaonIO"]),
        .testTarget(name: "KaonWriteTests", dependencies: ["KaonTestSupport", "KaonWrite", "KaonROOT", "KaonTree", "KaonIO"]),
        .testTarget(
            name: "KaonColumnsTests",
            dependencies: ["KaonTestSupport", "KaonColumns", "KaonPhysics", "KaonNano", "KaonTree", "KaonROOT", "KaonBenchmarks"]
        ),
        .testTarget(name: "KaonPhysicsTests", dependencies: ["KaonTestSupport", "KaonPhysics", "KaonColumns", "KaonBenchmarks"]),
        .testTarget(
            name: "KaonNanoTests",
            dependencies: ["KaonTestSupport", "KaonNano", "KaonTree", "KaonROOT", "KaonIO", "KaonColumns", "KaonPhysics", "KaonBenchmarks"]
        ),
        .testTarget(
            name: "KaonADLTests",
            dependencies: ["KaonTestSupport", "KaonADL", "KaonNano", "KaonEngine", "KaonHist", "KaonPhysics", "KaonTree", "KaonROOT",
                           "CKaonPhysics"]
        ),
        .testTarget(
            name: "KaonADLLanguageTests",
            dependencies: ["KaonTestSupport", "KaonADLLanguage", "KaonAnalysis", "KaonADL", "KaonHist", "KaonEngine", "KaonIO"]
        ),
        .testTarget(name: "KaonInferenceTests", dependencies: ["KaonTestSupport", "KaonInference", "KaonIO"]),
        .testTarget(name: "KaonCorrectionsTests", dependencies: ["KaonTestSupport", "KaonCorrections", "KaonIO"]),
        .testTarget(name: "KaonTreeEnsemblesTests", dependencies: ["KaonTestSupport", "KaonTreeEnsembles"]),
        .testTarget(name: "KaonExamplesTests", dependencies: ["KaonTestSupport", "KaonExamples", "KaonEngine", "KaonIO"]),
        .testTarget(
            name: "KaonEngineTests",
            dependencies: ["KaonTestSupport", "KaonEngine", "KaonTree", "KaonROOT", "KaonIO", "KaonColumns"]
        ),
        .testTarget(name: "KaonAnalysisTests", dependencies: ["KaonTestSupport", "KaonAnalysis", "KaonIO"]),
        .testTarget(name: "KaonCAPITests", dependencies: ["KaonTestSupport", "KaonCAPI", "KaonIO"]),
        .testTarget(
            name: "KaonCLITests",
            dependencies: ["KaonCLI", "KaonEngine", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Documentation: `kaon-doc-snippets` (no product) turns every ```swift block of README.md
        // and of the DocC articles into a function of KaonDocumentationTests, which compiles
        // them all and runs the whole programs (Plugins/DocumentationSnippets/README.md). The
        // test target depends on every module the documents import.
        .executableTarget(name: "kaon-doc-snippets"),
        .plugin(name: "DocumentationSnippets", capability: .buildTool(), dependencies: ["kaon-doc-snippets"]),
        // Writes the git commit (or "unknown" outside a checkout) into KaonCLI before each build,
        // for the provenance every output records.
        .plugin(name: "GitCommit", capability: .buildTool()),
        .testTarget(
            name: "KaonDocumentationTests",
            dependencies: [
                "KaonTestSupport", "KaonADL", "KaonAnalysis", "KaonEngine", "KaonHist", "KaonNano", "KaonROOT", "KaonTree", "KaonIO",
                "KaonRNTuple", "KaonWrite", "KaonColumns", "KaonPhysics", "KaonInference", "KaonExamples", "KaonCLI", "KaonCorrections",
                "KaonTreeEnsembles", "KaonADLLanguage", "KaonPlot",
            ],
            plugins: ["DocumentationSnippets"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
