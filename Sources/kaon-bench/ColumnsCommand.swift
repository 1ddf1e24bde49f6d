import ArgumentParser
import KaonBenchmarks
import KaonCLI
import KaonColumns
import KaonIO
import KaonNano
import KaonPhysics
import KaonROOT
import KaonTree

/// `kaon-bench columns FILE[:TREE]`: time the columnar kernels on a NanoAOD-style tree.
struct ColumnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columns",
        abstract: "Time Kaon's columnar kernels (sum, pair mass, deltaR table, argsort, ADL Q6).",
        discussion: """
        Reads Jet_pt/eta/phi/mass, Jet_btag and Muon_pt/eta/phi/mass of the tree (default
        Events) into memory, then runs each kernel --repetitions times and reports the
        fastest run in seconds. Reading is timed separately (load_seconds) and is not part of
        any kernel time. Used by benchmarks/columns/run.py to compare with awkward.

        Then (unless --no-object-loop) times KaonNano's per-event object loop against the
        same loop written by hand over the raw buffers (NanoBenchmarks), one run of each
        alternately, max(5, --repetitions) times, and reports the median of the per-pair
        ratios object / raw.

        Example:
          kaon-bench columns benchmarks/data/adl-1000000-zstd5.root:Events --json
        """
    )

    @Argument(help: "FILE[:TREE] — the tree to read (TREE defaults to Events).")
    var object: String

    @Option(name: .long, help: "Runs per kernel; the fastest is reported.")
    var repetitions: Int = 5

    @Option(name: .long, help: "Use only the first N entries (default: all).")
    var entries: Int?

    @Flag(name: .long, inversion: .prefixedNo, help: "Also time the object-view loop against the raw loop.")
    var objectLoop = true

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
            loaded = (try tree.p4("Jet", entries: range), try tree.p4("Muon", entries: range),
                      try tree.jagged("Jet_btag", as: Float.self, entries: range), range?.count ?? tree.entries)
        }
        let (jets, muons, btag, count) = loaded!
        let n = repetitions
        let results = ColumnBenchmarks.all(jets: jets, muons: muons, btag: btag, repetitions: n)
        let loadSeconds = load.inSeconds
        let loops = objectLoop ? try compareLoops(spec, entries: count, runs: max(5, n)) : nil
        if json {
            var members: [(String, JSONValue)] = [
                ("file", .string(spec.file)), ("entries", .integer(Int64(count))),
                ("jets", .integer(Int64(jets.pt.values.count))), ("muons", .integer(Int64(muons.pt.values.count))),
                ("repetitions", .integer(Int64(n))), ("load_seconds", .number(loadSeconds)),
                ("kernels", .object(results.map { ($0.0, JSONValue.number($0.1)) })),
            ]
            if let loops {
                members.append(("object_loop", .object([
                    ("runs", .integer(Int64(loops.ratios.count))),
                    ("object_seconds_median", .number(loops.medianObjectSeconds)),
                    ("raw_seconds_median", .number(loops.medianRawSeconds)),
                    ("ratio_median", .number(loops.medianRatio)),
                    ("ratios", .array(loops.ratios.map { .number($0) })),
                ])))
            }
            print(JSONValue.object(members).text)
        } else {
            print("\(spec.file): \(count) entries, \(jets.pt.values.count) jets, \(muons.pt.values.count) muons (load \(loadSeconds) s)")
            for (name, seconds) in results {
                print("\(name): \(seconds) s (\(Double(count) / seconds / 1e6) M events/s)")
            }
            if let loops {
                print("object_loop: \(loops.medianObjectSeconds) s, raw_loop: \(loops.medianRawSeconds) s, "
                      + "object/raw median of \(loops.ratios.count): \(loops.medianRatio)")
            }
        }
    }

    /// Object loop vs raw loop (``NanoBenchmarks``) over the first `entries` events, the
    /// columns loaded before timing; fails if the two loops disagree.
    func compareLoops(_ spec: ObjectSpec, entries: Int, runs: Int) throws -> NanoBenchmarks.LoopComparison {
        let tree = try Tree(file: ROOTFile(path: spec.file), path: spec.path ?? "Events")
        let events = entries >= tree.entries ? Events(tree: tree) : Events(sources: [TreeChunk(tree: tree, entries: 0..<entries)])
        let views = try NanoBenchmarks.load(events)
        let (objects, raw) = try NanoBenchmarks.results(views)
        guard objects == raw else {
            throw LoopsDisagree(file: spec.file, objects: objects, raw: raw)
        }
        return try NanoBenchmarks.objectVersusRaw(views, runs: runs)
    }
}

/// The object loop and the raw loop computed different results: one of them is wrong, so
/// their timings compare nothing (a runtime error, exit status 1).
struct LoopsDisagree: Error, CustomStringConvertible {
    var file: String
    var objects: NanoBenchmarks.Result
    var raw: NanoBenchmarks.Result
    var description: String { "\(file): object loop \(objects) and raw loop \(raw) disagree" }
}
