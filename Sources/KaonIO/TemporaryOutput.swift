#if canImport(Glibc)
import Glibc
#endif

/// A file being written under a temporary name beside its final path: the one mechanism by
/// which every Kaon output reaches its final name.
///
/// The bytes go to `.NAME.kaon-partial-PID-XXXXXX` in the final file's directory (the same
/// file system, so the rename is atomic); ``commit()`` flushes them to disk (`fsync`), renames
/// the temporary over the final path and flushes the directory entry. Until then the final
/// name holds whatever it held before — a process killed at any point leaves either the
/// previous file intact or the complete new one. ``discard()`` (and dropping the value
/// uncommitted) removes the temporary. While the temporary exists it is listed in
/// ``PendingOutputs``, so an interrupt (Ctrl-C) removes it and reports the output as not
/// written. A temporary left by a process that was killed (its PID no longer runs) is removed
/// the next time an output with the same final name is written.
public final class TemporaryOutput: @unchecked Sendable {
    /// The path the file gets on ``commit()``.
    public let path: String
    /// The temporary path written until then.
    public let temporaryPath: String
    /// The open descriptor of the temporary file; -1 once committed or discarded.
    public private(set) var descriptor: Int32
    private var finished = false

    /// The marker in every temporary's name; `kaon` never writes a final name containing it.
    public static let marker = ".kaon-partial-"

    /// Creates the temporary file for `path` (mode 0666 less the umask, as `open` would).
    public init(finalPath path: String) throws {
        self.path = path
        let (directory, base) = Self.split(path)
        Self.removeStaleTemporaries(in: directory, of: base)
        var template = Array((directory + "." + base + Self.marker + "\(getpid())-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OutputFile.cannotCreate(path, errno: errno) }
        // mkstemp creates 0600; outputs get the usual permissions (the umask applies).
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        descriptor = fd
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        PendingOutputs.started(path, temporary: temporaryPath)
    }

    deinit {
        if !finished { discard() }
    }

    /// Writes `bytes` at byte `offset` of the temporary file.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        guard !finished else { throw KaonError(.usage, "the output is already closed", file: path) }
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw KaonError(.system, "write failed: \(String(cString: strerror(errno)))", file: path)
            }
            done += n
        }
    }

    /// Flushes the temporary to disk and renames it to ``path``; on failure the temporary is
    /// removed and the final name is left as it was.
    public func commit() throws {
        guard !finished else { return }
        // EINVAL: a file system (a pipe, some FUSE mounts) that cannot sync; nothing to wait for.
        guard fsync(descriptor) == 0 || errno == EINVAL else {
            let code = errno
            discard()
            throw KaonError(.system, "cannot write \(path): \(String(cString: strerror(code)))")
        }
        let closed = Glibc.close(descriptor)
        let closeError = errno
        descriptor = -1
        guard closed == 0 else {
            discard()
            throw KaonError(.system, "cannot write \(path): \(String(cString: strerror(closeError)))")
        }
        // Renamed while the registry is held, so an interrupt either sees the output pending
        // (and removes the temporary) or committed — never a rename after "not written".
        let renameError: Int32 = PendingOutputs.committing(path, temporary: temporaryPath) {
            rename(temporaryPath, path) == 0 ? 0 : errno
        }
        finished = true
        guard renameError == 0 else {
            unlink(temporaryPath)
            throw KaonError(.system, "cannot rename \(temporaryPath) to \(path): \(String(cString: strerror(renameError)))", file: path)
        }
        Self.syncDirectory(of: path)
    }

    /// Closes and removes the temporary file; the final name is left as it was.
    public func discard() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        if !finished {
            unlink(temporaryPath)
            PendingOutputs.abandoned(path, temporary: temporaryPath)
        }
        finished = true
    }

    /// The directory prefix (with its trailing slash, or "") and the file name of `path`.
    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// Flushes the directory entry of a rename, so that after a power cut the final name
    /// points at the new file (the data itself was synced before the rename).
    private static func syncDirectory(of path: String) {
        let directory = split(path).directory
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        Glibc.close(fd)
    }

    /// Removes `.BASE.kaon-partial-PID-*` files in `directory` whose process no longer runs:
    /// what a killed `kaon` left behind. Temporaries of running processes are left alone.
    private static func removeStaleTemporaries(in directory: String, of base: String) {
        let prefix = "." + base + marker
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name.hasPrefix(prefix) else { continue }
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + name) }
        }
    }
}
