import KaonColumns
import KaonIO
import KaonROOT
import KaonTree

// The bridge from a tree's branches to KaonColumns' jagged arrays. It lives in KaonNano
// because this is the lowest module that sees both types: KaonColumns and KaonPhysics are
// in-memory kernels that do not depend on the ROOT reader (KaonTree).

extension Column {
    /// The column as a ``KaonColumns/JaggedArray`` of `T`: one list per entry, for a branch
    /// with one level of lists of single numbers (`Muon_pt[nMuon]`, `vector<float>`).
    ///
    /// `T` must be the stored type's Swift type (see ``KaonTree/Column/values(as:)``); the
    /// offsets are shared, the values copied once. Any other shape or type throws,
    /// naming the branch.
    ///
    /// ```swift
    /// let pt = try tree.read(tree.branch("Muon_pt")).jagged(as: Float.self)
    /// ```
    public func jagged<T: PrimitiveValue>(as _: T.Type) throws -> JaggedArray<T> {
        guard offsets.count == 1, innerShape.isEmpty else {
            throw KaonError(.usage, "is not a branch of one list of numbers per entry "
                + "(it has \(offsets.count) levels of lists, items of shape \(innerShape))", object: branch ?? "column")
        }
        return JaggedArray(offsets: offsets[0], values: try values(as: T.self))
    }
}

extension Tree {
    /// Branch `name` for `entries` (all by default) as a jagged array of `T`, which must be
    /// the branch's stored type.
    ///
    /// ```swift
    /// let tree = try Tree(file: ROOTFile(path: "nano.root"), path: "Events")
    /// let pt = try tree.jagged("Muon_pt", as: Float.self)   // JaggedArray<Float>
    /// let hard = pt .> 20
    /// ```
    public func jagged<T: PrimitiveValue>(_ name: String, as _: T.Type, entries: Range<Int>? = nil) throws -> JaggedArray<T> {
        try withContext(file: file.name, object: "\(path):\(name)") {
            try read(branch(name), entries: entries).jagged(as: T.self)
        }
    }
}

extension ColumnSource {
    /// Branch `name` of this block's events as a jagged array of `T` (the stored type).
    ///
    /// ```swift
    /// let btag = try TreeChunk(tree: tree, entries: 0..<1000).jagged("Jet_btag", as: Float.self)
    /// ```
    public func jagged<T: PrimitiveValue>(_ name: String, as _: T.Type) throws -> JaggedArray<T> {
        try withContext(object: name) { try column(name).jagged(as: T.self) }
    }
}
