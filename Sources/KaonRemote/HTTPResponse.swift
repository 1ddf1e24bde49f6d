/// The final response of one HTTP exchange (after redirects).
struct HTTPResponse {
    var status: Int
    /// The status line's reason phrase (empty over HTTP/2).
    var reason: String
    /// Header values by lower-cased name.
    var headers: [String: String]
    var body: [UInt8]

    /// `HTTP 403 Forbidden`, for messages.
    var statusText: String { reason.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(reason)" }
}
