import KaonIO

/// The object view reports failures as ``KaonIO/KaonError``: `object` is the branch, and the
/// message names the branch and the source. Kinds: `.missingBranch` (no such branch),
/// `.usage` (a type that cannot hold the values, or a branch that is not laid out as the
/// collection needs), `.malformed` (a negative counter), or the reader's own kind for a
/// failed read.
///
/// Property reads (`muon.pt`) do not throw; their first failure in a chunk is recorded and
/// rethrown by the loop driver (``Events/forEachEvent(_:)``, ``ChunkView/check()``), see
/// ``ChunkView`` for why.
///
/// ```swift
/// do { try events.forEachEvent { _ = $0.muons.first?.value("nope", as: Float.self) } }
/// catch let error as KaonError where error.kind == .missingBranch { print(error.object ?? "") }   // "Muon_nope"
/// ```
extension KaonError {
    /// A missing-branch error for `branch` in `source`.
    ///
    /// ```swift
    /// throw KaonError.missingBranch("Muon_pt", in: "nano.root:Events")
    /// ```
    public static func missingBranch(_ branch: String, in source: String) -> KaonError {
        KaonError(.missingBranch, "no branch \(branch) in \(source)", object: branch)
    }

    /// `error` as a ``KaonIO/KaonError`` about `branch` (a reader's error keeps its kind).
    static func wrapping(_ error: Error, branch: String) -> KaonError {
        if let error = error as? KaonError { return error.inObject(branch) }
        return KaonError(.system, "reading \(branch) failed: \(error)", object: branch)
    }
}
