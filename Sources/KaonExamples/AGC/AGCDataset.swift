import Dispatch
import Foundation
import KaonIO
import KaonROOT
import KaonWrite
import Synchronization

/// An AGC-like dataset written by Kaon's writer: the nine samples of the AGC (tt̄ nominal and
/// its scale-up, scale-down, ME and PS variations, three single-top channels, W+jets) with
/// every branch the AGC reads, as NanoAOD names and types (`Jet_btagCSVV2/F`, `Jet_jetId/I`,
/// `Electron_cutBased/I`, `Muon_tightId/O`, `event/l`, …), plus an AGC samples file
/// (`samples.yml`, ``AGCSamples``) with the AGC's cross-sections and luminosity.
///
/// The events are not physics; they are shaped so that every cut of the AGC both passes and
/// fails often (leptons around the 30 GeV threshold and failing each identification
/// requirement, jets failing the tight-lepton-veto bit, b-tags either side of 0.5, `qgl`
/// of −1 as NanoAOD stores for jets without one), W+jets stands for a skim (see
/// `keptFraction`) so that its large cross-section does not swamp the fit, and the processes differ (tt̄ has more jets
/// and b-tags than single top, single top more than W+jets). The same seed gives the same
/// events.
///
/// ```swift
/// let dataset = try AGCDataset.write(to: "/tmp/agc", eventsPerSample: 3000)
/// let samples = try SampleSet(path: dataset.samplesFile)
/// ```
public struct AGCDataset: Sendable {
    /// How one sample's events are drawn.
    struct Shape {
        var meanJets: Double
        var bFraction: Double
        var jetPtScale: Double
        /// The fraction of generated events the file holds, as after a skim: the samples file
        /// states events ÷ this as generated, so W+jets (σ twenty times tt̄'s) weighs per event
        /// about what tt̄ does and every sample fills the fit's bins.
        var keptFraction: Double = 1
    }

    /// The folder written to.
    public let folder: String
    /// `samples.yml` in ``folder``.
    public var samplesFile: String { folder + "/samples.yml" }
    /// The samples written, as `process__variation`.
    public let samples: [String]

    static func shape(process: String, variation: String) -> Shape {
        var shape: Shape
        switch process {
        case "ttbar": shape = Shape(meanJets: 5, bFraction: 0.35, jetPtScale: 1)
        case "wjets": shape = Shape(meanJets: 3.5, bFraction: 0.15, jetPtScale: 0.9, keptFraction: 0.05)
        default: shape = Shape(meanJets: 4, bFraction: 0.25, jetPtScale: 0.95)
        }
        switch variation {
        case "scaleup": shape.jetPtScale *= 1.02
        case "scaledown": shape.jetPtScale *= 0.98
        case "ME_var": shape.meanJets += 0.2
        case "PS_var": shape.jetPtScale *= 0.99; shape.bFraction *= 1.05
        default: break
        }
        return shape
    }

    /// Writes `eventsPerSample` events for each AGC sample into `folder` (one file per sample,
    /// zlib-compressed as CMS NanoAOD), and the samples file.
    public static func write(to folder: String, eventsPerSample: Int, seed: UInt64 = 2015) throws -> AGCDataset {
        try OutputFile.createDirectory(folder)
        let samples = AGCSamples.processes.flatMap { process in process.variations.map { (process.name, $0) } }
        let errors = Mutex<[Error]>([])
        DispatchQueue.concurrentPerform(iterations: samples.count) { index in
            let (process, variation) = samples[index]
            var rng = SplitMix64(state: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
            do {
                try writeFile(path: "\(folder)/\(process)__\(variation).root", events: eventsPerSample,
                              shape: shape(process: process, variation: variation), rng: &rng)
            } catch {
                errors.withLock { $0.append(error) }
            }
        }
        if let error = errors.withLock({ $0.first }) { throw error }
        let entries = samples.map { process, variation in
            AGCSamples.Entry(process: process, variation: variation, files: ["\(process)__\(variation).root"],
                             generatedEvents: Int((Double(eventsPerSample) / shape(process: process, variation: variation).keptFraction).rounded()))
        }
        try OutputFile.write(Array(AGCSamples.yaml(entries, comment: "AGC-like dataset written by `kaon agc generate` (seed \(seed))").utf8),
                             to: folder + "/samples.yml")
        return AGCDataset(folder: folder, samples: samples.map { "\($0.0)__\($0.1)" })
    }

    static let branches: [BranchSpec] = {
        var specs = [BranchSpec("run", .scalar(.uint32)), BranchSpec("luminosityBlock", .scalar(.uint32)), BranchSpec("event", .scalar(.uint64))]
        let collections: [(String, [(String, PrimitiveType)])] = [
            ("Electron", [("pt", .float32), ("eta", .float32), ("phi", .float32), ("mass", .float32), ("charge", .int32),
                          ("cutBased", .int32), ("sip3d", .float32)]),
            ("Muon", [("pt", .float32), ("eta", .float32), ("phi", .float32), ("mass", .float32), ("charge", .int32),
                      ("tightId", .bool), ("sip3d", .float32), ("pfRelIso04_all", .float32)]),
            ("Jet", [("pt", .float32), ("eta", .float32), ("phi", .float32), ("mass", .float32), ("btagCSVV2", .float32),
                     ("qgl", .float32), ("jetId", .int32)]),
        ]
        for (prefix, fields) in collections {
            specs.append(BranchSpec("n" + prefix, .scalar(.uint32)))
            specs += fields.map { BranchSpec("\(prefix)_\($0.0)", .counted($0.1, counter: "n" + prefix)) }
        }
        return specs
    }()

    /// Column buffers of one file.
    struct Columns {
        var floats: [String: [Float]] = [:], ints: [String: [Int32]] = [:], bools: [String: [Bool]] = [:]
        var counts: [String: [UInt32]] = ["Electron": [], "Muon": [], "Jet": []]
        var event: [UInt64] = []

        func batch() -> [String: BranchValues] {
            var batch: [String: BranchValues] = [
                "run": .values(.uint32, [UInt32](repeating: 1, count: event.count)),
                "luminosityBlock": .values(.uint32, event.map { UInt32($0 / 1000 % 100_000 + 1) }),
                "event": .values(.uint64, event),
            ]
            var offsets: [String: [Int]] = [:]
            for (prefix, count) in counts {
                batch["n" + prefix] = .values(.uint32, count)
                var o = [0]
                for c in count { o.append(o.last! + Int(c)) }
                offsets[prefix] = o
            }
            func prefix(_ name: String) -> String { String(name.prefix { $0 != "_" }) }
            for (name, v) in floats { batch[name] = .jagged(.float32, offsets: offsets[prefix(name)]!, v.withUnsafeBytes { Array($0) }) }
            for (name, v) in ints { batch[name] = .jagged(.int32, offsets: offsets[prefix(name)]!, v.withUnsafeBytes { Array($0) }) }
            for (name, v) in bools { batch[name] = .jagged(.bool, offsets: offsets[prefix(name)]!, v.withUnsafeBytes { Array($0) }) }
            return batch
        }
    }

    static func writeFile(path: String, events: Int, shape: Shape, rng: inout SplitMix64) throws {
        let file = try ROOTFileWriter(path: path, compression: .rootDefault, title: "Kaon AGC-like NanoAOD")
        let tree = try TreeWriter(file: file, path: "Events", title: "Events", branches: branches)
        var columns = Columns()
        for name in ["Electron_pt", "Electron_eta", "Electron_phi", "Electron_mass", "Electron_sip3d",
                     "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_sip3d", "Muon_pfRelIso04_all",
                     "Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass", "Jet_btagCSVV2", "Jet_qgl"] { columns.floats[name] = [] }
        for name in ["Electron_charge", "Electron_cutBased", "Muon_charge", "Jet_jetId"] { columns.ints[name] = [] }
        columns.bools["Muon_tightId"] = []
        func kinematics(_ prefix: String, pt: Double, mass: Double, rng: inout SplitMix64) {
            columns.floats[prefix + "_pt"]!.append(Float(pt))
            columns.floats[prefix + "_eta"]!.append(Float(rng.gaussian(mean: 0, sigma: 1.3)))
            columns.floats[prefix + "_phi"]!.append(Float(rng.uniform(-Double.pi, Double.pi)))
            columns.floats[prefix + "_mass"]!.append(Float(mass))
        }
        for _ in 0..<events {
            columns.event.append(1 + rng.next() % 2_000_000_000)
            // Leptons: about one per event, around the 30 GeV threshold, each requirement failing sometimes.
            let nLeptons = rng.bernoulli(0.1) ? 2 : rng.bernoulli(0.95) ? 1 : 0
            var electrons = 0, muons = 0
            for _ in 0..<nLeptons { if rng.bernoulli(0.5) { electrons += 1 } else { muons += 1 } }
            let electronPts = (0..<electrons).map { _ in 25 + rng.exponential(mean: 40) }.sorted(by: >)
            for pt in electronPts {
                kinematics("Electron", pt: pt, mass: 0.000511, rng: &rng)
                columns.ints["Electron_charge"]!.append(rng.bernoulli(0.5) ? 1 : -1)
                columns.ints["Electron_cutBased"]!.append(rng.bernoulli(0.85) ? 4 : Int32(rng.below(4)))
                columns.floats["Electron_sip3d"]!.append(Float(rng.exponential(mean: 1.5)))
            }
            let muonPts = (0..<muons).map { _ in 25 + rng.exponential(mean: 40) }.sorted(by: >)
            for pt in muonPts {
                kinematics("Muon", pt: pt, mass: 0.10566, rng: &rng)
                columns.ints["Muon_charge"]!.append(rng.bernoulli(0.5) ? 1 : -1)
                columns.bools["Muon_tightId"]!.append(rng.bernoulli(0.9))
                columns.floats["Muon_sip3d"]!.append(Float(rng.exponential(mean: 1.5)))
                columns.floats["Muon_pfRelIso04_all"]!.append(Float(rng.exponential(mean: 0.06)))
            }
            columns.counts["Electron"]!.append(UInt32(electrons))
            columns.counts["Muon"]!.append(UInt32(muons))
            // Jets, in decreasing pt as NanoAOD stores them.
            let nJets = min(rng.poisson(shape.meanJets) + 1, 12)
            let jetPts = (0..<nJets).map { _ in (25 + rng.exponential(mean: 50)) * shape.jetPtScale }.sorted(by: >)
            for pt in jetPts {
                kinematics("Jet", pt: pt, mass: pt * rng.uniform(0.05, 0.2), rng: &rng)
                let bLike = rng.bernoulli(shape.bFraction)
                columns.floats["Jet_btagCSVV2"]!.append(Float(bLike ? rng.uniform(0.45, 1) : rng.uniform(0, 0.55)))
                columns.floats["Jet_qgl"]!.append(rng.bernoulli(0.05) ? -1 : Float(rng.uniform(0, 1)))
                columns.ints["Jet_jetId"]!.append(rng.bernoulli(0.9) ? 6 : rng.bernoulli(0.5) ? 2 : 0)
            }
            columns.counts["Jet"]!.append(UInt32(nJets))
        }
        try tree.append(columns.batch())
        try tree.finish()
        try file.close()
    }
}
