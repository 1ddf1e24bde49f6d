#if canImport(Glibc)
import Glibc
#endif

/// Writing output files the safe way: through a ``TemporaryOutput`` beside the target,
/// renamed over it only once everything is written and synced, so an interrupted, killed or
/// failed write never leaves a partial file under the final name.
public enum OutputFile {
    /// Writes `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let output = try TemporaryOutput(finalPath: path)
        // A failed write leaves `output` uncommitted; dropping it removes the temporary.
        try bytes.withUnsafeBytes { try output.write($0, at: 0) }
        try output.commit()
    }

    /// Creates the folder `path` and any missing parents (as `mkdir -p`); an existing folder
    /// is fine.
    public static func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST { throw cannotCreate(prefix, errno: errno) }
            prefix += "/"
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw cannotCreate(path, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw cannotCreate(path, errno: ENOTDIR) }
    }

    /// The error of every output that cannot be created — "cannot create PATH: reason" — so
    /// that all commands word it alike. The temporary name an atomic write goes through is
    /// an implementation detail: the message names the file the user asked for.
    public static func cannotCreate(_ path: String, errno code: Int32) -> KaonError {
        KaonError(.system, "cannot create \(path): \(String(cString: strerror(code)))")
    }
}

/// Writes text to standard error (file descriptor 2) directly: stdio's `stderr` is a C
/// global that Swift 6 treats as unsafe shared state.
public func writeToStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
