import ArgumentParser
import Foundation
import KaonIO

/// `kaon new`: a SwiftPM package with an analysis that depends on Kaon, ready for `swift run`.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a Swift package with an example analysis that uses Kaon.",
        discussion: """
        Creates folder NAME with Package.swift, Sources/NAME/main.swift (a Z → μμ
        analysis to edit: selections, weights, a systematic, histograms), a README
        and a .gitignore. The package depends on Kaon by path (--kaon, default: the
        Kaon source tree this kaon was built from).

        Then:
          kaon demo --output data-demo            # toy data with a samples file
          cd NAME && swift run -c release NAME ../data-demo/data/samples.yml

        Examples:
          kaon new ZPeak
          kaon new MyAnalysis --kaon ~/src/kaon --output ~/analyses
        """
    )

    @Argument(help: "Package and executable name (letters, digits, underscores; starts with a letter).")
    var name: String

    @Option(name: .long, help: "Path to the Kaon source tree to depend on.")
    var kaon: String?

    @Option(name: .shortAndLong, help: "Folder in which to create the package.")
    var output: String = "."

    func validate() throws {
        let allowed = name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first), allowed, name.allSatisfy(\.isASCII) else {
            throw ValidationError("NAME must be ASCII letters, digits and underscores, starting with a letter (it becomes a Swift module name)")
        }
    }

    func run() throws {
        let kaonPath = try kaonSourceTree()
        let folder = output + "/" + name
        guard !FileManager.default.fileExists(atPath: folder) else {
            throw KaonError(.usage, "\(folder) already exists; choose another NAME or --output")
        }
        let files = PackageTemplate(name: name, kaonPath: kaonPath).files
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let full = folder + "/" + path
            try OutputFile.createDirectory((full as NSString).deletingLastPathComponent)
            try OutputFile.write(text, to: full)
            print("created \(full)")
        }
        print("\nnext: cd \(folder) && swift run -c release \(name) SAMPLES.yml   (kaon demo writes one)")
    }

    /// `--kaon`, or the source tree this binary was compiled from, checked to be Kaon's.
    func kaonSourceTree() throws -> String {
        let candidate = kaon ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let absolute = URL(fileURLWithPath: candidate).standardizedFileURL.path
        guard let manifest = try? String(contentsOfFile: absolute + "/Package.swift", encoding: .utf8),
              manifest.contains("name: \"Kaon\"") else {
            throw KaonError(.usage, "\(absolute) is not a Kaon source tree (no Package.swift of package Kaon); pass --kaon PATH")
        }
        return absolute
    }
}

/// The files of a new analysis package.
struct PackageTemplate {
    let name: String
    let kaonPath: String

    /// SwiftPM's identity of a path dependency: its last path component, lowercased.
    var kaonIdentity: String { URL(fileURLWithPath: kaonPath).lastPathComponent.lowercased() }

    var files: [String: String] {
        [
            "Package.swift": manifest,
            "Sources/\(name)/main.swift": PackageTemplate.mainSource,
            "README.md": readme,
            ".gitignore": ".build/\nPackage.resolved\nresults/\n",
        ]
    }

    var manifest: String {
        """
        // swift-tools-version:6.0
        import PackageDescription

        let package = Package(
            name: "\(name)",
            dependencies: [
                .package(path: "\(kaonPath)"),
            ],
            targets: [
                .executableTarget(
                    name: "\(name)",
                    dependencies: [.product(name: "KaonAnalysis", package: "\(kaonIdentity)")],
                ),
            ]
        )

        """
    }

    var readme: String {
        """
        # \(name)

        A particle-physics analysis written with [Kaon](\(kaonPath)).

        ```sh
        kaon demo --output ../demo                                  # toy NanoAOD + samples file
        swift run -c release \(name) ../demo/data/samples.yml       # results in ./results
        ```

        Edit `Sources/\(name)/main.swift`: selections (`filter`, `refine`), weights,
        systematics (`vary`, weight `up:`/`down:`) and histograms are booked first; `run`
        reads only the branches they use, once, on all cores.

        On a Dask cluster (workers need this executable and the `kaon` Python package):

        ```sh
        swift build -c release
        python -c 'import kaon.dask; kaon.dask.run_executable([".build/release/\(name)"], "samples.yml", scheduler="tcp://HOST:8786").results.write("results")'
        ```

        """
    }

    /// The analysis a new package starts from (kept compiling by Kaon's tests).
    static let mainSource = #"""
    // An analysis with Kaon: book selections, weights, systematics and histograms,
    // then run them over every sample in one pass.
    import Foundation
    import KaonAnalysis

    do {
        // Every booking throws at its own line if it is refused (a duplicate name, …).
        let analysis = Analysis("zpeak")
        try analysis.vary("jes", branch: "Jet_pt", up: { $0 * 1.03 }, down: { $0 * 0.97 })
        let muons = try analysis.define("goodMuons") { (event: Event) -> [Muon] in
            event.muons.filter { $0.pt > 20 && $0.tightId && $0.pfRelIso04_all < 0.15 }
        }
        let dimuon = try analysis.all
            .filter("trigger") { $0.hlt("IsoMu24") }
            .weight("genWeight", mcOnly: true) { Double($0["genWeight", as: Float.self]) }
            .filter("twoMuons") { $0[muons].count == 2 }
            .filter("oppositeSign") { $0[muons][0].charge != $0[muons][1].charge }
        let mll = try dimuon.histogram("mll", RegularAxis(bins: 60, lower: 60, upper: 120, metadata: .init(name: "mll", label: "m(μμ) [GeV]"))) {
            let m = $0[muons]
            return (m[0].p4 + m[1].p4).mass
        }
        try dimuon.histogram("jetPt", RegularAxis(bins: 40, lower: 0, upper: 400, metadata: .init(name: "pt", label: "jet p_T [GeV]"))) { event, fill in
            for jet in event.jets where jet.pt > 30 { fill(Double(jet.pt)) }
        }

        // A task of a distributed run (Python's kaon.dask.run_executable) runs one work item
        // and exits here: Dask workers need only this executable and the kaon Python package.
        if try analysis.serveWorkItemRequest() { exit(0) }

        let arguments = CommandLine.arguments.dropFirst()
        guard let samplesFile = arguments.first else {
            print("usage: swift run -c release <name> SAMPLES.yml [THREADS]")
            exit(2)
        }
        let threads = arguments.dropFirst().first.flatMap { Int($0) } ?? ProcessInfo.processInfo.activeProcessorCount
        let results = try analysis.run(samples: SampleSet(path: samplesFile), options: RunOptions(threads: threads))
        try FileManager.default.createDirectory(atPath: "results", withIntermediateDirectories: true)
        try results.writeROOT(to: "results/results.root")
        try results.writeUHI(to: "results/results.json")
        print(results.cutFlowTable())
        for sample in results.samples {
            print("\(sample.name): \(try results[mll, sample: sample.name].sum().value) weighted events in the mll histogram")
        }
        print(results.summary)
    } catch {
        print("error: \(error)")
        exit(1)
    }

    """#
}
