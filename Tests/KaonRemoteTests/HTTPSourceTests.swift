import Foundation
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

@testable import KaonRemote

/// ``HTTPSource`` against a real nginx on loopback (crosschecks/peers/remote_servers.py), compared
/// byte for byte and column for column with the same files read locally.
@Suite(.serialized) struct HTTPSourceTests {
    static let files = [
        "nanoAOD_2015_CMS_Open_Data_ttbar.root", "root-6.40-adl-2000-zstd.root", "uproot-HZZ-lzma.root",
        "uproot-small-evnt-tree-fullsplit.root", "uproot-stl_containers.root", "uproot-empty.root",
    ]
    static let token = "kaon-test-token-\(UUID().uuidString)"

    private func startServer() throws -> RemoteTestServer {
        try RemoteTestServer.https(files: Self.files.map { sharedData + "/root/" + $0 }, token: Self.token)
    }

    /// The tests of range requests read nothing ahead when opening (``OpeningRead``), so that
    /// every read they make reaches the server; OpeningReadTests covers the opening read.
    private func configuration(_ server: RemoteTestServer, attempts: Int = 4, opening: OpeningRead = .nothing) -> HTTPConfiguration {
        var configuration = HTTPConfiguration()
        configuration.opening = opening
        configuration.certificateAuthorityFile = server.certificate
        configuration.attempts = attempts
        configuration.firstRetryDelay = .milliseconds(50)
        return configuration
    }

    @Test func everyBranchEqualsTheLocalRead() throws {
        let server = try startServer()
        defer { server.stop() }
        for name in Self.files {
            let local = try ROOTFile(path: sharedData + "/root/" + name)
            let source = try HTTPSource(server.url + "/" + name, token: nil, configuration: configuration(server, opening: OpeningRead()))
            #expect(source.size == local.source.size, "\(name)")
            #expect(try source.read(0..<source.size) == local.source.read(0..<local.source.size), "\(name): whole file")
            let remote = try ROOTFile(source: source)
            #expect(remote.root.keys.map(\.name) == local.root.keys.map(\.name), "\(name): keys")
            try expectTreesReadAlike(remote: remote, local: local, name: name)
        }
    }

    /// A vectored read of scattered ranges costs one request, answered as multipart/byteranges.
    @Test func scatteredRangesTakeOneMultiRangeRequest() throws {
        let server = try startServer()
        defer { server.stop() }
        let name = "nanoAOD_2015_CMS_Open_Data_ttbar.root"
        let local = try LocalFileSource(path: sharedData + "/root/" + name)
        let source = try HTTPSource(server.url + "/" + name, token: nil, configuration: configuration(server))
        let ranges = [300_000..<300_100, 10..<20, 5000..<9000, 15..<30, 370_000..<local.size, 9000..<9001, 123..<123]
        let before = source.requests
        #expect(try source.read(ranges) == local.read(ranges))
        #expect(source.requests - before == 1)
        let multiRange = server.requests.filter { $0.contains(" 206 ") && $0.contains(",") }
        #expect(multiRange.count == 1, "\(server.requests)")
        #expect(multiRange.first?.contains("\"bytes=10-29,123-") == false)  // empty range not asked for
        #expect(multiRange.first?.contains("\"bytes=10-29,5000-9000,300000-300099,370000-") == true, "\(multiRange)")
        // A whole branch's baskets in one request too.
        let adl = try HTTPSource(server.url + "/root-6.40-adl-2000-zstd.root", token: nil, configuration: configuration(server))
        let tree = try Tree(file: ROOTFile(source: adl), path: "Events")
        let branch = try tree.branch("Jet_pt")
        try #require(branch.basketCount > 1)
        let requestsBefore = adl.requests
        _ = try tree.read(branch)
        #expect(adl.requests - requestsBefore == 1)
    }

    /// A server that answers multi-range requests with the whole file: the body is abandoned
    /// and each range is asked for on its own, with the same bytes as a result.
    @Test func wholeFileAnswerFallsBackToSingleRanges() throws {
        let server = try startServer()
        defer { server.stop() }
        let name = "uproot-HZZ-lzma.root"
        let local = try LocalFileSource(path: sharedData + "/root/" + name)
        let source = try HTTPSource(server.url + "/single/" + name, token: nil, configuration: configuration(server))
        let ranges = [100..<200, 1000..<5000, 50_000..<50_010]
        let before = source.requests
        #expect(try source.read(ranges) == local.read(ranges))
        #expect(source.requests - before == 4)  // the refused multi-range request, then 3 singles
        #expect(try source.read(ranges) == local.read(ranges))
        #expect(source.requests - before == 7)  // no second multi-range attempt
        let whole = server.requests.filter { $0.contains(" 200 ") }
        #expect(whole.count == 1, "\(server.requests)")
    }

    @Test func redirectIsFollowed() throws {
        let server = try startServer()
        defer { server.stop() }
        let name = "uproot-HZZ-lzma.root"
        let source = try HTTPSource(server.url + "/moved/" + name, token: nil, configuration: configuration(server))
        let local = try LocalFileSource(path: sharedData + "/root/" + name)
        #expect(try source.read([0..<64, 2000..<3000]) == local.read([0..<64, 2000..<3000]))
        #expect(server.requests.contains { $0.hasPrefix("GET /moved/\(name) 302 ") })
    }

    @Test func tokenOpensProtectedFilesAndNeverAppearsInErrors() throws {
        let server = try startServer()
        defer { server.stop() }
        let url = server.url + "/protected/uproot-HZZ-lzma.root"
        let right = try #require(BearerToken(Self.token))
        let source = try HTTPSource(url, token: right, configuration: configuration(server))
        #expect(try ROOTFile(source: source).root.keys.isEmpty == false)

        let wrongText = "wrong-\(Self.token)"
        for token in [BearerToken(wrongText), nil] {
            #expect {
                _ = try HTTPSource(url, token: token, configuration: configuration(server))
            } throws: { error in
                let message = "\(error)"
                return (error as? KaonError)?.file == url && message.contains("HTTP 403")
                    && !message.contains(Self.token) && !message.contains(wrongText)
            }
        }
        #expect(server.requests.contains { $0.hasPrefix("GET /protected/uproot-HZZ-lzma.root 206 ") && $0.hasSuffix(" https authorization") },
                "\(server.requests)")

        // Over clear-text http the token is not sent at all: nginx sees no Authorization header.
        let plain = try #require(server.plainURL) + "/protected/uproot-HZZ-lzma.root"
        #expect {
            _ = try HTTPSource(plain, token: right, configuration: configuration(server))
        } throws: { error in
            "\(error)".contains("HTTP 403") && !"\(error)".contains(Self.token)
        }
        for _ in 0..<40 where !server.requests.contains(where: { $0.contains(" http ") }) { usleep(50_000) }
        let clearText = server.requests.filter { $0.contains(" http ") }
        #expect(!clearText.isEmpty && clearText.allSatisfy { $0.hasSuffix(" http -") }, "\(server.requests)")
    }

    @Test func missingFileIsNotFound() throws {
        let server = try startServer()
        defer { server.stop() }
        let url = server.url + "/no-such-file.root"
        #expect {
            _ = try HTTPSource(url, token: nil, configuration: configuration(server))
        } throws: { error in
            (error as? KaonError)?.kind == .notFound && "\(error)" == "\(url): no such file on the server (HTTP 404 Not Found)"
        }
    }

    /// 5xx answers are retried, a bounded number of times, then reported with their status.
    @Test func unavailableServerIsRetriedThenReported() throws {
        let server = try startServer()
        defer { server.stop() }
        let url = server.url + "/unavailable/uproot-HZZ-lzma.root"
        #expect {
            _ = try HTTPSource(url, token: nil, configuration: configuration(server, attempts: 3))
        } throws: { error in
            "\(error)" == "\(url): unexpected answer HTTP 503 Service Temporarily Unavailable"
        }
        // nginx logs a request just after answering it: give the last line a moment.
        for _ in 0..<40 where server.requests.filter({ $0.contains(" 503 ") }).count < 3 { usleep(50_000) }
        #expect(server.requests.filter { $0.contains(" 503 ") }.count == 3, "\(server.requests)")
    }

    /// nginx killed while a 600 kB range trickles in at 16 kB/s: the transfer breaks, the
    /// retries find no server, and the read ends in an error naming the URL.
    @Test func serverKilledMidReadIsAClearError() throws {
        let server = try startServer()
        defer { server.stop() }
        let url = server.url + "/slow/root-6.40-adl-2000-zstd.root"
        let source = try HTTPSource(url, token: nil, configuration: configuration(server, attempts: 3))
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { server.kill() }
        let started = Date()
        #expect {
            _ = try source.read([0..<600_000])
        } throws: { error in
            let message = "\(error)"
            return (error as? KaonError)?.kind == .system && message.hasPrefix("\(url): HTTP request failed: ")
                && message.hasSuffix("(3 attempts)")
        }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func davsIsHTTPS() throws {
        let server = try startServer()
        defer { server.stop() }
        let name = "uproot-HZZ-lzma.root"
        let url = server.url.replacingOccurrences(of: "https://", with: "davs://") + "/" + name
        let source = try HTTPSource(url, token: nil, configuration: configuration(server))
        #expect(source.name == url)
        #expect(try source.read(0..<source.size) == LocalFileSource(path: sharedData + "/root/" + name).read(0..<source.size))
    }
}
