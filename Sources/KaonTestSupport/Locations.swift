#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// Shared by the test targets only (no product exports this module).

/// `<repo>`, found from this file's path (`<repo>/Sources/KaonTestSupport/Locations.swift`)
/// so that the tests work wherever the repository is checked out.
public let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// `$SHARED/data`: the shared test files. `SHARED` defaults to `<repo>/../shared`, beside the
/// repository as CI lays it out; the Makefile and pytest's conftest honour the same variable, so
/// one setting moves every test to another copy.
public let sharedData: String = {
    let shared = environment("SHARED").flatMap { $0.isEmpty ? nil : $0 } ?? repositoryRoot + "/../shared"
    return shared + "/data"
}()

/// The value of environment variable `name`, nil when it is unset.
public func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// `$TMPDIR`, or `/tmp`.
public var temporaryDirectory: String { environment("TMPDIR") ?? "/tmp" }

/// A path in ``temporaryDirectory`` unique to this call: `<tmp>/kaon-<name>-<pid>-<n><suffix>`.
/// Unique per call, not only per process, because Swift Testing runs tests in parallel: two
/// tests asking for the same name must not write, read and delete one file.
public func temporaryPath(_ name: String, suffix: String = "") -> String {
    // Zero-padded to a fixed width: a ROOT file records its own name, so paths of different
    // lengths would shift every offset in files a test expects to be byte-identical.
    let n = String(temporaryPathCounter.add(1, ordering: .relaxed).newValue)
    return "\(temporaryDirectory)/kaon-\(name)-\(getpid())-\(String(repeating: "0", count: max(0, 8 - n.count)) + n)\(suffix)"
}

private let temporaryPathCounter = Atomic<Int>(0)
