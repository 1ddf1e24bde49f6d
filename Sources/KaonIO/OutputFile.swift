#if canImport(Glibc)
import Glibc
#endif

/// Writing output files the safe way: into a temporary file beside the target, renamed
/// over it only once everything is written, so an interrupted or failed write never
/// leaves a partial file under the final name.
public enum OutputFile {
    /// Writes `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".kaon-partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw KaonError(.system, "cannot create: \(String(cString: strerror(errno)))", file: path)
        }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw KaonError(.system, "cannot write: \(String(cString: strerror(failure)))", file: path)
        }
    }
}

/// Writes text to standard error (file descriptor 2) directly: stdio's `stderr` is a C
/// global that Swift 6 treats as unsafe shared state.
public func writeToStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
