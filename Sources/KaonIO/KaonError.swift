/// The one error type of Kaon's I/O layers.
///
/// Every failure names what went wrong and, as it propagates up, gains the file and the
/// object it happened in, so that a physicist reading `kaon: error: …` knows which input to
/// look at. Errors are values: a malformed file never traps.
public struct KaonError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is, for callers that want to react to a category.
    public enum Kind: String, Sendable {
        /// Bytes ended before a structure did, or an offset points past the end.
        case truncated
        /// A field holds a value the format does not allow (wrong magic, negative size, …).
        case malformed
        /// A compressed block failed to decode or its checksum did not match.
        case corruptCompression
        /// A compression algorithm Kaon does not implement (the obsolete "CS").
        case unsupportedCompression
        /// A class or type Kaon cannot interpret.
        case unsupported
        /// An object, branch or file that was asked for does not exist.
        case notFound
        /// An analysis used a branch the tree does not have (the object view; `object` names it).
        case missingBranch
        /// The operating system refused an operation (open, read).
        case system
        /// The user asked for something inconsistent.
        case usage
    }

    public var kind: Kind
    public var message: String
    /// The file the error happened in, when known.
    public var file: String?
    /// The object (key path, branch name, …) the error happened in, when known.
    public var object: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, object: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.object = object
    }

    /// This error with its file set, unless an inner layer already named one.
    public func inFile(_ file: String) -> KaonError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }

    /// This error with its object set, unless an inner layer already named a more precise one.
    public func inObject(_ object: String) -> KaonError {
        var copy = self
        if copy.object == nil { copy.object = object }
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let object { parts.append(object) }
        let prefix = parts.isEmpty ? "" : parts.joined(separator: ": ") + ": "
        return prefix + message
    }
}

/// Runs `body`, attaching `file` and `object` to any `KaonError` it throws.
@inlinable
public func withContext<T>(file: String? = nil, object: String? = nil, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch var error as KaonError {
        if let object { error = error.inObject(object) }
        if let file { error = error.inFile(file) }
        throw error
    }
}
