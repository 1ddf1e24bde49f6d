import CKaonXRootD
import KaonIO

/// A `ByteSource` over a file on an XRootD server (`root://host[:port]//path`), read through
/// the official client library, XrdCl, behind the CKaonXRootD shim.
///
/// A vectored ``read(_:)`` is one `kXR_readv` round trip per 1024 chunks; ranges longer than
/// a readv element may be are cut into several chunks of the same buffer. Redirects,
/// reconnection and retries are XrdCl's (tuned by its `XRD_*` environment variables). Errors
/// are `KaonError`s naming the URL (query hidden) with XrdCl's message. XrdCl's `File` is
/// thread-safe, so one open file serves every reader thread — hence `@unchecked Sendable`.
public final class XRootDSource: ByteSource, @unchecked Sendable {
    /// The URL for messages (``RemoteURL/redacted``).
    public let name: String
    public let size: Int
    private let file: OpaquePointer
    /// The bytes read right after the open (``OpeningRead``).
    private let held: HeldBytes
    /// Bytes read, and requests Kaon issued through XrdCl — open, stat, each read or readv —
    /// each one round trip (XrdCl's calls are synchronous; its own handshake, login and
    /// redirects inside an open are not seen here).
    public let statistics: IOStatistics?

    public var isRemote: Bool { true }

    /// Opens `location` (`root://`, `xroot://`), learns its size (from the open's answer: XrdCl
    /// asks for the file's stat with the open) and reads what `opening` names in one readv.
    public init(_ location: String, opening: OpeningRead = OpeningRead()) throws {
        guard let url = RemoteURL(location), url.transport == .xrootd else {
            throw KaonError(.usage, "not a root:// URL", file: location)
        }
        name = url.redacted
        let statistics = IOStatistics(parent: .remote)
        self.statistics = statistics
        statistics.record(requests: 1, roundTrips: 1)  // the open; the stat below is its cached answer
        var error = [CChar](repeating: 0, count: 1024)
        var failure = KAON_XROOTD_FAILED
        guard let file = kaon_xrootd_open(location, &failure, &error, error.count) else {
            throw Self.openError(failure, error, name: url.redacted)
        }
        var size: UInt64 = 0
        guard kaon_xrootd_size(file, &size, &error, error.count) == 0 else {
            kaon_xrootd_close(file)
            throw Self.error(error, name: url.redacted)
        }
        self.file = file
        self.size = Int(size)
        let ranges = opening.ranges(size: Int(size))
        do {
            held = HeldBytes(ranges, try Self.read(ranges, from: file, size: Int(size), name: url.redacted, statistics: statistics))
        } catch {
            kaon_xrootd_close(file)
            throw error
        }
    }

    deinit { kaon_xrootd_close(file) }

    /// Sets one of XrdCl's process-wide integer settings before files are opened — e.g.
    /// `ConnectionRetry` and `ConnectionWindow` (by default XrdCl keeps trying an unreachable
    /// server for minutes) or `RequestTimeout` — for callers that cannot set the `XRD_*`
    /// environment variables, which win over it. False when XrdCl refused it.
    @discardableResult
    public static func setClientOption(_ name: String, _ value: Int) -> Bool {
        kaon_xrootd_set_option(name, Int32(clamping: value)) == 0
    }

    public func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        try held.read(ranges) { try Self.read($0, from: file, size: size, name: name, statistics: statistics) }
    }

    /// `ranges` of the open `file`, in as few (vector) reads as XrdCl's limits allow.
    private static func read(
        _ ranges: [Range<Int>], from file: OpaquePointer, size: Int, name: String, statistics: IOStatistics?
    ) throws -> [[UInt8]] {
        if ranges.isEmpty { return [] }
        for range in ranges where range.lowerBound < 0 || range.upperBound > size {
            throw KaonError(.truncated, "range \(range) lies outside the file (\(size) bytes)", file: name)
        }
        // One buffer for all ranges, cut into chunks no longer than a readv element.
        var starts: [Int] = []
        var total = 0
        for range in ranges {
            starts.append(total)
            total += range.count
        }
        // Not zero-filled first: XrdCl writes every byte, or the read fails and the buffer is
        // dropped (the shim reports a short read as an error).
        var buffer = [UInt8](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        var offsets: [UInt64] = [], lengths: [UInt32] = [], positions: [Int] = []
        let longest = Int(KAON_XROOTD_MAX_CHUNK_BYTES)
        for (range, start) in zip(ranges, starts) {
            var done = 0
            while done < range.count {
                let length = min(longest, range.count - done)
                offsets.append(UInt64(range.lowerBound + done))
                lengths.append(UInt32(length))
                positions.append(start + done)
                done += length
            }
        }
        try buffer.withUnsafeMutableBytes { bytes in
            var error = [CChar](repeating: 0, count: 1024)
            var first = 0
            while first < offsets.count {
                let count = min(Int(KAON_XROOTD_MAX_CHUNKS), offsets.count - first)
                statistics?.record(bytes: lengths[first..<(first + count)].reduce(0) { $0 + Int($1) }, requests: 1, roundTrips: 1)
                let pointers: [UnsafeMutableRawPointer?] = positions[first..<(first + count)].map { bytes.baseAddress! + $0 }
                let status = offsets[first...].withUnsafeBufferPointer { offsetPointer in
                    lengths[first...].withUnsafeBufferPointer { lengthPointer in
                        kaon_xrootd_read(file, count, offsetPointer.baseAddress, lengthPointer.baseAddress, pointers, &error, error.count)
                    }
                }
                guard status == 0 else { throw Self.error(error, name: name) }
                first += count
            }
        }
        if ranges.count == 1 { return [buffer] }  // no copy for a single range
        return zip(ranges, starts).map { range, start in Array(buffer[start..<(start + range.count)]) }
    }

    private static func error(_ message: [CChar], name: String, hint: String = "") -> KaonError {
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return KaonError(.system, "XRootD: \(text.isEmpty ? "request failed" : text)\(hint)", file: name)
    }

    /// An open's error, with what to do for the failures a token or a certificate causes:
    /// servers that take WLCG tokens authenticate with XrdCl's `ztn` plug-in, which finds the
    /// token by the same discovery as ``BearerToken/discover(environment:userID:)`` and sends it
    /// over TLS only.
    private static func openError(_ failure: KaonXRootDFailure, _ message: [CChar], name: String) -> KaonError {
        let hint = switch failure {
        case KAON_XROOTD_AUTHENTICATION where BearerToken.discover() == nil:
            "; no bearer token was found (\(BearerToken.discoveryOrder))"
        case KAON_XROOTD_AUTHENTICATION:
            "; the server refused the bearer token (wrong issuer or signature, or expired), or XrdCl did not send it (its ztn plug-in sends a token over TLS only, and not from a file that group or others may read: chmod 600)"
        case KAON_XROOTD_NOT_AUTHORIZED where BearerToken.discover() != nil:
            "; the bearer token does not allow reading this path (its scope or audience)"
        case KAON_XROOTD_TLS:
            "; the TLS handshake failed: the server's certificate authority must be in X509_CERT_DIR"
        default:
            ""
        }
        return error(message, name: name, hint: hint)
    }
}
