#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// A path in ``temporaryDirectory`` unique to this process: `<tmp>/kaon-<name>-<pid>`.
public func temporaryPath(_ name: String) -> String { "\(temporaryDirectory)/kaon-\(name)-\(getpid())" }
