import ArgumentParser
import Foundation
import KaonIO
import KaonTreeEnsembles

/// `kaon predict MODEL.json [ROWS.json]`: an XGBoost model's summary or its predictions.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Describe an XGBoost JSON model, or evaluate it on a batch of feature rows.",
        discussion: """
        MODEL is a gradient-boosted tree model saved by XGBoost as JSON (booster gbtree; \
        objective binary:logistic, reg:logistic, binary:logitraw or reg:squarederror). \
        Without ROWS, prints the objective, the number of features and trees and the base \
        margin.

        ROWS is a JSON array of rows, each an array of the model's features in order; NaN \
        or null is a missing value, which follows each split's default direction. Features \
        are compared in float32, as XGBoost does. Prints a JSON array with one prediction \
        per row (a probability for logistic objectives; the raw margin with --margin).

        Examples:
          kaon predict model_even.json
          kaon predict model_even.json features.json
        """
    )

    @Argument(help: "The XGBoost model (.json).")
    var model: String

    @Argument(help: "A JSON array of feature rows to evaluate.")
    var rows: String?

    @Flag(name: .long, help: "Print the summed margin instead of the transformed prediction.")
    var margin = false

    func run() throws {
        let ensemble = try TreeEnsemble(path: model)
        guard let rows else {
            print("objective \(ensemble.objectiveName)\nfeatures \(ensemble.featureCount)\ntrees \(ensemble.treeCount)\nbase margin \(ensemble.baseMargin)")
            return
        }
        guard let data = FileManager.default.contents(atPath: rows) else { throw KaonError(.system, "cannot read the file", file: rows) }
        let json = try withContext(file: rows) { try JSONValue.parse(String(decoding: data, as: UTF8.self)) }
        guard let items = json.array else { throw KaonError(.usage, "expected a JSON array of rows", file: rows) }
        var columns = [[Double]](repeating: [], count: ensemble.featureCount)
        for (r, item) in items.enumerated() {
            guard let values = item.array, values.count == ensemble.featureCount else {
                throw KaonError(.usage, "row \(r) is not an array of \(ensemble.featureCount) features", file: rows)
            }
            for (f, value) in values.enumerated() {
                if value == .null { columns[f].append(.nan); continue }
                guard let x = value.number else { throw KaonError(.usage, "row \(r) feature \(f) is \(value.text), not a number", file: rows) }
                columns[f].append(x)
            }
        }
        let predictions = try withContext(file: model) { try ensemble.predict(columns: columns, margin: margin) }
        print(JSONValue.array(predictions.map(JSONValue.number)).text)
    }
}
