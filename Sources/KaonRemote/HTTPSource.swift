import Dispatch
import KaonIO
import Synchronization

/// A `ByteSource` over a file served by an HTTP(S) or WebDAV server, read with byte-range
/// requests through libcurl.
///
/// A vectored ``read(_:)`` becomes one multi-range request (`Range: bytes=a-b,c-d,…`,
/// answered as `multipart/byteranges`) so that all baskets a reader asks for at once cost one
/// round trip. A server that answers a multi-range request with the whole file (200) or with
/// fewer ranges than asked is then asked range by range, several ranges at once. Handles — each keeping its
/// connection alive — are pooled, so that many threads can read at once, each on its own
/// connection. Redirects are followed; 5xx answers, 408/429 and network failures are retried
/// with doubling waits (``HTTPConfiguration``). Errors are `KaonError`s naming the URL (user
/// information and query hidden) and the HTTP status; a bearer token never appears in them.
public final class HTTPSource: ByteSource {
    /// The URL for messages (``RemoteURL/redacted``).
    public let name: String
    public let size: Int
    private let client: HTTPClient
    private let serverHonoursMultipleRanges: Atomic<Bool>
    /// What the opening request brought besides the size (``HTTPConfiguration/opening``).
    private let held: HeldBytes

    /// Opens `location` (`http://`, `https://`, `dav://`, `davs://`) and learns its size.
    ///
    /// `token` is sent as `Authorization: Bearer` over encrypted schemes only (never in clear
    /// text over `http://`).
    public init(
        _ location: String, token: BearerToken? = BearerToken.discover(),
        configuration: HTTPConfiguration = .fromEnvironment()
    ) throws {
        guard let parsed = RemoteURL(location), parsed.transport == .http else {
            throw KaonError(.usage, "not an http(s):// or dav(s):// URL", file: location)
        }
        name = parsed.redacted
        client = HTTPClient(
            name: parsed.redacted, url: parsed.transportURL,
            authorization: parsed.isSecure ? token.map { "Authorization: Bearer \($0.value)" } : nil,
            configuration: configuration)
        let opened = try Self.open(client, reading: configuration.opening)
        (size, held) = (opened.size, opened.held)
        serverHonoursMultipleRanges = Atomic(opened.multipleRanges)
    }

    /// The HTTP requests sent so far (retries and range-by-range fallbacks each count).
    public var requests: Int { client.requests }

    /// Bytes of the answers' bodies, requests sent, and round trips: one per request sent
    /// alone, one per wave of up to `HTTPConfiguration.parallelRequests` sent together.
    public var statistics: IOStatistics? { client.statistics }

    public var isRemote: Bool { true }

    public func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        for range in ranges where range.lowerBound < 0 || range.upperBound > size {
            throw KaonError(.truncated, "range \(range) lies outside the file (\(size) bytes)", file: name)
        }
        return try held.read(ranges) { try fetch(covering: $0) }
    }

    /// The bytes of `ranges`, from the server.
    private func fetch(covering ranges: [Range<Int>]) throws -> [[UInt8]] {
        let spans = Self.spans(covering: ranges.filter { !$0.isEmpty })
        var pieces: [MultipartByteRanges.Part] = []
        var start = 0
        while start < spans.count {
            let batch = Array(spans[start..<min(start + client.configuration.rangesPerRequest, spans.count)])
            pieces += try fetch(batch)
            start += batch.count
        }
        pieces.sort { $0.range.lowerBound < $1.range.lowerBound }
        return try ranges.map { range in
            if range.isEmpty { return [] }
            guard let piece = Self.piece(in: pieces, containing: range) else {
                throw KaonError(.malformed, "the server's answer lacks bytes \(range)", file: name)
            }
            let offset = piece.bytes.startIndex + (range.lowerBound - piece.range.lowerBound)
            return Array(piece.bytes[offset..<(offset + range.count)])
        }
    }

    /// The requested ranges sorted, with overlapping and touching ones merged: servers may
    /// refuse overlapping ranges, and each byte needs fetching once.
    static func spans(covering ranges: [Range<Int>]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = spans.last, range.lowerBound <= last.upperBound {
                spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                spans.append(range)
            }
        }
        return spans
    }

    /// The piece (sorted by start) holding all of `range`.
    private static func piece(in pieces: [MultipartByteRanges.Part], containing range: Range<Int>) -> MultipartByteRanges.Part? {
        var low = 0, high = pieces.count  // first piece starting after range.lowerBound
        while low < high {
            let middle = (low + high) / 2
            if pieces[middle].range.lowerBound <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        guard low > 0, pieces[low - 1].range.upperBound >= range.upperBound else { return nil }
        return pieces[low - 1]
    }

    /// The bytes of `spans` (sorted, disjoint): in one multi-range request while the server
    /// honours them, then one request per span the answer did not cover.
    private func fetch(_ spans: [Range<Int>]) throws -> [MultipartByteRanges.Part] {
        var parts: [MultipartByteRanges.Part] = []
        if spans.count > 1 && serverHonoursMultipleRanges.load(ordering: .relaxed) {
            client.statistics.record(roundTrips: 1)
            let response = try client.exchange(ranges: spans)
            switch response.status {
            case 200:
                // The whole file instead of the ranges (the body was not downloaded).
                serverHonoursMultipleRanges.store(false, ordering: .relaxed)
            case 206:
                parts = try Self.partialContent(response, client: client)
            default:
                throw client.statusError(response)
            }
        }
        let missing = spans.filter { span in
            !parts.contains { $0.range.lowerBound <= span.lowerBound && $0.range.upperBound >= span.upperBound }
        }
        return parts + (try fetchEach(missing))
    }

    /// One request per span, up to `HTTPConfiguration.parallelRequests` at once, each on its
    /// own pooled connection.
    private func fetchEach(_ spans: [Range<Int>]) throws -> [MultipartByteRanges.Part] {
        if spans.isEmpty { return [] }
        let parallel = client.configuration.parallelRequests
        client.statistics.record(roundTrips: (spans.count + parallel - 1) / parallel)
        let results = Mutex<[Result<[MultipartByteRanges.Part], any Error>?]>(Array(repeating: nil, count: spans.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(client.configuration.parallelRequests, spans.count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < spans.count else { break }
                let result = Result { try self.fetchOne(spans[index]) }
                results.withLock { $0[index] = result }
            }
        }
        return try results.withLock { $0 }.flatMap { try $0!.get() }
    }

    private func fetchOne(_ span: Range<Int>) throws -> [MultipartByteRanges.Part] {
        let response = try client.exchange(ranges: [span])
        guard response.status == 206 else { throw client.statusError(response) }
        return try Self.partialContent(response, client: client)
    }

    /// The parts of a 206 answer: one range (`Content-Range`) or several (`multipart/byteranges`).
    private static func partialContent(_ response: HTTPResponse, client: HTTPClient) throws -> [MultipartByteRanges.Part] {
        try withContext(file: client.name) {
            if let contentType = response.headers["content-type"],
               let boundary = MultipartByteRanges.boundary(ofContentType: contentType) {
                return try MultipartByteRanges(body: response.body, boundary: boundary).parts
            }
            guard let header = response.headers["content-range"], let range = ContentRange(header)?.range else {
                throw KaonError(.malformed, "\(response.statusText) answer without a valid Content-Range")
            }
            guard response.body.count == range.count else {
                throw KaonError(.truncated, "\(response.statusText) answer for bytes \(range) carries \(response.body.count) bytes")
            }
            return [MultipartByteRanges.Part(range: range, bytes: response.body[...], total: ContentRange(header)?.total)]
        }
    }

    /// The file's size, and the bytes `opening` asks for: ONE request for the first and the
    /// last bytes (`Range: bytes=0-H,-T`), whose `Content-Range` states the size. A file no
    /// larger than both may come whole (200, as nginx answers overlapping ranges); an empty
    /// one answers 416 `bytes */0`. When the server refuses the multi-range request (a 200
    /// too long to keep: its body is abandoned) `multipleRanges` is false and the size is
    /// learned from a single range. (A HEAD's Content-Length is not reliable across
    /// servers and proxies, so the size always comes from a range answer.)
    private static func open(_ client: HTTPClient, reading opening: OpeningRead) throws -> (size: Int, held: HeldBytes, multipleRanges: Bool) {
        var specifiers: [String] = []
        if opening.headBytes > 0 { specifiers.append("0-\(opening.headBytes - 1)") }
        if opening.tailBytes > 0 { specifiers.append("-\(opening.tailBytes)") }
        if specifiers.isEmpty { specifiers = ["0-0"] }
        client.statistics.record(roundTrips: 1)
        let response = try client.exchange(rangeSpecifiers: specifiers, wholeFileLimit: opening.headBytes + opening.tailBytes)
        switch response.status {
        case 206:
            let parts = try partialContent(response, client: client)
            guard let size = parts.lazy.compactMap(\.total).first else {
                throw KaonError(.malformed, "the server did not state the file's size (Content-Range: \(response.headers["content-range"] ?? "absent"))", file: client.name)
            }
            let kept = opening.isEmpty ? [] : parts
            return (size, HeldBytes(kept.map(\.range), kept.map { Array($0.bytes) }), true)
        case 200 where !response.body.isEmpty || response.headers["content-length"] == "0":
            return (response.body.count, HeldBytes([0..<response.body.count], [response.body]), true)
        case 200 where specifiers.count > 1:
            // Abandoned: the server answers multi-range requests with the whole file.
            let single = try open(client, reading: OpeningRead(headBytes: max(1, opening.headBytes), tailBytes: 0))
            return (single.size, single.held, false)
        case 416:
            guard let total = response.headers["content-range"].flatMap({ ContentRange($0) })?.total else {
                throw client.statusError(response)
            }
            return (total, HeldBytes(), true)
        default:
            throw client.statusError(response)
        }
    }
}
