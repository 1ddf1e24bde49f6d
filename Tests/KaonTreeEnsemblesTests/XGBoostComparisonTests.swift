import Foundation
import KaonTestSupport
import KaonTreeEnsembles
import Testing

/// The Swift API on the AGC's jet-assignment BDTs against XGBoost's predictions (peers' venv);
/// crosschecks/peers/test_tree_ensembles.py covers edge cases through `kaon predict`.
@Suite struct XGBoostComparisonTests {
    static let model = sharedData + "/agc/models/model_odd.json"

    @Test func columnsAndRowsMatchXGBoost() throws {
        let ensemble = try TreeEnsemble(path: Self.model)
        #expect(ensemble.featureCount == 20 && ensemble.treeCount == 251 && ensemble.objective == .logistic)
        var random = SplitMix64(state: 7)
        let scales: [Double] = [0.0, 1.0, 0.5, 2.0, 80.0, 200.0]
        var rows: [[Double]] = []
        for r in 0..<200 {
            var row: [Double] = []
            for f in 0..<20 {
                let missing = r % 4 == 1 && f % 3 == 0
                row.append(missing ? Double.nan : scales[f % 6] * 2 * random.uniform())
            }
            rows.append(row)
        }
        let columns = (0..<20).map { f in rows.map { $0[f] } }
        let predictions = try ensemble.predict(columns: columns)
        let code = """
        import sys, json, numpy, xgboost
        rows = numpy.array(json.loads(sys.argv[2]))
        for p in xgboost.Booster(model_file=sys.argv[1]).predict(xgboost.DMatrix(rows, missing=numpy.nan)): print(repr(float(p)))
        """
        let rowTexts: [String] = rows.map { row in
            let values: [String] = row.map { $0.isNaN ? "NaN" : "\($0)" }
            return "[" + values.joined(separator: ",") + "]"
        }
        let text = "[" + rowTexts.joined(separator: ",") + "]"
        let run = try Peers.run(code: code, Self.model, text)
        #expect(run.succeeded, "\(run.failureMessage)")
        let expected = run.output.split(separator: "\n").compactMap { Double(String($0)) }
        #expect(expected.count == rows.count)
        for r in 0..<min(predictions.count, expected.count) {
            let got = predictions[r], want = expected[r]
            #expect(Swift.abs(got - want) <= 1e-6, "row \(r): \(got) vs XGBoost \(want)")
            #expect(try ensemble.predict(rows[r]) == got)
        }
    }

    @Test func wrongShapesAreErrors() throws {
        let ensemble = try TreeEnsemble(path: Self.model)
        #expect(throws: (any Error).self) { try ensemble.predict([1, 2, 3]) }
        #expect(throws: (any Error).self) { try ensemble.predict(columns: [[1.0]]) }
        #expect(throws: (any Error).self) { try TreeEnsemble(text: #"{"learner": {"gradient_booster": {"name": "gblinear"}}}"#) }
    }
}
