import KaonIO

/// One correction of a ``CorrectionSet``: named, typed inputs and a real output, evaluated one
/// event at a time (``evaluate(_:)``) or over columns (``evaluate(columns:)``).
///
/// A plain correction's node tree is compiled once when the file is loaded; a compound
/// correction (schema v2 `compound_corrections`) evaluates a stack of plain ones, updating
/// chosen inputs with each result. Inputs are checked before anything is evaluated: their
/// count, each one's type, and every column's length; an error names the correction and input.
public struct Correction: Sendable {
    public let name: String
    public let description: String
    /// The `version` of a plain correction (compound corrections have none: 0).
    public let version: Int
    public let inputs: [CorrectionVariable]
    public let output: CorrectionVariable
    /// Whether this is one of the set's `compound_corrections`.
    public var isCompound: Bool { compound != nil }

    let program: CorrectionProgram
    /// Per string input (by index): the codes of the strings its categories name.
    let stringCodes: [[String: Int64]]
    let compound: CompoundStack?

    /// A compound correction's stack: each member with the positions of its inputs among the
    /// compound's, and how results update inputs and combine into the output.
    struct CompoundStack: Sendable {
        enum Operation: String, Sendable { case add = "+", multiply = "*", divide = "/", last }
        var members: [(correction: Correction, inputMap: [Int])]
        var updatedInputs: [Int]
        var inputOperation: Operation
        var outputOperation: Operation

        func evaluators() -> [CorrectionEvaluator] {
            members.map { CorrectionEvaluator(program: $0.correction.program, correction: $0.correction.name, inputs: $0.correction.inputs) }
        }
    }

    init(name: String, description: String, version: Int, inputs: [CorrectionVariable], output: CorrectionVariable,
         program: CorrectionProgram, stringCodes: [[String: Int64]], compound: CompoundStack?) {
        self.name = name
        self.description = description
        self.version = version
        self.inputs = inputs
        self.output = output
        self.program = program
        self.stringCodes = stringCodes
        self.compound = compound
    }

    func failure(_ what: String) -> KaonError {
        KaonError(.usage, what, object: "correction '\(name)'")
    }

    /// Checks that `types` match the declared inputs in number and type.
    func check(_ types: [CorrectionVariable.ValueType]) throws(KaonError) {
        guard types.count == inputs.count else {
            throw failure("takes \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))), got \(types.count)")
        }
        for (input, type) in zip(inputs, types) where input.type != type {
            throw failure("input '\(input.name)' is \(input.type.rawValue), got a \(type.rawValue) value")
        }
    }

    /// The correction's value for one event; `values` are in the order of ``inputs``.
    public func evaluate(_ values: [CorrectionValue]) throws(KaonError) -> Double {
        try check(values.map(\.type))
        if let compound {
            var evaluators = compound.evaluators()
            return try evaluateCompound(compound, values, evaluators: &evaluators)
        }
        var evaluator = CorrectionEvaluator(program: program, correction: name, inputs: inputs)
        load(values, into: &evaluator)
        return try evaluator.evaluate()
    }

    /// The correction's value for every row of the columns (one per input, in the order of
    /// ``inputs``, all of the same length).
    public func evaluate(columns: [CorrectionColumn]) throws(KaonError) -> [Double] {
        try check(columns.map(\.type))
        let count = columns.first?.count ?? 1
        for (input, column) in zip(inputs, columns) where column.count != count {
            throw failure("column '\(input.name)' has \(column.count) rows, the first has \(count)")
        }
        if let compound {
            var results: [Double] = []
            results.reserveCapacity(count)
            var evaluators = compound.evaluators()
            for row in 0..<count {
                let values = columns.map { column -> CorrectionValue in
                    switch column {
                    case .real(let v): .real(v[row])
                    case .int(let v): .int(v[row])
                    case .string(let v): .string(v[row])
                    }
                }
                results.append(try evaluateCompound(compound, values, evaluators: &evaluators))
            }
            return results
        }
        var evaluator = CorrectionEvaluator(program: program, correction: name, inputs: inputs)
        // Columns sorted by kind once, before the loop, so that the loop reads plain arrays
        // (string columns as codes) without unpacking an enum per event.
        var realColumns: [[Double]] = [], realSlots: [Int] = []
        var intColumns: [[Int64]] = [], intSlots: [Int] = []
        var stringColumns: [[String]] = [], stringSlots: [Int] = []
        for (i, column) in columns.enumerated() {
            switch column {
            case .real(let values):
                realColumns.append(values); realSlots.append(i)
            case .int(let values):
                intColumns.append(values); intSlots.append(i)
                realColumns.append(values.map(Double.init)); realSlots.append(i)
            case .string(let values):
                intColumns.append(Self.codes(of: values, in: stringCodes[i])); intSlots.append(i)
                stringColumns.append(values); stringSlots.append(i)
            }
        }
        var results = [Double](repeating: 0, count: count)
        for row in 0..<count {
            for j in realColumns.indices { evaluator.reals[realSlots[j]] = realColumns[j][row] }
            for j in intColumns.indices { evaluator.ints[intSlots[j]] = intColumns[j][row] }
            do {
                results[row] = try evaluator.evaluate()
            } catch {
                // Only an error message needs the strings themselves.
                for j in stringColumns.indices { evaluator.strings[stringSlots[j]] = stringColumns[j][row] }
                results[row] = try evaluator.evaluate()
            }
        }
        return results
    }

    /// The codes of a string column (-1 for a string no category names). A run of equal strings
    /// (a systematic's name repeated down a column, the usual case) is looked up once.
    static func codes(of strings: [String], in table: [String: Int64]) -> [Int64] {
        var codes = [Int64](repeating: -1, count: strings.count)
        var previous: String?
        var previousCode: Int64 = -1
        for (row, string) in strings.enumerated() {
            if string != previous {
                previous = string
                previousCode = table[string] ?? -1
            }
            codes[row] = previousCode
        }
        return codes
    }

    func load(_ values: [CorrectionValue], into evaluator: inout CorrectionEvaluator) {
        for (i, value) in values.enumerated() {
            switch value {
            case .real(let x): evaluator.reals[i] = x
            case .int(let n): evaluator.ints[i] = n; evaluator.reals[i] = Double(n)
            case .string(let s): evaluator.ints[i] = stringCodes[i][s] ?? -1; evaluator.strings[i] = s
            }
        }
    }

    /// One event through a compound stack, as correctionlib's CompoundCorrection::evaluate.
    /// (Compound corrections are rare and small: they copy the row's values, unlike the column loop above.)
    func evaluateCompound(_ stack: CompoundStack, _ values: [CorrectionValue],
                          evaluators: inout [CorrectionEvaluator]) throws(KaonError) -> Double {
        var current = values
        var output = 0.0
        for (k, (member, inputMap)) in stack.members.enumerated() {
            member.load(inputMap.map { current[$0] }, into: &evaluators[k])
            let result = try evaluators[k].evaluate()
            for position in stack.updatedInputs {
                guard case .real(let x) = current[position] else { continue }
                switch stack.inputOperation {
                case .add: current[position] = .real(x + result)
                case .multiply: current[position] = .real(x * result)
                case .divide: current[position] = .real(x / result)
                case .last: break
                }
            }
            if k == 0 {
                output = result
            } else {
                switch stack.outputOperation {
                case .add: output += result
                case .multiply: output *= result
                case .divide: output /= result
                case .last: output = result
                }
            }
        }
        return output
    }
}
