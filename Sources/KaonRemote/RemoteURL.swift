/// A location with a URL scheme Kaon reads remotely: `root://`/`xroot://` (XRootD),
/// `http://`, `https://`, `dav://`, `davs://` (HTTP and WebDAV).
public struct RemoteURL: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        case http
        case xrootd
    }

    /// The scheme as written, lower-cased (`https`, `davs`, `root`, …).
    public var scheme: String
    /// `host[:port]` (and `user@` when given).
    public var authority: String
    /// Everything after the authority: `/path` and any `?query` or `#fragment`.
    public var pathAndQuery: String
    public var transport: Transport

    /// Parses `location`; nil when it does not start with a remote scheme, so that a local
    /// path (even one containing `:`) is never mistaken for a URL.
    public init?(_ location: String) {
        guard let separator = location.firstRange(of: "://") else { return nil }
        let scheme = location[..<separator.lowerBound].lowercased()
        switch scheme {
        case "http", "https", "dav", "davs": transport = .http
        case "root", "xroot", "roots", "xroots": transport = .xrootd
        default: return nil
        }
        self.scheme = scheme
        let rest = location[separator.upperBound...]
        let pathStart = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        authority = String(rest[..<pathStart])
        pathAndQuery = String(rest[pathStart...])
    }

    /// The URL for the transport: WebDAV schemes become their HTTP ones (`davs` → `https`).
    public var transportURL: String {
        let wire = switch scheme {
        case "dav": "http"
        case "davs": "https"
        default: scheme
        }
        return "\(wire)://\(authority)\(pathAndQuery)"
    }

    /// Whether the connection is encrypted (a bearer token is sent only then).
    public var isSecure: Bool { ["https", "davs", "roots", "xroots"].contains(scheme) }

    /// The URL for messages: any `user:password@` and any query (where storage systems put
    /// signed or token parameters, `?authz=…`) are replaced by `…`.
    public var redacted: String {
        let host = authority.contains("@") ? "…@" + authority[authority.index(after: authority.lastIndex(of: "@")!)...] : authority
        var path = pathAndQuery
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) + "?…" }
        return "\(scheme)://\(host)\(path)"
    }
}
