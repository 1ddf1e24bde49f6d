import Foundation
import KaonIO
import KaonTestSupport
import Testing

@Suite("SHA-256 and Provenance")
struct ProvenanceTests {
    @Test("SHA-256 matches Python's hashlib on every length across the block boundaries", arguments: [testSeed(0x5A256)])
    func sha256MatchesHashlib(seed: UInt64) throws {
        var generator = SplitMix64(state: seed)
        // Lengths around 55/56/64 (one or two padding blocks) and several blocks long.
        let messages = (0..<200).map { length in (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        let hex = messages.map { $0.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        let run = try Peers.run(code: """
            import hashlib, sys
            for message in sys.argv[1].split(","):
                print(hashlib.sha256(bytes.fromhex(message)).hexdigest())
            """, hex.joined(separator: ","))
        #expect(run.succeeded, "\(run.failureMessage)")
        let expected = run.output.split(separator: "\n").map(String.init)
        #expect(expected.count == messages.count)
        for (message, digest) in zip(messages, expected) {
            #expect(SHA256.hexDigest(of: message) == digest, "length \(message.count)")
        }
        // Fed in pieces, the same digest.
        var pieces = SHA256()
        pieces.update(messages[150].prefix(70))
        pieces.update(messages[150].dropFirst(70))
        #expect(pieces.hexDigest() == expected[150])
    }

    @Test("a record reads back from its JSON form, and a tampered digest is refused")
    func jsonRoundTrip() throws {
        var configuration = Provenance.Configuration()
        configuration.add("adl", Array("region all\n".utf8))
        configuration.add("files", Array("a.root\nb.root".utf8))
        let record = Provenance(inputs: [.init(path: "a.root", uuid: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", size: 4096, entries: 100),
                                         .init(path: "https://host/b.root", uuid: nil, size: 9, entries: 0)],
                                kaonVersion: "0.1.0", gitCommit: "abc123", analysis: "zmumu", configuration: configuration,
                                commandLine: ["kaon", "run", "z mumu.adl"], threads: 2)
        let text = record.json.text
        let back = try Provenance(json: JSONValue.parse(text), source: "test")
        #expect(back == record)
        #expect(back.date.count == 20 && back.date.hasSuffix("Z"))
        let tampered = text.replacingFirst(configuration.parts[0].sha256, with: String(repeating: "0", count: 64))
        #expect(throws: KaonError.self) { try Provenance(json: JSONValue.parse(tampered), source: "test") }
    }

    @Test("configurations name the parts that differ; merging keeps the union of inputs")
    func differencesAndMerge() {
        var a = Provenance.Configuration(), b = Provenance.Configuration()
        a.add("adl", [1]); a.add("samples", [2])
        b.add("adl", [1]); b.add("samples", [3]); b.add("tree", [4])
        #expect(a.differences(from: b) == ["samples", "tree"])
        #expect(a.differences(from: a).isEmpty)
        #expect(a.sha256 != b.sha256)
        let shared = Provenance.Input(path: "x.root", uuid: "u", size: 10, entries: 5)
        let first = Provenance(inputs: [shared], kaonVersion: "v", gitCommit: "c", analysis: "n", configuration: a,
                               commandLine: [], threads: 1, date: "d", host: "h")
        var second = first
        second.inputs = [shared, .init(path: "y.root", uuid: nil, size: 3, entries: 2)]
        let merged = first.merged(with: second)
        #expect(merged.inputs == [.init(path: "x.root", uuid: "u", size: 10, entries: 10), .init(path: "y.root", uuid: nil, size: 3, entries: 2)])
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
