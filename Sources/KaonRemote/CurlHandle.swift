import CKaonCurl
import KaonIO

/// One libcurl easy handle: one connection kept open between requests (keep-alive), used by
/// one thread at a time — ``HTTPSource`` lends handles out of a pool, which is why the
/// `@unchecked Sendable` is sound.
final class CurlHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(configuration: HTTPConfiguration) throws {
        _ = curlGlobalInitialization
        guard let handle = curl_easy_init() else {
            throw KaonError(.system, "libcurl could not create a transfer handle")
        }
        self.handle = handle
        errorBuffer[0] = 0
        var codes = [
            kaon_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            // Worker threads must not get SIGALRM from name resolution timeouts.
            kaon_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
            kaon_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 1),
            kaon_curl_set_long(handle, CURLOPT_MAXREDIRS, 10),
            kaon_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            kaon_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
            kaon_curl_set_long(handle, CURLOPT_TCP_KEEPALIVE, 1),
            kaon_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, configuration.connectTimeoutSeconds),
            // A transfer slower than 1 byte/s for this long is stalled: give up and retry.
            kaon_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
            kaon_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, configuration.stallTimeoutSeconds),
            kaon_curl_set_string(handle, CURLOPT_USERAGENT, "kaon"),
            // Baskets arrive in megabytes: hand them over in large pieces (libcurl's default is
            // 16 KiB per callback), fewer calls and appends per byte.
            kaon_curl_set_long(handle, CURLOPT_BUFFERSIZE, 512 << 10),
            // AES-128-GCM first, as browsers order TLS 1.3's suites: fewer rounds per byte than
            // OpenSSL's default AES-256 for every basket decrypted (and encrypted by the server).
            kaon_curl_set_string(handle, CURLOPT_TLS13_CIPHERS, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"),
            kaon_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, receiveHeaderLine),
            kaon_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, receiveBody),
        ]
        if let file = configuration.certificateAuthorityFile {
            codes.append(kaon_curl_set_string(handle, CURLOPT_CAINFO, file))
        }
        if let directory = configuration.certificateAuthorityDirectory {
            codes.append(kaon_curl_set_string(handle, CURLOPT_CAPATH, directory))
        }
        if let refused = codes.first(where: { $0 != CURLE_OK }) {
            throw KaonError(.system, "libcurl refused a transfer option: \(String(cString: curl_easy_strerror(refused)))")
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// One GET of `url` with `headers` (`Name: value` lines). A 200 answer (the server ignored
    /// `Range` and sends the whole file) is cut off after its headers unless its
    /// `Content-Length` is at most `wholeFileLimit`: the response then has status 200, its
    /// headers and no body.
    func get(_ url: String, headers: [String], wholeFileLimit: Int = 0) -> Result<HTTPResponse, CurlFailure> {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }
        let transfer = Transfer(wholeFileLimit: wholeFileLimit)
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }
        kaon_curl_set_string(handle, CURLOPT_URL, url)
        kaon_curl_set_list(handle, CURLOPT_HTTPHEADER, list)
        kaon_curl_set_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())
        kaon_curl_set_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        kaon_curl_set_list(handle, CURLOPT_HTTPHEADER, nil)
        if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && transfer.abandoned) {
            let detail = String(cString: errorBuffer)
            let summary = String(cString: curl_easy_strerror(code))
            return .failure(CurlFailure(code: code, message: detail.isEmpty ? summary : detail))
        }
        return .success(HTTPResponse(status: transfer.status, reason: transfer.reason, headers: transfer.headers, body: transfer.body))
    }
}

/// A transfer that failed below HTTP (connection, TLS, timeout, broken stream).
struct CurlFailure: Error {
    var code: CURLcode
    var message: String

    /// Failures worth another attempt: the network or the server may recover.
    var isTransient: Bool {
        [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR,
         CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM].contains(code)
    }
}

/// libcurl must be initialised once before any handle exists; Swift runs a global's
/// initialiser exactly once, thread-safely.
private let curlGlobalInitialization: Void = {
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// What the callbacks of one transfer accumulate.
private final class Transfer {
    let wholeFileLimit: Int
    var status = 0
    var reason = ""
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var abandoned = false

    init(wholeFileLimit: Int) { self.wholeFileLimit = wholeFileLimit }

    /// The answer's announced body length, when it states one.
    var contentLength: Int? { headers["content-length"].flatMap { Int($0) } }

    /// The most bytes reserved up front from a `Content-Length`: a bigger body grows as it
    /// arrives, so a false header cannot make a huge allocation.
    static let largestReservation = 256 << 20
}

/// libcurl calls this for each header line of each response, redirects included: a status
/// line starts a new response, so only the final response's headers remain.
private let receiveHeaderLine: kaon_curl_data_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        .trimmingSpaces()
    if line.hasPrefix("HTTP/") {
        let fields = line.split(separator: " ", maxSplits: 2)
        transfer.status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
        transfer.reason = fields.count > 2 ? String(fields[2]) : ""
        transfer.headers = [:]
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
        transfer.headers[name] = String(value)
    }
    return length
}

/// libcurl calls this with body bytes; returning less than it was given aborts the transfer.
private let receiveBody: kaon_curl_data_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    if transfer.status == 200 && (transfer.contentLength ?? Int.max) > transfer.wholeFileLimit {
        transfer.abandoned = true
        return 0
    }
    if transfer.body.isEmpty, let announced = transfer.contentLength {
        // One allocation for the whole body instead of a copy each time the array grows.
        transfer.body.reserveCapacity(min(announced, Transfer.largestReservation))
    }
    transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    return length
}
