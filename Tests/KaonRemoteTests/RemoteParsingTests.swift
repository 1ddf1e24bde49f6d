import KaonIO
import KaonTestSupport
import Testing

@testable import KaonRemote

/// The pieces of HTTP and URL syntax KaonRemote parses itself, and which source a location opens.
@Suite struct RemoteParsingTests {
    @Test func contentRangeForms() {
        #expect(ContentRange("bytes 0-0/12345") == ContentRange(range: 0..<1, total: 12345))
        #expect(ContentRange("bytes 100-199/*")?.range == 100..<200)
        #expect(ContentRange("bytes 100-199/*")?.total == nil)
        #expect(ContentRange("bytes */0") == ContentRange(range: nil, total: 0))
        #expect(ContentRange("bytes 5-4/10") == nil)
        #expect(ContentRange("items 0-1/2") == nil)
    }

    /// A part's payload that contains the boundary text must not split it: parts are cut by
    /// their Content-Range lengths.
    @Test func multipartPartsAreCutByLengthNotByBoundary() throws {
        let boundary = "00000000000000000001"
        let first = Array("ab\r\n--\(boundary)\r\ncd".utf8)
        let second: [UInt8] = [0, 255, 13, 10, 45, 45]
        var body = Array("\r\n--\(boundary)\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 10-\(9 + first.count)/1000\r\n\r\n".utf8)
        body += first
        body += Array("\r\n--\(boundary)\r\nContent-Range: bytes 500-505/1000\r\n\r\n".utf8)
        body += second
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let parts = try MultipartByteRanges(body: body, boundary: boundary).parts
        #expect(parts.map(\.range) == [10..<(10 + first.count), 500..<506])
        #expect(Array(parts[0].bytes) == first)
        #expect(Array(parts[1].bytes) == second)
    }

    @Test func multipartTruncatedPartIsAnError() {
        let body = Array("--b\r\nContent-Range: bytes 0-99/1000\r\n\r\nshort".utf8)
        #expect(throws: KaonError.self) { try MultipartByteRanges(body: body, boundary: "b") }
    }

    @Test func multipartBoundaryFromContentType() {
        #expect(MultipartByteRanges.boundary(ofContentType: "multipart/byteranges; boundary=00001") == "00001")
        #expect(MultipartByteRanges.boundary(ofContentType: "Multipart/ByteRanges;boundary=\"a b\"") == "a b")
        #expect(MultipartByteRanges.boundary(ofContentType: "application/octet-stream") == nil)
    }

    @Test func overlappingAndTouchingRangesMerge() {
        #expect(HTTPSource.spans(covering: [50..<60, 0..<10, 5..<20, 20..<30, 40..<45]) == [0..<30, 40..<45, 50..<60])
    }

    @Test func urlSchemesAndRedaction() throws {
        let url = try #require(RemoteURL("davs://user:secret@eos.example.org:8443/store/f.root?authz=XYZ"))
        #expect(url.transport == .http)
        #expect(url.isSecure)
        #expect(url.authority == "user:secret@eos.example.org:8443")
        #expect(url.transportURL == "https://user:secret@eos.example.org:8443/store/f.root?authz=XYZ")
        #expect(url.redacted == "davs://…@eos.example.org:8443/store/f.root?…")
        #expect(RemoteURL("root://eospublic.cern.ch//eos/f.root")?.transport == .xrootd)
        #expect(RemoteURL("data/run:1.root") == nil)
        #expect(RemoteURL("/tmp/file.root") == nil)
    }

    @Test func localPathsOpenLocally() throws {
        #expect(try openSource(sharedData + "/root/uproot-HZZ.root") is LocalFileSource)
        #expect {
            _ = try openSource("/no/such/dir/run:1.root")
        } throws: { error in
            (error as? KaonError)?.kind == .system && "\(error)".hasPrefix("/no/such/dir/run:1.root: cannot open")
        }
    }
}
