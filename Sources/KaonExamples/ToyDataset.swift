import Dispatch
import Synchronization
import Foundation
import KaonIO
import KaonPhysics
import KaonWrite

/// A toy NanoAOD dataset written by Kaon's own writer: Drell–Yan (Z→μμ) signal, tt̄-like
/// and QCD-like backgrounds and a "data" sample drawn from their mixture, plus the samples
/// file that describes them.
///
/// It is what `kaon demo` analyses: real ROOT files (ROOT and uproot open them) with the
/// NanoAOD branch names, MC `genWeight`s (some negative, as at NLO) and a `Runs` tree with
/// `genEventSumw`, so normalisation, weights and systematics all have something to do. The
/// same seed gives the same bytes of event data.
///
/// ```swift
/// let toy = try ToyDataset.write(to: "/tmp/kaon-demo", scale: 1.0, seed: 2026)
/// let samples = try SampleSet(path: toy.samplesFile)
/// ```
public struct ToyDataset: Sendable {
    /// One sample of the toy: its process mixture, files and size.
    public struct SampleSpec: Sendable {
        public var name: String
        public var group: String
        public var isMC: Bool
        /// Cross-section in pb (MC only).
        public var crossSection: Double
        /// Processes and their relative weights (one process for MC; the mixture for data).
        public var processes: [(ToyProcess, Double)]
        public var files: Int
        public var events: Int
    }

    /// Integrated luminosity of the toy "data" at scale 1, in 1/pb.
    public static let nominalLuminosity = 10.0

    /// Integrated luminosity of this toy's "data" (scaled with its size), in 1/pb.
    public var luminosity: Double { Self.nominalLuminosity * scale }
    /// The size relative to the default toy.
    public let scale: Double

    /// The folder written to.
    public let folder: String
    /// The samples file (`samples.yml`) in ``folder``.
    public var samplesFile: String { folder + "/samples.yml" }
    /// What was written.
    public let samples: [SampleSpec]
    /// Total number of events.
    public var events: Int { samples.reduce(0) { $0 + $1.events } }

    /// The samples of a toy with about `scale` × 320 000 events.
    ///
    /// Data has luminosity × Σσ events (the luminosity scales with `scale`), so MC
    /// normalised to the luminosity matches it.
    public static func specs(scale: Double) -> [SampleSpec] {
        let sizes = (dy: 120_000.0, tt: 40_000.0, qcd: 60_000.0)
        let xs: [(ToyProcess, Double)] = [(.drellYan, 5000), (.ttbar, 800), (.qcd, 4200)]
        let dataEvents = Int((nominalLuminosity * xs.reduce(0) { $0 + $1.1 } * scale).rounded())
        func count(_ n: Double) -> Int { max(1, Int((n * scale).rounded())) }
        return [
            SampleSpec(name: "DYJetsToMuMu", group: "Drell-Yan", isMC: true, crossSection: 5000, processes: [(.drellYan, 1)],
                       files: 2, events: count(sizes.dy)),
            SampleSpec(name: "TTbar", group: "tt̄", isMC: true, crossSection: 800, processes: [(.ttbar, 1)],
                       files: 1, events: count(sizes.tt)),
            SampleSpec(name: "QCD", group: "QCD", isMC: true, crossSection: 4200, processes: [(.qcd, 1)],
                       files: 1, events: count(sizes.qcd)),
            SampleSpec(name: "SingleMuon", group: "data", isMC: false, crossSection: 0, processes: xs,
                       files: 2, events: max(1, dataEvents)),
        ]
    }

    /// Generates the toy into `folder` (created if needed) with all cores, and writes
    /// `samples.yml` there.
    ///
    /// - Parameters:
    ///   - folder: Where the files and `samples.yml` go.
    ///   - scale: Multiplies every sample's size (1 ≈ 320 000 events, ~1 s per core).
    ///   - seed: The base seed; every file derives its own from it.
    ///   - compression: Basket compression of the files.
    public static func write(to folder: String, scale: Double = 1, seed: UInt64 = 2026,
                             compression: CompressionSettings = .rootDefault) throws -> ToyDataset {
        try OutputFile.createDirectory(folder)
        let specs = specs(scale: scale)
        // One job per file, spread over the cores; each is deterministic on its own.
        let jobs: [(sample: Int, file: Int, events: Range<Int>)] = specs.enumerated().flatMap { s, spec in
            (0..<spec.files).map { f in (s, f, spec.events * f / spec.files..<spec.events * (f + 1) / spec.files) }
        }
        let errors = Mutex<[Error]>([])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            let spec = specs[job.sample]
            let path = "\(folder)/\(fileName(spec, job.file))"
            var rng = SplitMix64(state: seed &* 0x9E37_79B9 &+ UInt64(job.sample) << 32 &+ UInt64(job.file))
            do {
                try writeFile(path: path, spec: spec, entries: job.events, rng: &rng, compression: compression)
            } catch {
                errors.withLock { $0.append(error) }
            }
        }
        if let error = errors.withLock({ $0.first }) { throw error }
        let toy = ToyDataset(scale: scale, folder: folder, samples: specs)
        try OutputFile.write(Array(toy.samplesYAML().utf8), to: toy.samplesFile)
        return toy
    }

    static func fileName(_ spec: SampleSpec, _ index: Int) -> String { "\(spec.name)_\(index + 1).root" }

    /// Writes one file: the `Events` tree (and `Runs` for MC).
    static func writeFile(path: String, spec: SampleSpec, entries: Range<Int>, rng: inout SplitMix64,
                          compression: CompressionSettings) throws {
        let file = try ROOTFileWriter(path: path, compression: compression, title: "Kaon toy NanoAOD: \(spec.name)")
        let tree = try TreeWriter(file: file, path: "Events", title: "Events", branches: ToyEventBatch.branches(isMC: spec.isMC))
        let total = spec.processes.reduce(0) { $0 + $1.1 }
        var batch = ToyEventBatch(isMC: spec.isMC)
        var sumOfWeights = 0.0
        for entry in entries {
            var pick = rng.uniform() * total
            var process = spec.processes[0].0
            for (candidate, weight) in spec.processes {
                process = candidate
                pick -= weight
                if pick < 0 { break }
            }
            let content = process.generate(using: &rng)
            // NLO-like weights: a tenth of the Drell–Yan events carry a negative weight.
            let genWeight: Float = spec.isMC && process == .drellYan && rng.bernoulli(0.1) ? -1 : 1
            sumOfWeights += Double(genWeight)
            let nTrueInt = Float(max(rng.gaussian(mean: 25, sigma: 8), 0))
            batch.append(run: spec.isMC ? 1 : UInt32(2000 + entry / 20_000), event: UInt64(entry + 1),
                         trigger: content.trigger, genWeight: genWeight, nTrueInt: nTrueInt,
                         npvs: Int32(rng.poisson(Double(nTrueInt) * 0.7)), met: content.met,
                         muons: content.muons, electrons: content.electrons, jets: content.jets)
            if batch.count == 50_000 { try tree.append(batch.take()) }
        }
        if batch.count > 0 { try tree.append(batch.take()) }
        try tree.finish()
        if spec.isMC {
            let runs = try TreeWriter(file: file, path: "Runs", title: "Runs", branches: [
                BranchSpec("run", .scalar(.uint32)), BranchSpec("genEventCount", .scalar(.int64)),
                BranchSpec("genEventSumw", .scalar(.float64)),
            ])
            try runs.append(["run": .values(.uint32, [UInt32(1)]), "genEventCount": .values(.int64, [Int64(entries.count)]),
                             "genEventSumw": .values(.float64, [sumOfWeights])])
            try runs.finish()
        }
        try file.close()
    }

    /// The samples file describing the toy (bamboo-like YAML, see `SampleSet`).
    func samplesYAML() -> String {
        var text = """
        # Kaon toy NanoAOD dataset, written by `kaon demo` (deterministic for a given seed).
        luminosity: \(luminosity)   # 1/pb
        tree: Events
        samples:

        """
        for spec in samples {
            text += "  \(spec.name):\n"
            text += "    files: [\"\(spec.name)_*.root\"]\n"
            text += "    type: \(spec.isMC ? "mc" : "data")\n"
            text += "    group: \"\(spec.group)\"\n"
            if spec.isMC {
                text += "    cross-section: \(spec.crossSection)   # pb\n"
                text += "    sum-of-weights-from: {tree: Runs, branch: genEventSumw}\n"
            }
        }
        return text
    }
}
