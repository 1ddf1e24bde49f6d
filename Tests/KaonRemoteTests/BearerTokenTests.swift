import Foundation
import KaonTestSupport
import Testing

@testable import KaonRemote

/// WLCG bearer token discovery order, and a token's text staying out of anything printed.
@Suite struct BearerTokenTests {
    /// Discovery with the given variables and a fresh directory standing in for
    /// XDG_RUNTIME_DIR; uid 4000000 + n keeps `/tmp/bt_u<uid>` out of the way of real tokens.
    private func discover(_ variables: [String: String], uid: UInt32) -> String? {
        BearerToken.discover(environment: { variables[$0] }, userID: uid)?.value
    }

    @Test func discoveryOrder() throws {
        let runtime = temporaryPath("bt-runtime")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let uid: UInt32 = 4_000_000 + UInt32(getpid() % 100_000)
        let tokenFile = runtime + "/token"
        try "  from-file\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try "from-runtime\n".write(toFile: "\(runtime)/bt_u\(uid)", atomically: true, encoding: .utf8)
        let tmpFile = "/tmp/bt_u\(uid)"
        try "from-tmp".write(toFile: tmpFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tmpFile) }

        let all = ["BEARER_TOKEN": " from-variable ", "BEARER_TOKEN_FILE": tokenFile, "XDG_RUNTIME_DIR": runtime]
        #expect(discover(all, uid: uid) == "from-variable")
        #expect(discover(all.merging(["BEARER_TOKEN": " \n"]) { $1 }, uid: uid) == "from-file")
        #expect(discover(["BEARER_TOKEN_FILE": tokenFile, "XDG_RUNTIME_DIR": runtime], uid: uid) == "from-file")
        #expect(discover(["BEARER_TOKEN_FILE": runtime + "/missing", "XDG_RUNTIME_DIR": runtime], uid: uid) == "from-runtime")
        #expect(discover(["XDG_RUNTIME_DIR": runtime + "/missing"], uid: uid) == "from-tmp")
        try FileManager.default.removeItem(atPath: tmpFile)
        #expect(discover([:], uid: uid) == nil)
    }

    @Test func textNeverPrinted() throws {
        let token = try #require(BearerToken("eyJhbGciOiJSUzI1NiJ9.secret-payload.signature"))
        var dumped = ""
        dump(token, to: &dumped)
        for shown in ["\(token)", String(describing: token), String(reflecting: token), dumped, "\([token])"] {
            #expect(!shown.contains("secret-payload"), "\(shown)")
        }
    }
}
