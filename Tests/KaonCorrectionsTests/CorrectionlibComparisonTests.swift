import Foundation
import KaonCorrections
import KaonIO
import KaonTestSupport
import Testing

/// The Swift API (scalar and column evaluation, errors) against Python correctionlib 2.9 run
/// in the peers' venv; crosschecks/peers/test_corrections.py covers every node type through
/// `kaon correction`.
@Suite struct CorrectionlibComparisonTests {
    static let agc = sharedData + "/agc/corrections.json"

    /// A small set with a formularef, a hashprng, an error flow and a string category.
    static let text = #"""
    {"schema_version": 2, "corrections": [
     {"name": "sf", "version": 3, "inputs": [{"name": "kind", "type": "string"}, {"name": "pt", "type": "real"},
       {"name": "event", "type": "int"}],
      "output": {"name": "w", "type": "real"},
      "generic_formulas": [{"nodetype": "formula", "expression": "[0] + [1]*log(x)", "parser": "TFormula", "variables": ["pt"]}],
      "data": {"nodetype": "category", "input": "kind", "content": [
        {"key": "fit", "value": {"nodetype": "binning", "input": "pt", "edges": [20.0, 50.0, 100.0, 500.0], "flow": "error",
          "content": [{"nodetype": "formularef", "index": 0, "parameters": [1.1, -0.01]},
                      {"nodetype": "formularef", "index": 0, "parameters": [0.9, 0.02]}, 1.25]}},
        {"key": "smear", "value": {"nodetype": "hashprng", "inputs": ["pt", "event"], "distribution": "normal"}}]}}]}
    """#

    /// correctionlib's values for the rows, printed one per line (`repr`, exact).
    static func peerValues(_ path: String, _ name: String, _ rows: [[String]]) throws -> [Double] {
        let code = """
        import sys, json, correctionlib
        c = correctionlib.CorrectionSet.from_file(sys.argv[1])[sys.argv[2]]
        for row in json.loads(sys.argv[3]): print(repr(c.evaluate(*row)))
        """
        let run = try Peers.run(code: code, path, name, "[" + rows.map { "[" + $0.joined(separator: ",") + "]" }.joined(separator: ",") + "]")
        #expect(run.succeeded, "\(run.failureMessage)")
        return run.output.split(separator: "\n").compactMap { Double(String($0)) }
    }

    @Test func columnsAndSingleValuesMatchCorrectionlib() throws {
        let path = temporaryPath("kaon-corrections", suffix: ".json")
        try Self.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let correction = try #require(try CorrectionSet(path: path)["sf"])
        var random = SplitMix64(state: 2026)
        var kinds: [String] = [], pts: [Double] = [], events: [Int64] = []
        for i in 0..<300 {
            kinds.append(i % 3 == 0 ? "smear" : "fit")
            pts.append(i % 5 == 0 ? [20, 50, 100, 499.5][i % 4] : 20 + 479 * random.uniform())
            events.append(Int64(i * 7919) - 1000)
        }
        let values = try correction.evaluate(columns: [.string(kinds), .real(pts), .int(events)])
        let rows = (0..<300).map { ["\"\(kinds[$0])\"", "\(pts[$0])", "\(events[$0])"] }
        let expected = try Self.peerValues(path, "sf", rows)
        #expect(expected.count == 300)
        for (i, (got, want)) in zip(values, expected).enumerated() {
            #expect(got == want, "row \(i): \(rows[i])")
            #expect(try correction.evaluate([.string(kinds[i]), .real(pts[i]), .int(events[i])]) == got)
        }
    }

    @Test func agcEventSystematicsMatchCorrectionlib() throws {
        let set = try CorrectionSet(path: Self.agc)
        let correction = try #require(set["event_systematics"])
        let rows: [(String, String, Double)] = [("scale_var", "up", 40), ("btag_var", "down", 73.25), ("btag_var_3", "up", 410),
                                                ("nominal", "up", 12), ("btag_var_1", "sideways", 50)]
        let values = try correction.evaluate(columns: [.string(rows.map(\.0)), .string(rows.map(\.1)), .real(rows.map(\.2))])
        let expected = try Self.peerValues(Self.agc, "event_systematics", rows.map { ["\"\($0.0)\"", "\"\($0.1)\"", "\($0.2)"] })
        #expect(values == expected)
    }

    @Test func errorsNameTheCorrectionAndInput() throws {
        let correction = try #require(try CorrectionSet(text: Self.text)["sf"])
        func message(_ body: () throws -> Double) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        let outOfRange = message { try correction.evaluate([.string("fit"), .real(600), .int(1)]) }
        #expect(outOfRange.contains("correction 'sf'") && outOfRange.contains("'pt'") && outOfRange.contains("above"))
        let unknownKey = message { try correction.evaluate([.string("other"), .real(60), .int(1)]) }
        #expect(unknownKey.contains("'kind'") && unknownKey.contains("\"other\""))
        let wrongType = message { try correction.evaluate([.string("fit"), .int(60), .int(1)]) }
        #expect(wrongType.contains("'pt' is real"))
        let wrongCount = message { try correction.evaluate([.string("fit")]) }
        #expect(wrongCount.contains("takes 3 inputs"))
        let shortColumn = message { try correction.evaluate(columns: [.string(["fit"]), .real([60, 70]), .int([1])]).first ?? 0 }
        #expect(shortColumn.contains("column 'pt' has 2 rows"))
    }
}
