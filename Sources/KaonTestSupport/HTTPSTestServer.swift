import Foundation

/// A real HTTPS file server for a test: nginx on a free loopback port, started by
/// `<repo>/tests/peers/https_server.py` (which pytest uses too; its docstring lists the
/// locations: `/FILE`, `/protected/FILE` (needs `token`), `/slow/FILE`, `/single/FILE`,
/// `/moved/FILE`), with a self-signed certificate made at start.
///
/// ```swift
/// let server = try HTTPSTestServer(files: [path], token: "t0k3n")
/// defer { server.stop() }
/// var configuration = HTTPConfiguration()
/// configuration.certificateAuthorityFile = server.certificate
/// let source = try HTTPSource(server.url + "/data.root", token: nil, configuration: configuration)
/// ```
public final class HTTPSTestServer: @unchecked Sendable {
    /// `https://127.0.0.1:PORT`.
    public let url: String
    /// The self-signed certificate (PEM) to trust.
    public let certificate: String
    /// nginx's access log: one `METHOD URI STATUS "RANGE" BYTES` line per finished request.
    public let accessLog: String
    /// nginx's process id, for killing the server under a reader.
    public let serverProcessID: Int32
    private let launcher: Process
    private let input: Pipe

    /// Starts nginx serving `files` (by their base names); `token` guards `/protected/`.
    public init(files: [String], token: String) throws {
        let launcher = Process()
        launcher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        launcher.arguments = ["python3", repositoryRoot + "/tests/peers/https_server.py", "--token", token] + files
        let input = Pipe(), output = Pipe()
        launcher.standardInput = input
        launcher.standardOutput = output
        try launcher.run()
        self.launcher = launcher
        self.input = input
        let line = output.fileHandleForReading.readLine()
        guard let data = line.data(using: .utf8),
              let info = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let url = info["url"] as? String, let certificate = info["certificate"] as? String,
              let accessLog = info["access_log"] as? String, let pid = info["pid"] as? Int
        else {
            launcher.terminate()
            throw ServerDidNotStart(output: line)
        }
        self.url = url
        self.certificate = certificate
        self.accessLog = accessLog
        serverProcessID = Int32(pid)
    }

    /// The access log's lines so far.
    public var requests: [String] {
        ((try? String(contentsOfFile: accessLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Kills nginx at once (SIGKILL): connections drop mid-transfer, new ones are refused.
    public func kill() {
        _ = Foundation.kill(serverProcessID, SIGKILL)
    }

    /// Stops nginx and removes its files (closing the launcher's input ends it).
    public func stop() {
        try? input.fileHandleForWriting.close()
        launcher.waitUntilExit()
    }

    deinit {
        if launcher.isRunning { stop() }
    }

    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public var output: String
        public var description: String { "the HTTPS test server did not start (is nginx installed? `make deps`): \(output)" }
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
