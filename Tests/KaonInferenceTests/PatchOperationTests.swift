import Foundation
import KaonInference
import KaonIO
import KaonTestSupport
import Testing

/// RFC 6902 `move` and `copy` (with `add`, `remove`, `test` around them) against the
/// `jsonpatch` package pyhf applies patches with.
@Suite struct PatchOperationTests {
    static let patch = #"""
    [{"op": "copy", "from": "/channels/0/samples/1", "path": "/channels/0/samples/-"},
     {"op": "replace", "path": "/channels/0/samples/2/name", "value": "bkg_copy"},
     {"op": "move", "from": "/channels/0/samples/0/modifiers/0", "path": "/channels/0/samples/2/modifiers/0"},
     {"op": "copy", "from": "/measurements/0/config/poi", "path": "/measurements/0/name"},
     {"op": "move", "from": "/observations/0/data", "path": "/observations/0/counts"},
     {"op": "move", "from": "/observations/0/counts", "path": "/observations/0/data"},
     {"op": "test", "path": "/channels/0/samples/2/modifiers/0/name", "value": "mu"}]
    """#

    @Test func moveAndCopyMatchJsonpatch() throws {
        let patched = try JSONPatch(text: Self.patch).apply(to: JSONValue.parse(PyhfComparisonTests.minimal))
        let dir = temporaryPath("patch-ops")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PyhfComparisonTests.minimal.write(toFile: dir + "/ws.json", atomically: true, encoding: .utf8)
        try Self.patch.write(toFile: dir + "/patch.json", atomically: true, encoding: .utf8)
        try patched.text.write(toFile: dir + "/kaon.json", atomically: true, encoding: .utf8)
        let run = try Peers.run(code: """
            import json, sys, jsonpatch
            d = sys.argv[1]
            ref = jsonpatch.apply_patch(json.load(open(d + "/ws.json")), json.load(open(d + "/patch.json")))
            kaon = json.load(open(d + "/kaon.json"))
            sys.exit(0 if kaon == ref else f"differ:\\nkaon {kaon}\\nref  {ref}")
            """, dir)
        #expect(run.succeeded, "\(run.failureMessage)")
    }

    @Test func moveIntoItselfAndMissingFromFail() throws {
        let doc = try JSONValue.parse(#"{"a": {"b": 1}}"#)
        #expect(throws: KaonError.self) { try JSONPatch(text: #"[{"op": "move", "from": "/a", "path": "/a/c"}]"#).apply(to: doc) }
        #expect(throws: KaonError.self) { try JSONPatch(text: #"[{"op": "copy", "from": "/x", "path": "/y"}]"#).apply(to: doc) }
        #expect(throws: KaonError.self) { try JSONPatch(text: #"[{"op": "copy", "path": "/y"}]"#) }
    }
}
