import Foundation
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

@testable import KaonRemote

/// The opening read (``OpeningRead``): a remote source reads a file's first and last bytes
/// when it opens, so that opening a ROOT file and its tree needs no further request when the
/// metadata sits there — as in files ROOT writes. Counted against nginx's access log and
/// XrdCl's requests; the bytes are checked against the local file, tree by tree.
@Suite(.serialized) struct OpeningReadTests {
    /// 829 kB, larger than the opening read: ROOT 6.40 wrote its tree metadata, streamers and
    /// keys list into the last 12 kB.
    static let large = "root-6.40-adl-2000-lz4.root"
    /// 184 kB, smaller than the opening read: read whole.
    static let small = "uproot-HZZ-lzma.root"
    static let opening = OpeningRead()

    private func configuration(_ server: RemoteTestServer) -> HTTPConfiguration {
        var configuration = HTTPConfiguration()
        configuration.certificateAuthorityFile = server.certificate
        return configuration
    }

    private func local(_ name: String) throws -> ROOTFile { try ROOTFile(path: sharedData + "/root/" + name) }

    @Test func httpsOpensFileAndTreeInOneRequest() throws {
        let server = try RemoteTestServer.https(files: [sharedData + "/root/" + Self.large], token: "unused")
        defer { server.stop() }
        let source = try HTTPSource(server.url + "/" + Self.large, token: nil, configuration: configuration(server))
        let file = try ROOTFile(source: source)
        _ = try Tree(file: file, path: "Events")
        #expect(source.requests == 1)
        let log = server.requests
        let head = Self.opening.headBytes, tail = Self.opening.tailBytes
        #expect(log.count == 1 && log[0].hasPrefix("GET /\(Self.large) 206 \"bytes=0-\(head - 1),-\(tail)\" "), "\(log)")
        // What was held is the file's: every branch equals the local read.
        let local = try local(Self.large)
        #expect(source.size == local.source.size)
        try expectTreesReadAlike(remote: file, local: local, name: Self.large)
        #expect(source.requests > 1)  // the baskets were not held
    }

    /// A file no larger than the opening read comes whole in the one request (nginx answers
    /// the overlapping ranges with the whole file): nothing else is ever asked for.
    @Test func httpsReadsASmallFileOnce() throws {
        let server = try RemoteTestServer.https(files: [sharedData + "/root/" + Self.small], token: "unused")
        defer { server.stop() }
        let source = try HTTPSource(server.url + "/" + Self.small, token: nil, configuration: configuration(server))
        let local = try local(Self.small)
        try expectTreesReadAlike(remote: ROOTFile(source: source), local: local, name: Self.small)
        #expect(try source.read(0..<source.size) == local.source.read(0..<local.source.size))
        #expect(source.requests == 1)
        #expect(server.requests.count == 1, "\(server.requests)")
    }

    /// A server that answers multi-range requests with the whole file (nginx `max_ranges 1`):
    /// the long answer is abandoned after its headers, the size and the head come from a
    /// single range, and reads still equal the local ones.
    @Test func httpsFallsBackWhenMultipleRangesAreRefused() throws {
        let server = try RemoteTestServer.https(files: [sharedData + "/root/" + Self.large], token: "unused")
        defer { server.stop() }
        let source = try HTTPSource(server.url + "/single/" + Self.large, token: nil, configuration: configuration(server))
        #expect(source.requests == 2)
        let log = server.requests
        #expect(log.count == 2 && log[0].contains(" 200 ") && log[1].contains(" 206 \"bytes=0-\(Self.opening.headBytes - 1)\" "), "\(log)")
        try expectTreesReadAlike(remote: ROOTFile(source: source), local: local(Self.large), name: Self.large)
    }

    /// Without an opening read, a file and its tree open in 4 requests: the size, the header
    /// with the top directory's record, the streamers with the keys list, the tree.
    @Test func httpsWithoutOpeningReadStillMergesTheOpeningsReads() throws {
        let server = try RemoteTestServer.https(files: [sharedData + "/root/" + Self.large], token: "unused")
        defer { server.stop() }
        var configuration = configuration(server)
        configuration.opening = .nothing
        let source = try HTTPSource(server.url + "/" + Self.large, token: nil, configuration: configuration)
        _ = try Tree(file: ROOTFile(source: source), path: "Events")
        #expect(source.requests == 4, "\(server.requests)")
    }

    /// Over XRootD: the open (its answer carries the size) and one readv, then nothing more
    /// to open the tree.
    @Test func xrootdOpensFileAndTreeInTwoRequests() throws {
        for (name, value) in [("ConnectionRetry", 1), ("ConnectionWindow", 2), ("RequestTimeout", 20)] {
            XRootDSource.setClientOption(name, value)
        }
        let server = try RemoteTestServer.xrootd(files: [sharedData + "/root/" + Self.large])
        defer { server.stop() }
        let source = try XRootDSource(server.url + "/" + Self.large)
        let file = try ROOTFile(source: source)
        _ = try Tree(file: file, path: "Events")
        #expect(source.statistics?.counts.requests == 2)
        #expect(source.statistics?.counts.roundTrips == 2)
        try expectTreesReadAlike(remote: file, local: local(Self.large), name: Self.large)
    }

    @Test func rangesCoverHeadAndTailOnce() {
        let opening = OpeningRead(headBytes: 100, tailBytes: 1000)
        #expect(opening.ranges(size: 5000) == [0..<100, 4000..<5000])
        #expect(opening.ranges(size: 700) == [0..<100, 100..<700])
        #expect(opening.ranges(size: 50) == [0..<50])
        #expect(opening.ranges(size: 0) == [])
        #expect(OpeningRead.nothing.ranges(size: 5000) == [])
    }
}
