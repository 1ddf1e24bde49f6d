/// One declared input or the output of a correction: its name, type and description.
public struct CorrectionVariable: Sendable, Equatable {
    /// The three value types correctionlib's schema v2 allows.
    public enum ValueType: String, Sendable {
        case real, int, string
    }

    public var name: String
    public var type: ValueType
    public var description: String

    public init(name: String, type: ValueType, description: String = "") {
        self.name = name
        self.type = type
        self.description = description
    }
}

/// One input value for a single evaluation.
public enum CorrectionValue: Sendable, Equatable {
    case real(Double)
    case int(Int64)
    case string(String)

    var type: CorrectionVariable.ValueType {
        switch self {
        case .real: .real
        case .int: .int
        case .string: .string
        }
    }
}

/// One input as a column, for evaluating many events at once.
public enum CorrectionColumn: Sendable {
    case real([Double])
    case int([Int64])
    case string([String])

    var type: CorrectionVariable.ValueType {
        switch self {
        case .real: .real
        case .int: .int
        case .string: .string
        }
    }

    var count: Int {
        switch self {
        case .real(let values): values.count
        case .int(let values): values.count
        case .string(let values): values.count
        }
    }
}
