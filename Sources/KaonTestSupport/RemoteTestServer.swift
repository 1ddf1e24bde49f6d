import Foundation

/// A real file server for a test, on a free loopback port, started by
/// `<repo>/crosschecks/peers/remote_servers.py` (which pytest uses too; its docstring describes
/// both): nginx over HTTPS with a self-signed certificate made at start (``https(files:token:)``:
/// `/FILE`, `/protected/FILE` needing `token`, `/slow/FILE`, `/single/FILE`, `/moved/FILE`), or
/// xrootd running as nobody (``xrootd(files:)``: `root://127.0.0.1:PORT//FILE`).
///
/// ```swift
/// let server = try RemoteTestServer.https(files: [path], token: "t0k3n")
/// defer { server.stop() }
/// var configuration = HTTPConfiguration()
/// configuration.certificateAuthorityFile = server.certificate
/// let source = try HTTPSource(server.url + "/data.root", token: nil, configuration: configuration)
/// ```
public final class RemoteTestServer: @unchecked Sendable {
    /// `https://127.0.0.1:PORT` or `root://127.0.0.1:PORT/` (append `/FILE`).
    public let url: String
    /// The server's process id, for killing it under a reader.
    public let serverProcessID: Int32
    /// HTTPS: the same files over clear-text HTTP, `http://127.0.0.1:PORT`.
    public let plainURL: String?
    /// HTTPS: the self-signed certificate (PEM) to trust.
    public let certificate: String?
    /// HTTPS: nginx's access log, one `METHOD URI STATUS "RANGE" BYTES SCHEME AUTH` line per
    /// finished request (AUTH: `authorization` when the request carried the header, else `-`).
    public let accessLog: String?
    /// HTTPS: the same files (at the top only) over HTTP/2, `https://127.0.0.1:PORT`.
    public let h2URL: String?
    /// HTTPS: the access log of ``h2URL``, one `PROTOCOL METHOD URI STATUS "RANGE" BYTES` line
    /// per finished request.
    public let h2AccessLog: String?
    private let launcher: Process
    private let input: Pipe

    /// nginx serving `files` (by their base names) over HTTPS; `token` guards `/protected/`.
    public static func https(files: [String], token: String) throws -> RemoteTestServer {
        try RemoteTestServer(["https", "--token", token] + files)
    }

    /// xrootd serving copies of `files` (by their base names).
    public static func xrootd(files: [String]) throws -> RemoteTestServer {
        try RemoteTestServer(["xrootd"] + files)
    }

    private init(_ arguments: [String]) throws {
        let launcher = Process()
        launcher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        launcher.arguments = ["python3", repositoryRoot + "/crosschecks/peers/remote_servers.py"] + arguments
        let input = Pipe(), output = Pipe()
        launcher.standardInput = input
        launcher.standardOutput = output
        try launcher.run()
        self.launcher = launcher
        self.input = input
        let line = output.fileHandleForReading.readLine()
        guard let data = line.data(using: .utf8),
              let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let url = info["url"] as? String, let pid = info["pid"] as? Int
        else {
            launcher.terminate()
            throw ServerDidNotStart(kind: arguments[0], output: line)
        }
        self.url = url
        serverProcessID = Int32(pid)
        certificate = info["certificate"] as? String
        plainURL = info["plain_url"] as? String
        accessLog = info["access_log"] as? String
        h2URL = info["h2_url"] as? String
        h2AccessLog = info["h2_access_log"] as? String
    }

    /// The access log's lines so far (HTTPS), read once the log has stopped growing.
    ///
    /// nginx writes a request's line after it has sent the answer, so a client can hold its
    /// bytes before the line exists: the log is read until two reads 50 ms apart agree (at
    /// most 5 s), as crosschecks/peers/test_remote_io_stats.py does.
    public var requests: [String] { Self.settledLines(of: accessLog) }

    /// ``h2AccessLog``'s lines so far, read as ``requests`` reads its log.
    public var h2Requests: [String] { Self.settledLines(of: h2AccessLog) }

    private static func settledLines(of log: String?) -> [String] {
        guard let log else { return [] }
        func read() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        var text = read()
        for _ in 0..<100 {
            usleep(50_000)
            let again = read()
            if again == text { break }
            text = again
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// Kills the server at once (SIGKILL): connections drop mid-transfer, new ones are refused.
    public func kill() {
        _ = Foundation.kill(serverProcessID, SIGKILL)
    }

    /// Stops the server and removes its files (closing the launcher's input ends it).
    public func stop() {
        try? input.fileHandleForWriting.close()
        launcher.waitUntilExit()
    }

    deinit {
        if launcher.isRunning { stop() }
    }

    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public var kind: String
        public var output: String
        public var description: String {
            "the \(kind) test server did not start (are nginx and xrootd-server installed? `make test-deps`): \(output)"
        }
    }
}

extension FileHandle {
    /// Bytes up to the first newline (or the end), as text.
    fileprivate func readLine() -> String {
        var bytes: [UInt8] = []
        while let chunk = try? read(upToCount: 1), let byte = chunk.first, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
