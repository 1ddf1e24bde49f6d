/// An error of the object view: a branch that is missing, of an unusable type or layout, or
/// that failed to read. Always names the branch and the source.
///
/// Property reads (`muon.pt`) do not throw; their first failure in a chunk is recorded and
/// rethrown by the loop driver (``Events/forEachEvent(_:)``, ``Events/throwIfFailed()``,
/// ``ChunkView/check()``), see ``ChunkView`` for why.
///
/// ```swift
/// do { try events.forEachEvent { _ = $0.muons.first?.value("nope", as: Float.self) } }
/// catch let error as NanoError { print(error.branch ?? "") }   // "Muon_nope"
/// ```
public struct NanoError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The source has no branch of that name.
        case missingBranch
        /// The branch's values cannot be represented in the requested Swift type.
        case typeMismatch
        /// The branch is not laid out as the collection needs (flat vs jagged, counts).
        case layoutMismatch
        /// Reading or decoding the branch failed (I/O, corrupt data).
        case readFailed
    }

    /// The kind of failure.
    public let kind: Kind
    /// The branch involved, when there is one.
    public let branch: String?
    /// A complete sentence naming the branch and the source.
    public let message: String

    /// Creates an error.
    ///
    /// ```swift
    /// NanoError(.missingBranch, branch: "Muon_pt", "no branch Muon_pt in nano.root:Events")
    /// ```
    public init(_ kind: Kind, branch: String?, _ message: String) {
        self.kind = kind
        self.branch = branch
        self.message = message
    }

    /// A missing-branch error for `branch` in `source`.
    ///
    /// ```swift
    /// throw NanoError.missingBranch("Muon_pt", in: "nano.root:Events")
    /// ```
    public static func missingBranch(_ branch: String, in source: String) -> NanoError {
        NanoError(.missingBranch, branch: branch, "no branch \(branch) in \(source)")
    }

    /// The message.
    public var description: String { message }
}
