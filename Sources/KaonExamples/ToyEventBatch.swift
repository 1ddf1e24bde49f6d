import KaonPhysics
import KaonROOT
import KaonWrite

/// The NanoAOD-like branches of toy events, collected column by column until a batch is
/// handed to a ``KaonWrite/TreeWriter``.
///
/// The branch names and types are the real NanoAOD ones (`nMuon`, `Muon_pt[nMuon]/F`,
/// `HLT_IsoMu24/O`, …) so that analyses written for CMS files run on the toy unchanged.
struct ToyEventBatch {
    /// One reconstructed object (muon, electron or jet) before it is split into columns.
    struct Object {
        var pt: Double, eta: Double, phi: Double, mass: Double
        var charge: Int32 = 0
        var isolation: Float = 0
        var tightId = true
        var jetIndex: Int32 = -1
        var btag: Float = 0
    }

    let isMC: Bool
    private(set) var count = 0
    private var run: [UInt32] = [], luminosityBlock: [UInt32] = [], event: [UInt64] = []
    private var trigger: [Bool] = [], genWeight: [Float] = [], nTrueInt: [Float] = [], npvs: [Int32] = []
    private var metPt: [Float] = [], metPhi: [Float] = []
    private var muons = ObjectColumns(), electrons = ObjectColumns(), jets = ObjectColumns()

    init(isMC: Bool) { self.isMC = isMC }

    /// The branches written, in order.
    static func branches(isMC: Bool) -> [BranchSpec] {
        var specs: [BranchSpec] = [
            BranchSpec("run", .scalar(.uint32)), BranchSpec("luminosityBlock", .scalar(.uint32)),
            BranchSpec("event", .scalar(.uint64)), BranchSpec("HLT_IsoMu24", .scalar(.bool)),
        ]
        if isMC { specs += [BranchSpec("genWeight", .scalar(.float32)), BranchSpec("Pileup_nTrueInt", .scalar(.float32))] }
        specs += [BranchSpec("PV_npvs", .scalar(.int32)), BranchSpec("MET_pt", .scalar(.float32)), BranchSpec("MET_phi", .scalar(.float32))]
        specs += ["Muon", "Electron", "Jet"].flatMap(ObjectColumns.branches(prefix:))
        return specs
    }

    /// Adds one event.
    mutating func append(run: UInt32, event: UInt64, trigger: Bool, genWeight: Float, nTrueInt: Float, npvs: Int32,
                         met: (pt: Double, phi: Double), muons: [Object], electrons: [Object], jets: [Object]) {
        self.run.append(run)
        luminosityBlock.append(UInt32(event / 2000 + 1))
        self.event.append(event)
        self.trigger.append(trigger)
        self.genWeight.append(genWeight)
        self.nTrueInt.append(nTrueInt)
        self.npvs.append(npvs)
        metPt.append(Float(met.pt))
        metPhi.append(Float(met.phi))
        self.muons.append(muons)
        self.electrons.append(electrons)
        self.jets.append(jets)
        count += 1
    }

    /// The collected columns as one batch for `TreeWriter.append`, then empties the batch.
    mutating func take() -> [String: BranchValues] {
        var batch: [String: BranchValues] = [
            "run": .values(.uint32, run), "luminosityBlock": .values(.uint32, luminosityBlock),
            "event": .values(.uint64, event), "HLT_IsoMu24": .values(.bool, trigger),
            "PV_npvs": .values(.int32, npvs), "MET_pt": .values(.float32, metPt), "MET_phi": .values(.float32, metPhi),
        ]
        if isMC {
            batch["genWeight"] = .values(.float32, genWeight)
            batch["Pileup_nTrueInt"] = .values(.float32, nTrueInt)
        }
        muons.emit(prefix: "Muon", into: &batch) { object, columns in
            columns.int32("charge", object.charge); columns.float("pfRelIso04_all", object.isolation)
            columns.bool("tightId", object.tightId); columns.int32("jetIdx", object.jetIndex)
        }
        electrons.emit(prefix: "Electron", into: &batch) { object, columns in
            columns.int32("charge", object.charge); columns.float("pfRelIso03_all", object.isolation)
        }
        jets.emit(prefix: "Jet", into: &batch) { object, columns in
            columns.float("btagDeepB", object.btag); columns.int32("jetId", 6)
        }
        self = ToyEventBatch(isMC: isMC)
        return batch
    }
}

/// One collection's objects of a batch (`nX` and the `X_*` lists).
struct ObjectColumns {
    private var counts: [UInt32] = []
    private var objects: [ToyEventBatch.Object] = []

    /// The typed fields beyond pt, η, φ, mass of each toy collection.
    static let extraFields: [String: [(String, PrimitiveType)]] = [
        "Muon": [("charge", .int32), ("pfRelIso04_all", .float32), ("tightId", .bool), ("jetIdx", .int32)],
        "Electron": [("charge", .int32), ("pfRelIso03_all", .float32)],
        "Jet": [("btagDeepB", .float32), ("jetId", .int32)],
    ]

    static func branches(prefix: String) -> [BranchSpec] {
        let extra = extraFields[prefix] ?? []
        let counter = "n" + prefix
        let kinematics = ["pt", "eta", "phi", "mass"].map { BranchSpec("\(prefix)_\($0)", .counted(.float32, counter: counter)) }
        return [BranchSpec(counter, .scalar(.uint32))] + kinematics
            + extra.map { BranchSpec("\(prefix)_\($0.0)", .counted($0.1, counter: counter)) }
    }

    mutating func append(_ event: [ToyEventBatch.Object]) {
        counts.append(UInt32(event.count))
        objects.append(contentsOf: event)
    }

    /// Typed per-field columns of the collection's extra fields.
    struct Extra {
        var floats: [String: [Float]] = [:], ints: [String: [Int32]] = [:], bools: [String: [Bool]] = [:]
        mutating func float(_ name: String, _ value: Float) { floats[name, default: []].append(value) }
        mutating func int32(_ name: String, _ value: Int32) { ints[name, default: []].append(value) }
        mutating func bool(_ name: String, _ value: Bool) { bools[name, default: []].append(value) }
    }

    func emit(prefix: String, into batch: inout [String: BranchValues],
              extra fill: (ToyEventBatch.Object, inout Extra) -> Void) {
        var offsets = [0]
        offsets.reserveCapacity(counts.count + 1)
        for count in counts { offsets.append(offsets.last! + Int(count)) }
        func jagged<T: BitwiseCopyable>(_ type: PrimitiveType, _ values: [T]) -> BranchValues {
            .jagged(type, offsets: offsets, values.withUnsafeBytes { Array($0) })
        }
        batch["n" + prefix] = .values(.uint32, counts)
        batch[prefix + "_pt"] = jagged(.float32, objects.map { Float($0.pt) })
        batch[prefix + "_eta"] = jagged(.float32, objects.map { Float($0.eta) })
        batch[prefix + "_phi"] = jagged(.float32, objects.map { Float($0.phi) })
        batch[prefix + "_mass"] = jagged(.float32, objects.map { Float($0.mass) })
        var extra = Extra()
        for object in objects { fill(object, &extra) }
        // A batch without any object still needs every branch (with no items).
        for (name, type) in Self.extraFields[prefix] ?? [] {
            switch type {
            case .float32: extra.floats[name, default: []] += []
            case .int32: extra.ints[name, default: []] += []
            default: extra.bools[name, default: []] += []
            }
        }
        for (name, values) in extra.floats { batch["\(prefix)_\(name)"] = jagged(.float32, values) }
        for (name, values) in extra.ints { batch["\(prefix)_\(name)"] = jagged(.int32, values) }
        for (name, values) in extra.bools { batch["\(prefix)_\(name)"] = jagged(.bool, values) }
    }
}
