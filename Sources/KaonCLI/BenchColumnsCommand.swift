// To register as `kaon bench-columns`: copy to Sources/KaonCLI/BenchColumnsCommand.swift,
// add "KaonColumns", "KaonPhysics" to the KaonCLI target's dependencies in Package.swift, and
// add BenchColumnsCommand.self to KaonCommand's subcommands (Sources/KaonCLI/Kaon.swift).
import ArgumentParser
import KaonColumns
import KaonIO
import KaonPhysics
import KaonROOT
import KaonTree

/// `kaon bench-columns FILE[:TREE]`: time the columnar kernels on a NanoAOD-style tree.
struct BenchColumnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-columns",
        abstract: "Time Kaon's columnar kernels (sum, pair mass, deltaR table, argsort, ADL Q6).",
        discussion: """
        Reads Jet_pt/eta/phi/mass, Jet_btag and Muon_pt/eta/phi/mass of the tree (default
        Events) into memory, then runs each kernel --repetitions times and reports the
        fastest run in seconds. Reading is timed separately (load_seconds) and is not part of
        any kernel time. Used by benchmarks/columns/run.py to compare with awkward.

        Example:
          kaon bench-columns benchmarks/data/adl-1000000-zstd5.root:Events --json
        """
    )

    @Argument(help: "FILE[:TREE] — the tree to read (TREE defaults to Events).")
    var object: String

    @Option(name: .long, help: "Runs per kernel; the fastest is reported.")
    var repetitions: Int = 5

    @Option(name: .long, help: "Use only the first N entries (default: all).")
    var entries: Int?

    @Flag(name: .long, help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
    }

    func run() throws {
        let spec = ObjectSpec(object)
        let clock = ContinuousClock()
        var loaded: (jets: PtEtaPhiMColumns<Float>, muons: PtEtaPhiMColumns<Float>, btag: JaggedArray<Float>, entries: Int)?
        let load = try clock.measure {
            let tree = try Tree(file: ROOTFile(path: spec.file), path: spec.path ?? "Events")
            let range = entries.map { 0..<min($0, tree.entries) }
            func jagged(_ name: String) throws -> JaggedArray<Float> {
                let column = try tree.read(tree.branch(name), entries: range)
                guard case .primitive(let type, let bytes) = column.values, type == .float32, column.offsets.count == 1 else {
                    throw ValidationError("\(name) is not a jagged float branch")
                }
                return JaggedArray(offsets: column.offsets[0], nativeBytes: bytes)
            }
            func p4(_ prefix: String) throws -> PtEtaPhiMColumns<Float> {
                PtEtaPhiMColumns(pt: try jagged(prefix + "_pt"), eta: try jagged(prefix + "_eta"),
                                 phi: try jagged(prefix + "_phi"), mass: try jagged(prefix + "_mass"))
            }
            loaded = (try p4("Jet"), try p4("Muon"), try jagged("Jet_btag"), range?.count ?? tree.entries)
        }
        let (jets, muons, btag, count) = loaded!
        let n = repetitions
        let results = ColumnBenchmarks.all(jets: jets, muons: muons, btag: btag, repetitions: n)
        let loadSeconds = load.inSeconds
        if json {
            print(JSONValue.object([
                ("file", .string(spec.file)), ("entries", .integer(Int64(count))),
                ("jets", .integer(Int64(jets.pt.values.count))), ("muons", .integer(Int64(muons.pt.values.count))),
                ("repetitions", .integer(Int64(n))), ("load_seconds", .number(loadSeconds)),
                ("kernels", .object(results.map { ($0.0, JSONValue.number($0.1)) })),
            ]).text)
        } else {
            print("\(spec.file): \(count) entries, \(jets.pt.values.count) jets, \(muons.pt.values.count) muons (load \(loadSeconds) s)")
            for (name, seconds) in results {
                print("\(name): \(seconds) s (\(Double(count) / seconds / 1e6) M events/s)")
            }
        }
    }
}
