import KaonColumns
import KaonIO
import KaonPhysics
import KaonTree

// The bridge from a NanoAOD collection's branches to KaonPhysics' columnar Lorentz vectors;
// in KaonNano for the same reason as `Column+JaggedArray.swift` (KaonPhysics does not see
// KaonTree).

extension Tree {
    /// The four-momenta of NanoAOD collection `collection` (`Muon` → `Muon_pt`, `Muon_eta`,
    /// `Muon_phi`, `Muon_mass`, all float32) for `entries` (all by default).
    ///
    /// ```swift
    /// let muons = try tree.p4("Muon")
    /// let pairs = muons.pt.argcombinations(2)
    /// let dimuonMass = muons.mass(over: pairs)   // JaggedArray<Double>
    /// ```
    public func p4(_ collection: String, entries: Range<Int>? = nil) throws -> PtEtaPhiMColumns<Float> {
        try PtEtaPhiMColumns(collection: collection) { try jagged($0, as: Float.self, entries: entries) }
    }
}

extension ColumnSource {
    /// The four-momenta of NanoAOD collection `collection` for this block's events.
    ///
    /// ```swift
    /// let jets = try TreeChunk(tree: tree, entries: 0..<1000).p4("Jet")
    /// ```
    public func p4(_ collection: String) throws -> PtEtaPhiMColumns<Float> {
        try PtEtaPhiMColumns(collection: collection) { try jagged($0, as: Float.self) }
    }
}

extension PtEtaPhiMColumns where Scalar == Float {
    /// `<collection>_pt/_eta/_phi/_mass`, each read by `read`; branches whose lists differ
    /// are an error naming them (not the precondition of the memberwise initialiser).
    init(collection: String, read: (String) throws -> JaggedArray<Float>) throws {
        let names = ["pt", "eta", "phi", "mass"].map { collection + "_" + $0 }
        let columns = try names.map(read)
        for (name, column) in zip(names, columns).dropFirst() where column.offsets != columns[0].offsets {
            throw KaonError(.usage, "does not have the same number of items per entry as \(names[0])", object: name)
        }
        self.init(pt: columns[0], eta: columns[1], phi: columns[2], mass: columns[3])
    }
}
