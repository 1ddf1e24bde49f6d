import Foundation
import KaonColumns
import KaonNano
import KaonPhysics
import KaonTestSupport
import Testing

/// The Kaon side of benchmarks/columns/run.py while `kaon bench-columns` is not registered:
/// runs the same `ColumnBenchmarks` functions and writes the same JSON the command prints.
/// Enabled only when `$KAON_COLUMNS_BENCH_OUT` names the output file; run it optimised:
///
///     KAON_COLUMNS_BENCH_OUT=/tmp/kaon.json swift test -c release --filter ColumnBenchmarkTests
///
/// `$KAON_COLUMNS_BENCH_FILE` picks the input (default: the generated 1M-event sample) and
/// `$KAON_COLUMNS_BENCH_REPS` the runs per kernel (default 5).
@Suite struct ColumnBenchmarkTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["KAON_COLUMNS_BENCH_OUT"] != nil))
    func kernels() throws {
        let output = Self.environment["KAON_COLUMNS_BENCH_OUT"]!
        let path = Self.environment["KAON_COLUMNS_BENCH_FILE"] ?? repositoryRoot + "/benchmarks/data/adl-1000000-zstd5.root"
        let repetitions = Int(Self.environment["KAON_COLUMNS_BENCH_REPS"] ?? "") ?? 5
        let clock = ContinuousClock()
        var loaded: (jets: PtEtaPhiMColumns<Float>, muons: PtEtaPhiMColumns<Float>, btag: JaggedArray<Float>, entries: Int)?
        let load = try clock.measure {
            let events = try EventsFile(path)
            loaded = (try events.tree.p4("Jet"), try events.tree.p4("Muon"), try events.tree.jagged("Jet_btag", as: Float.self), events.tree.entries)
        }
        let (jets, muons, btag, entries) = loaded!
        let results = ColumnBenchmarks.all(jets: jets, muons: muons, btag: btag, repetitions: repetitions)
        let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let json = JSON.object([
            ("file", JSON.string(path)), ("entries", "\(entries)"),
            ("jets", "\(jets.pt.values.count)"), ("muons", "\(muons.pt.values.count)"),
            ("repetitions", "\(repetitions)"), ("load_seconds", JSON.number(seconds(load))),
            ("kernels", JSON.object(results.map { ($0.0, JSON.number($0.1)) })),
        ])
        try json.write(toFile: output, atomically: true, encoding: .utf8)
        print(json)
    }
}
