import KaonIO

/// Compiles one correction's `data` (schema v2 content nodes) into a ``CorrectionProgram``,
/// checking each node as correctionlib does when it loads a file.
struct CorrectionCompiler {
    let inputs: [CorrectionVariable]
    var program = CorrectionProgram()
    /// Each string input's codes: the category keys seen for it, numbered from 0.
    var stringCodes: [String: [String: Int64]] = [:]
    /// Root nodes and highest parameter index of the `generic_formulas`.
    var genericFormulas: [(root: Int, highestParameter: Int)] = []

    init(inputs: [CorrectionVariable]) {
        self.inputs = inputs
    }

    static func failure(_ what: String) -> KaonError { KaonError(.malformed, what) }

    func inputIndex(_ name: String?, in node: String) throws(KaonError) -> Int {
        guard let name else { throw Self.failure("\(node) has no input name") }
        guard let index = inputs.firstIndex(where: { $0.name == name }) else {
            throw Self.failure("\(node) uses input '\(name)', which the correction does not declare")
        }
        return index
    }

    /// An input that must be numeric (real or int) for this node.
    func numericInput(_ name: String?, in node: String) throws(KaonError) -> Int {
        let index = try inputIndex(name, in: node)
        guard inputs[index].type != .string else {
            throw Self.failure("\(node) cannot use the string input '\(inputs[index].name)'")
        }
        return index
    }

    mutating func compileGenericFormulas(_ json: JSONValue?) throws(KaonError) {
        guard let items = json?.array else { return }
        for item in items {
            var parser = try formulaParser(item, boundParameters: nil)
            let root = try parse(&parser)
            genericFormulas.append((root, parser.highestParameter))
        }
    }

    func formulaParser(_ json: JSONValue, boundParameters: [Double]?) throws(KaonError) -> TFormulaParser {
        guard let expression = json["expression"]?.string else { throw Self.failure("formula has no expression") }
        guard json["parser"]?.string == "TFormula" else {
            throw Self.failure("formula parser '\(json["parser"]?.string ?? "")' is not supported (only TFormula is)")
        }
        var variables: [Int] = []
        for name in json["variables"]?.array ?? [] {
            let index = try inputIndex(name.string, in: "formula")
            guard inputs[index].type == .real else {
                throw Self.failure("formula variable '\(inputs[index].name)' must be a real input, not \(inputs[index].type.rawValue)")
            }
            variables.append(index)
        }
        return TFormulaParser(expression, variables: variables, boundParameters: boundParameters, nodes: [])
    }

    /// Parses a formula, appending its nodes to the program's. The node array moves into the
    /// parser and back rather than being copied, so files with thousands of formulas load in
    /// linear time.
    mutating func parse(_ parser: inout TFormulaParser) throws(KaonError) -> Int {
        swap(&parser.nodes, &program.formulaNodes)
        defer { swap(&parser.nodes, &program.formulaNodes) }
        return try parser.parse()
    }

    func numbers(_ json: JSONValue?, _ what: String) throws(KaonError) -> [Double] {
        guard let items = json?.array else { throw Self.failure("\(what) must be an array of numbers") }
        var values: [Double] = []
        for item in items {
            guard let value = item.number else { throw Self.failure("\(what) must be an array of numbers") }
            values.append(value)
        }
        return values
    }

    mutating func add(_ node: CorrectionProgram.Node) -> Int {
        program.nodes.append(node)
        return program.nodes.count - 1
    }

    /// Compiles a content node (a number or an object with `nodetype`) and returns its index.
    mutating func compile(_ json: JSONValue) throws(KaonError) -> Int {
        if let value = json.number { return add(.constant(value)) }
        guard let type = json["nodetype"]?.string else { throw Self.failure("content must be a number or a node with a nodetype") }
        switch type {
        case "binning": return try binning(json)
        case "multibinning": return try multibinning(json)
        case "category": return try category(json)
        case "formula":
            // An absent or null parameter list is empty.
            let parameters = (json["parameters"] ?? .null) == .null ? [] : try numbers(json["parameters"], "formula parameters")
            var parser = try formulaParser(json, boundParameters: parameters)
            return add(.formula(root: try parse(&parser), firstParameter: 0))
        case "formularef":
            guard let index = json["index"]?.integer, genericFormulas.indices.contains(Int(index)) else {
                throw Self.failure("formularef index \(json["index"]?.text ?? "null") is not one of the \(genericFormulas.count) generic_formulas")
            }
            let parameters = try numbers(json["parameters"], "formularef parameters")
            let generic = genericFormulas[Int(index)]
            guard generic.highestParameter < parameters.count else {
                throw Self.failure("formularef to generic formula \(index) gives \(parameters.count) parameters; it uses [\(generic.highestParameter)]")
            }
            let first = program.parameters.count
            program.parameters += parameters
            return add(.formula(root: generic.root, firstParameter: first))
        case "transform":
            let input = try numericInput(json["input"]?.string, in: "transform")
            guard let ruleJSON = json["rule"], let contentJSON = json["content"] else {
                throw Self.failure("transform needs a rule and a content")
            }
            let rule = try compile(ruleJSON)
            let content = try compile(contentJSON)
            return add(.transform(input: input, rule: rule, content: content))
        case "hashprng":
            var indices: [Int] = []
            for name in json["inputs"]?.array ?? [] {
                indices.append(try numericInput(name.string, in: "hashprng"))
            }
            let distribution: CorrectionProgram.Distribution
            switch json["distribution"]?.string {
            case "stdflat": distribution = .stdflat
            case "stdnormal": distribution = .stdnormal
            case "normal": distribution = .normal
            case let other: throw Self.failure("hashprng distribution '\(other ?? "null")' is not stdflat, stdnormal or normal")
            }
            let first = program.hashInputs.count
            program.hashInputs += indices
            return add(.hashprng(firstInput: first, inputCount: indices.count, distribution: distribution))
        default:
            throw Self.failure("unknown nodetype '\(type)'")
        }
    }

    /// The flow behaviour and, for a content flow, the compiled fallback node (else -1).
    mutating func flow(_ json: JSONValue?, in node: String) throws(KaonError) -> (CorrectionProgram.Flow, Int) {
        guard let json else { throw Self.failure("\(node) has no flow") }
        switch json.string {
        case "clamp": return (.clamp, -1)
        case "error": return (.error, -1)
        case "wrap": return (.wrap, -1)
        case .some(let other): throw Self.failure("\(node) flow '\(other)' is not clamp, error, wrap or a content node")
        case nil: return (.value, try compile(json))
        }
    }

    /// An axis from `edges` (an array, possibly with "inf"/"-inf", or {n, low, high}).
    mutating func axis(_ json: JSONValue?, input: Int, in node: String) throws(KaonError) -> CorrectionProgram.Axis {
        if let items = json?.array {
            var edges: [Double] = []
            for item in items {
                let edge: Double
                switch item.string {
                case "inf", "+inf": edge = .infinity
                case "-inf": edge = -.infinity
                case .some(let other): throw Self.failure("\(node) edge '\(other)' is not a number")
                case nil:
                    guard let value = item.number else { throw Self.failure("\(node) edges must be numbers") }
                    edge = value
                }
                if let last = edges.last, last >= edge { throw Self.failure("\(node) edges are not increasing") }
                edges.append(edge)
            }
            guard edges.count >= 2 else { throw Self.failure("\(node) needs at least two edges") }
            let first = program.edges.count
            program.edges += edges
            return .init(input: input, uniform: false, bins: edges.count - 1, low: edges[0], high: edges[edges.count - 1],
                         firstEdge: first, stride: 1)
        }
        guard let n = json?["n"]?.integer, n > 0, let low = json?["low"]?.number, let high = json?["high"]?.number else {
            throw Self.failure("\(node) edges must be an array or {n > 0, low, high}")
        }
        return .init(input: input, uniform: true, bins: Int(n), low: low, high: high, firstEdge: 0, stride: 1)
    }

    mutating func binning(_ json: JSONValue) throws(KaonError) -> Int {
        let input = try numericInput(json["input"]?.string, in: "binning")
        let axis = try axis(json["edges"], input: input, in: "binning")
        guard let content = json["content"]?.array, content.count == axis.bins else {
            throw Self.failure("binning has \(axis.bins) bins but \(json["content"]?.array?.count ?? 0) content nodes")
        }
        let (flow, fallback) = try flow(json["flow"], in: "binning")
        let axisIndex = program.axes.count
        program.axes.append(axis)
        let contentStart = try compileChildren(content)
        return add(.binning(axis: axisIndex, flow: flow, content: contentStart, fallback: fallback))
    }

    /// Compiles the nodes and stores their indices contiguously in `children`, returning the start.
    mutating func compileChildren(_ items: [JSONValue]) throws(KaonError) -> Int {
        var indices: [Int] = []
        for item in items { indices.append(try compile(item)) }
        let start = program.children.count
        program.children += indices
        return start
    }

    mutating func multibinning(_ json: JSONValue) throws(KaonError) -> Int {
        guard let names = json["inputs"]?.array, let edges = json["edges"]?.array, names.count == edges.count, !names.isEmpty else {
            throw Self.failure("multibinning needs as many inputs as edge lists")
        }
        var axes: [CorrectionProgram.Axis] = []
        for (name, edgeList) in zip(names, edges) {
            let input = try numericInput(name.string, in: "multibinning")
            axes.append(try axis(edgeList, input: input, in: "multibinning"))
        }
        var stride = 1
        for i in axes.indices.reversed() {
            axes[i].stride = stride
            stride *= axes[i].bins
        }
        guard let content = json["content"]?.array, content.count == stride else {
            throw Self.failure("multibinning has \(stride) bins but \(json["content"]?.array?.count ?? 0) content nodes")
        }
        let (flow, fallback) = try flow(json["flow"], in: "multibinning")
        let firstAxis = program.axes.count
        program.axes += axes
        let contentStart = try compileChildren(content)
        return add(.multibinning(firstAxis: firstAxis, axisCount: axes.count, flow: flow, content: contentStart, fallback: fallback))
    }

    mutating func category(_ json: JSONValue) throws(KaonError) -> Int {
        let input = try inputIndex(json["input"]?.string, in: "category")
        let variable = inputs[input]
        guard variable.type != .real else { throw Self.failure("category cannot use the real input '\(variable.name)'") }
        var table = CategoryTable()
        for item in json["content"]?.array ?? [] {
            guard let keyJSON = item["key"], let valueJSON = item["value"] else {
                throw Self.failure("category items need a key and a value")
            }
            let key: Int64
            if let name = keyJSON.string {
                guard variable.type == .string else { throw Self.failure("category key \"\(name)\" is a string but input '\(variable.name)' is int") }
                key = code(of: name, input: variable.name)
            } else if case .integer(let value) = keyJSON {
                guard variable.type == .int else { throw Self.failure("category key \(value) is an int but input '\(variable.name)' is string") }
                key = value
            } else {
                throw Self.failure("category key \(keyJSON.text) is neither a string nor an integer")
            }
            let node = try compile(valueJSON)
            table.insert(key, node: node)
        }
        var fallback = -1
        if let defaultJSON = json["default"], defaultJSON != .null { fallback = try compile(defaultJSON) }
        program.categories.append(table)
        return add(.category(input: input, table: program.categories.count - 1, fallback: fallback))
    }

    /// The code standing for a string key of a string input (the same string, the same code).
    mutating func code(of key: String, input: String) -> Int64 {
        if let code = stringCodes[input]?[key] { return code }
        let code = Int64(stringCodes[input]?.count ?? 0)
        stringCodes[input, default: [:]][key] = code
        return code
    }
}
