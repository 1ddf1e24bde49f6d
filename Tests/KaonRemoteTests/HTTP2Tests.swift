import Foundation
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

@testable import KaonRemote

/// ``HTTPSource`` over HTTP/2: libcurl offers `h2` in the TLS handshake (ALPN) and nginx's
/// `http2` listener takes it; byte ranges and multi-range answers work as over HTTP/1.1.
/// nginx's log for that listener names each request's protocol.
@Suite(.serialized) struct HTTP2Tests {
    static let files = ["root-6.40-adl-2000-lz4.root", "nanoAOD_2015_CMS_Open_Data_ttbar.root"]

    @Test func everyBranchEqualsTheLocalReadOverHTTP2() throws {
        let server = try RemoteTestServer.https(files: Self.files.map { sharedData + "/root/" + $0 }, token: "unused")
        defer { server.stop() }
        let h2URL = try #require(server.h2URL)
        var configuration = HTTPConfiguration()
        configuration.certificateAuthorityFile = server.certificate
        for name in Self.files {
            let local = try ROOTFile(path: sharedData + "/root/" + name)
            let source = try HTTPSource(h2URL + "/" + name, token: nil, configuration: configuration)
            try expectTreesReadAlike(remote: ROOTFile(source: source), local: local, name: name)
            // A multi-range request of scattered ranges, answered as multipart/byteranges.
            let ranges = [20_000..<20_100, 200_000..<200_050, 100..<200]
            #expect(try source.read(ranges) == local.source.read(ranges), "\(name)")
        }
        let log = server.h2Requests
        #expect(!log.isEmpty && log.allSatisfy { $0.hasPrefix("HTTP/2.0 GET ") }, "\(log)")
        #expect(log.contains { $0.contains(" 206 \"bytes=") && $0.contains(",") }, "\(log)")
    }
}
