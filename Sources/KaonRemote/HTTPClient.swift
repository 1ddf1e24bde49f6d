#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonIO
import Synchronization

/// The request side of an ``HTTPSource``: one URL, its credentials, a pool of libcurl
/// handles (one per concurrent reader, each keeping its connection alive) and the retry loop.
final class HTTPClient: Sendable {
    /// The URL for messages (``RemoteURL/redacted``).
    let name: String
    /// The URL requests go to.
    let url: String
    /// The `Authorization` header line, nil without a token or over clear text.
    private let authorization: String?
    let configuration: HTTPConfiguration
    private let handles = Mutex<[CurlHandle]>([])
    private let requestCounter = Atomic<Int>(0)
    /// Bytes and requests of every attempt; round trips are counted by the caller, who knows
    /// which requests went out together (a retry adds one: it waits after the failure).
    let statistics = IOStatistics(parent: .remote)

    init(name: String, url: String, authorization: String?, configuration: HTTPConfiguration) {
        self.name = name
        self.url = url
        self.authorization = authorization
        self.configuration = configuration
    }

    /// The requests sent so far, retries included.
    var requests: Int { requestCounter.load(ordering: .relaxed) }

    /// One GET for `ranges`, retried on 5xx, 408, 429 and network failures.
    func exchange(ranges: [Range<Int>]) throws -> HTTPResponse {
        try exchange(rangeSpecifiers: ranges.map { "\($0.lowerBound)-\($0.upperBound - 1)" })
    }

    /// One GET with `Range: bytes=` and `rangeSpecifiers` (`first-last`, or `-count` for a
    /// file's last bytes), retried like ``exchange(ranges:)``. A 200 answer's body is kept
    /// only when it is at most `wholeFileLimit` bytes.
    func exchange(rangeSpecifiers: [String], wholeFileLimit: Int = 0) throws -> HTTPResponse {
        var headers = ["Range: bytes=" + rangeSpecifiers.joined(separator: ",")]
        if let authorization { headers.append(authorization) }
        let handle = try borrowHandle()
        defer { returnHandle(handle) }
        var attempt = 1
        while true {
            requestCounter.add(1, ordering: .relaxed)
            let outcome = handle.get(url, headers: headers, wholeFileLimit: wholeFileLimit)
            if case .success(let response) = outcome {
                statistics.record(bytes: response.body.count, requests: 1, roundTrips: attempt > 1 ? 1 : 0)
            } else {
                statistics.record(requests: 1, roundTrips: attempt > 1 ? 1 : 0)
            }
            let retry: Bool
            switch outcome {
            case .success(let response): retry = response.status >= 500 || response.status == 408 || response.status == 429
            case .failure(let failure): retry = failure.isTransient
            }
            if !retry || attempt >= configuration.attempts {
                switch outcome {
                case .success(let response): return response
                case .failure(let failure):
                    let tries = attempt == 1 ? "" : " (\(attempt) attempts)"
                    throw KaonError(.system, "HTTP request failed: \(failure.message)\(tries)", file: name)
                }
            }
            attempt += 1
            sleep(for: configuration.retryDelay(beforeAttempt: attempt))
        }
    }

    /// The error for an answer that is not the partial content a range request expects.
    func statusError(_ response: HTTPResponse) -> KaonError {
        switch response.status {
        case 200:
            return KaonError(.unsupported, "the server ignores byte-range requests (it answered \(response.statusText) to a Range request)", file: name)
        case 404, 410:
            return KaonError(.notFound, "no such file on the server (\(response.statusText))", file: name)
        case 401, 403:
            return KaonError(.system, "access denied (\(response.statusText)); \(BearerToken.discoveryOrder)", file: name)
        case 416:
            return KaonError(.truncated, "the server refused the byte range (\(response.statusText))", file: name)
        default:
            return KaonError(.system, "unexpected answer \(response.statusText)", file: name)
        }
    }

    private func borrowHandle() throws -> CurlHandle {
        if let handle = handles.withLock({ $0.popLast() }) { return handle }
        return try CurlHandle(configuration: configuration)
    }

    private func returnHandle(_ handle: CurlHandle) {
        handles.withLock { $0.append(handle) }
    }
}

private func sleep(for duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
