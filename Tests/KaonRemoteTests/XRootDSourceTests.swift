import Foundation
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

@testable import KaonRemote

/// ``XRootDSource`` against a real xrootd on loopback (crosschecks/peers/remote_servers.py, running
/// as nobody), compared byte for byte and column for column with the same files read locally.
@Suite(.serialized) struct XRootDSourceTests {
    static let files = [
        "nanoAOD_2015_CMS_Open_Data_ttbar.root", "root-6.40-adl-2000-lz4.root", "uproot-HZZ-zlib.root",
        "uproot-small-dy-withoffsets.root", "uproot-sample-6.20.04-lzma.root",
    ]

    init() {
        // Give up on a dead server after one connection attempt and a short wait, instead of
        // XrdCl's minutes-long defaults.
        for (name, value) in [("ConnectionRetry", 1), ("ConnectionWindow", 2), ("RequestTimeout", 20), ("StreamErrorWindow", 0)] {
            XRootDSource.setClientOption(name, value)
        }
    }

    private func startServer() throws -> RemoteTestServer {
        try RemoteTestServer.xrootd(files: Self.files.map { sharedData + "/root/" + $0 })
    }

    @Test func everyBranchEqualsTheLocalRead() throws {
        let server = try startServer()
        defer { server.stop() }
        for name in Self.files {
            let local = try ROOTFile(path: sharedData + "/root/" + name)
            let url = server.url + "/" + name
            // Through openSource, as every path-taking API opens it.
            let remote = try ROOTFile(path: url)
            #expect(remote.source is XRootDSource)
            #expect(remote.source.size == local.source.size, "\(name)")
            #expect(try remote.source.read(0..<remote.source.size) == local.source.read(0..<local.source.size), "\(name): whole file")
            for (remoteTree, readable) in try expectTreesReadAlike(remote: remote, local: local, name: name) {
                // Several threads share the one open file.
                let columns = try remoteTree.read(readable, threads: 4)
                #expect(columns.count == readable.count)
            }
        }
    }

    /// Scattered, overlapping, empty and readv-element-sized ranges in one vectored read.
    @Test func vectoredReadEqualsLocal() throws {
        let server = try startServer()
        defer { server.stop() }
        let name = "root-6.40-adl-2000-lz4.root"
        let local = try LocalFileSource(path: sharedData + "/root/" + name)
        let source = try XRootDSource(server.url + "/" + name)
        let ranges = [700_000..<local.size, 10..<20, 15..<30, 123..<123, 0..<local.size, 5000..<9000]
        #expect(try source.read(ranges) == local.read(ranges))
        #expect(throws: KaonError.self) { try source.read([0..<(local.size + 1)]) }
    }

    @Test func missingFileNamesTheURL() throws {
        let server = try startServer()
        defer { server.stop() }
        let url = server.url + "/no-such-file.root"
        #expect {
            _ = try XRootDSource(url)
        } throws: { error in
            let message = "\(error)"
            return (error as? KaonError)?.kind == .system && message.hasPrefix("\(url): XRootD: ") && message.lowercased().contains("no such file")
        }
    }

    @Test func serverKilledBeforeReadIsAClearError() throws {
        let server = try startServer()
        defer { server.stop() }
        let url = server.url + "/uproot-HZZ-zlib.root"
        // Nothing read ahead: the opening read would hold this whole small file.
        let source = try XRootDSource(url, opening: .nothing)
        _ = try source.read(0..<100)
        server.kill()
        let started = Date()
        #expect {
            _ = try source.read([1000..<2000, 50_000..<60_000])
        } throws: { error in
            (error as? KaonError)?.kind == .system && "\(error)".hasPrefix("\(url): XRootD: ")
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }
}
