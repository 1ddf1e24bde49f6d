#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``HTTPSource`` talks to servers: whom to trust, how long to wait, how often to retry.
public struct HTTPConfiguration: Sendable {
    /// A PEM file of certificate authorities to trust instead of the system's.
    public var certificateAuthorityFile: String?
    /// A directory of hashed CA certificates (the grid's `/etc/grid-security/certificates`).
    public var certificateAuthorityDirectory: String?
    /// Attempts per request, the first included: 5xx answers, 408/429 and network failures
    /// are retried, other answers are final.
    public var attempts = 4
    /// The wait before the second attempt; each later wait doubles, up to 8 s.
    public var firstRetryDelay: Duration = .milliseconds(250)
    public var connectTimeoutSeconds = 15
    /// A transfer that moves no byte for this long is abandoned (and retried).
    public var stallTimeoutSeconds = 60
    /// The most ranges one multi-range request asks for, so that its `Range` header stays
    /// under servers' header size limits (nginx: 8 KiB per line by default).
    public var rangesPerRequest = 200
    /// The most single-range requests in flight at once when a server does not answer
    /// multi-range requests (each on its own connection).
    public var parallelRequests = 8
    /// The first and last bytes of the file read with its size, in one request, and kept.
    public var opening = OpeningRead()

    public init() {}

    /// The defaults, with the CA bundle from `CURL_CA_BUNDLE` or `SSL_CERT_FILE` and the CA
    /// directory from `X509_CERT_DIR` (the grid's variable) when they are set.
    public static func fromEnvironment() -> HTTPConfiguration {
        var configuration = HTTPConfiguration()
        configuration.certificateAuthorityFile = variable("CURL_CA_BUNDLE") ?? variable("SSL_CERT_FILE")
        configuration.certificateAuthorityDirectory = variable("X509_CERT_DIR")
        return configuration
    }

    private static func variable(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// The wait before attempt `attempt` (2, 3, …).
    func retryDelay(beforeAttempt attempt: Int) -> Duration {
        min(firstRetryDelay * (1 << min(attempt - 2, 16)), .seconds(8))
    }
}
