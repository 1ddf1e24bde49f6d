import Foundation
import KaonIO

/// A gradient-boosted tree ensemble read from XGBoost's JSON model format (`gbtree` booster),
/// predicting as XGBoost does: features and thresholds in float32, a missing (NaN) feature
/// following its node's default direction, leaf values summed in float32 onto the base margin,
/// then the objective's transformation.
///
/// ```swift
/// let model = try TreeEnsemble(path: "model_even.json")
/// let scores = model.predict(columns: features)   // one array per feature
/// ```
public struct TreeEnsemble: Sendable {
    /// How a summed margin becomes a prediction.
    public enum Objective: String, Sendable {
        /// `binary:logistic` / `reg:logistic`: the logistic function of the margin.
        case logistic
        /// `binary:logitraw`: the margin itself.
        case logitRaw
        /// `reg:squarederror` (formerly `reg:linear`): the margin itself.
        case squaredError
    }

    /// One node of all trees, stored flat; a leaf has `left == -1` and its value in `value`.
    struct Node: Sendable {
        var feature: Int32
        var value: Float
        var left: Int32
        var right: Int32
        var defaultLeft: Bool
    }

    public let objective: Objective
    /// The XGBoost objective name the model was trained with (`binary:logistic`, …).
    public let objectiveName: String
    /// The number of features a row must have.
    public let featureCount: Int
    /// The feature names saved with the model (often empty).
    public let featureNames: [String]
    /// The margin every prediction starts from (base_score, on the margin scale).
    public let baseMargin: Float
    public var treeCount: Int { roots.count }

    let nodes: [Node]
    let roots: [Int32]

    /// Reads a model file saved with `save_model("….json")`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.system, "cannot read the file", file: path) }
        try self = withContext(file: path) { try TreeEnsemble(text: String(decoding: data, as: UTF8.self)) }
    }

    /// Parses the JSON text of an XGBoost model.
    public init(text: String) throws {
        let learner = try JSONValue.parse(text)["learner"]
        guard let learner else { throw KaonError(.malformed, "no \"learner\": not an XGBoost JSON model") }
        let booster = learner["gradient_booster"]
        guard booster?["name"]?.string == "gbtree" else {
            throw KaonError(.unsupported, "booster '\(booster?["name"]?.string ?? "null")' (only gbtree is evaluated)")
        }
        objectiveName = learner["objective"]?["name"]?.string ?? ""
        switch objectiveName {
        case "binary:logistic", "reg:logistic": objective = .logistic
        case "binary:logitraw": objective = .logitRaw
        case "reg:squarederror", "reg:linear": objective = .squaredError
        default: throw KaonError(.unsupported, "objective '\(objectiveName)' (binary:logistic, reg:logistic, binary:logitraw and reg:squarederror are)")
        }
        let parameters = learner["learner_model_param"]
        guard let features = parameters?["num_feature"]?.string.flatMap({ Int($0) }) else {
            throw KaonError(.malformed, "learner_model_param has no num_feature")
        }
        featureCount = features
        if let classes = parameters?["num_class"]?.string.flatMap({ Int($0) }), classes > 1 {
            throw KaonError(.unsupported, "a \(classes)-class model (only single-output models are evaluated)")
        }
        // XGBoost 1.x writes "5E-1"; 2.x and later a one-element list, "[5E-1]".
        let baseText = (parameters?["base_score"]?.string ?? "0.5").trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        guard let baseScore = Float(baseText) else { throw KaonError(.malformed, "base_score '\(baseText)' is not a number") }
        // base_score is saved as a probability for logistic objectives; the margin is its logit.
        baseMargin = objective == .logistic ? log(baseScore / (1 - baseScore)) : baseScore
        featureNames = learner["feature_names"]?.array?.compactMap(\.string) ?? []

        var nodes: [Node] = []
        var roots: [Int32] = []
        let trees = booster?["model"]?["trees"]?.array ?? []
        for (t, tree) in trees.enumerated() {
            let first = Int32(nodes.count)
            roots.append(first)
            try withContext(object: "tree \(t)") { try Self.append(tree, features: features, offset: first, to: &nodes) }
        }
        guard !roots.isEmpty else { throw KaonError(.malformed, "the model has no trees") }
        self.nodes = nodes
        self.roots = roots
    }

    static func append(_ tree: JSONValue, features: Int, offset: Int32, to nodes: inout [Node]) throws {
        func integers(_ key: String) throws -> [Int64] {
            guard let items = tree[key]?.array else { throw KaonError(.malformed, "no \(key)") }
            return try items.map { guard let n = $0.integer else { throw KaonError(.malformed, "\(key) holds \($0.text)") }; return n }
        }
        let left = try integers("left_children"), right = try integers("right_children")
        let splitFeatures = try integers("split_indices"), defaultLeft = try integers("default_left")
        guard let conditions = tree["split_conditions"]?.array else { throw KaonError(.malformed, "no split_conditions") }
        let count = left.count
        guard count > 0, [right.count, splitFeatures.count, defaultLeft.count, conditions.count].allSatisfy({ $0 == count }) else {
            throw KaonError(.malformed, "node arrays of different lengths")
        }
        if let types = tree["split_type"]?.array, types.contains(where: { $0.integer != 0 }) {
            throw KaonError(.unsupported, "categorical splits")
        }
        for i in 0..<count {
            guard let value = conditions[i].number else { throw KaonError(.malformed, "split_conditions[\(i)] is not a number") }
            let isLeaf = left[i] == -1
            if !isLeaf {
                guard (0..<Int64(count)).contains(left[i]), (0..<Int64(count)).contains(right[i]), left[i] > i, right[i] > i else {
                    throw KaonError(.malformed, "node \(i) has children \(left[i]), \(right[i]) outside the tree or before it")
                }
                guard (0..<Int64(features)).contains(splitFeatures[i]) else {
                    throw KaonError(.malformed, "node \(i) splits on feature \(splitFeatures[i]) of \(features)")
                }
            }
            nodes.append(Node(feature: Int32(splitFeatures[i]), value: Float(value),
                              left: isLeaf ? -1 : offset + Int32(left[i]), right: isLeaf ? -1 : offset + Int32(right[i]),
                              defaultLeft: defaultLeft[i] != 0))
        }
    }

    /// The leaf a row reaches in the tree starting at `root`; `feature(i)` gives feature i as float32.
    @inline(__always)
    func leaf(from root: Int32, _ feature: (Int) -> Float) -> Float {
        var index = Int(root)
        while true {
            let node = nodes[index]
            if node.left < 0 { return node.value }
            let x = feature(Int(node.feature))
            // XGBoost: NaN is missing and takes the default branch; otherwise x < threshold goes left.
            let goLeft = x.isNaN ? node.defaultLeft : x < node.value
            index = Int(goLeft ? node.left : node.right)
        }
    }

    func transform(_ margin: Float) -> Float {
        switch objective {
        case .logistic: 1 / (1 + exp(-margin))
        case .logitRaw, .squaredError: margin
        }
    }

    /// The summed margin (before the objective's transformation) for one row.
    func margin(_ feature: (Int) -> Float) -> Float {
        var sum = baseMargin
        for root in roots { sum += leaf(from: root, feature) }
        return sum
    }

    /// The prediction for one row of ``featureCount`` features (NaN for missing).
    public func predict(_ row: [Double]) throws -> Double {
        guard row.count == featureCount else {
            throw KaonError(.usage, "the model takes \(featureCount) features, the row has \(row.count)")
        }
        return Double(transform(margin { Float(row[$0]) }))
    }

    /// Predictions for every row of the columns (one array per feature, in the model's order,
    /// all of the same length); `margin` skips the objective's transformation.
    public func predict(columns: [[Double]], margin returnMargin: Bool = false) throws -> [Double] {
        guard columns.count == featureCount else {
            throw KaonError(.usage, "the model takes \(featureCount) feature columns, got \(columns.count)")
        }
        let rows = columns.first?.count ?? 0
        for (i, column) in columns.enumerated() where column.count != rows {
            throw KaonError(.usage, "feature column \(i) has \(column.count) rows, column 0 has \(rows)")
        }
        var results = [Double](repeating: 0, count: rows)
        // float32 features once, row-major, so that each row's tree walks read one short run of memory.
        var row = [Float](repeating: 0, count: featureCount)
        for r in 0..<rows {
            for f in 0..<featureCount { row[f] = Float(columns[f][r]) }
            let sum = row.withUnsafeBufferPointer { features in margin { features[$0] } }
            results[r] = Double(returnMargin ? sum : transform(sum))
        }
        return results
    }
}
