#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonIO

/// A WLCG bearer token (a JWT or any opaque string) that authorises reads from grid storage.
///
/// Its text is never printed: `description`, `debugDescription` and reflection show only that
/// a token is there, so interpolating one into an error or a log cannot leak it. The text
/// leaves the process only in an `Authorization: Bearer` header over HTTPS.
public struct BearerToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The token itself; internal so that only the transports read it.
    let value: String

    /// A token from its text, white space around it removed; nil when nothing is left.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { return nil }
        value = trimmed
    }

    public var description: String { "bearer token (\(value.utf8.count) bytes, not shown)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Where ``discover(environment:userID:)`` looks, in order, for messages that say where to
    /// put a token.
    public static let discoveryOrder =
        "a bearer token is read from BEARER_TOKEN, BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u<uid> or /tmp/bt_u<uid>"

    /// The token WLCG's bearer token discovery finds, in its order: the `BEARER_TOKEN`
    /// variable; the file named by `BEARER_TOKEN_FILE`; `$XDG_RUNTIME_DIR/bt_u<uid>`;
    /// `/tmp/bt_u<uid>`. A step that yields nothing (unset, empty, missing file) passes to the
    /// next; nil when no step finds a token.
    ///
    /// `environment` and `userID` default to the process's; tests pass their own.
    public static func discover(
        environment: (String) -> String? = { name in getenv(name).map { String(cString: $0) } },
        userID: UInt32 = UInt32(getuid())
    ) -> BearerToken? {
        if let text = environment("BEARER_TOKEN"), let token = BearerToken(text) { return token }
        var files: [String] = []
        if let file = environment("BEARER_TOKEN_FILE"), !file.isEmpty { files.append(file) }
        if let runtime = environment("XDG_RUNTIME_DIR"), !runtime.isEmpty { files.append("\(runtime)/bt_u\(userID)") }
        files.append("/tmp/bt_u\(userID)")
        for file in files {
            guard let source = try? LocalFileSource(path: file),
                  let bytes = try? source.read(at: 0, count: source.size),
                  let token = BearerToken(String(decoding: bytes, as: UTF8.self))
            else { continue }
            return token
        }
        return nil
    }
}
