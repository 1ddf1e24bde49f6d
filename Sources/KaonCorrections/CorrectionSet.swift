import Foundation
import KaonIO

/// A correctionlib schema-v2 file: its corrections and compound corrections by name.
///
/// ```swift
/// let set = try CorrectionSet(path: "corrections.json")   // or corrections.json.gz
/// let weight = try set["event_systematics"]!.evaluate([.string("btag_var"), .string("up"), .real(50)])
/// ```
public struct CorrectionSet: Sendable {
    public let schemaVersion: Int
    public let description: String
    /// Plain corrections then compound corrections, in file order.
    public let corrections: [Correction]

    /// The correction (plain or compound) of that name.
    public subscript(name: String) -> Correction? {
        corrections.first { $0.name == name }
    }

    /// Reads a file, gunzipping it first if it starts with gzip's magic bytes.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KaonError(.system, "cannot read the file", file: path)
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0x1F, 0x8B]) { bytes = try withContext(file: path) { try Gunzip.decompress(bytes) } }
        try self = withContext(file: path) { try CorrectionSet(text: String(decoding: bytes, as: UTF8.self)) }
    }

    /// Parses the JSON text of a correction set and compiles every correction.
    public init(text: String) throws {
        let json = try JSONValue.parse(text)
        guard let version = json["schema_version"]?.integer else { throw KaonError(.malformed, "no schema_version: not a correctionlib file") }
        guard version == 2 else { throw KaonError(.unsupported, "correctionlib schema_version \(version) (only 2 is read)") }
        schemaVersion = 2
        description = json["description"]?.string ?? ""
        var corrections: [Correction] = []
        for item in json["corrections"]?.array ?? [] {
            let name = item["name"]?.string ?? "?"
            corrections.append(try withContext(object: "correction '\(name)'") { try Self.correction(item) })
        }
        for item in json["compound_corrections"]?.array ?? [] {
            let name = item["name"]?.string ?? "?"
            corrections.append(try withContext(object: "compound correction '\(name)'") { try Self.compound(item, corrections) })
        }
        self.corrections = corrections
    }

    static func variable(_ json: JSONValue?) throws -> CorrectionVariable {
        guard let name = json?["name"]?.string else { throw KaonError(.malformed, "an input or output has no name") }
        guard let type = json?["type"]?.string.flatMap(CorrectionVariable.ValueType.init(rawValue:)) else {
            throw KaonError(.malformed, "variable '\(name)' has type \(json?["type"]?.text ?? "null"), not real, int or string")
        }
        return CorrectionVariable(name: name, type: type, description: json?["description"]?.string ?? "")
    }

    static func header(_ json: JSONValue) throws -> (String, [CorrectionVariable], CorrectionVariable) {
        guard let name = json["name"]?.string else { throw KaonError(.malformed, "a correction has no name") }
        let inputs = try (json["inputs"]?.array ?? []).map(variable)
        let output = try variable(json["output"])
        guard output.type == .real else { throw KaonError(.malformed, "output '\(output.name)' must be real") }
        return (name, inputs, output)
    }

    static func correction(_ json: JSONValue) throws -> Correction {
        let (name, inputs, output) = try header(json)
        guard let data = json["data"] else { throw KaonError(.malformed, "no data") }
        var compiler = CorrectionCompiler(inputs: inputs)
        try compiler.compileGenericFormulas(json["generic_formulas"])
        compiler.program.root = try compiler.compile(data)
        return Correction(name: name, description: json["description"]?.string ?? "", version: Int(json["version"]?.integer ?? 0),
                          inputs: inputs, output: output, program: compiler.program,
                          stringCodes: inputs.map { compiler.stringCodes[$0.name] ?? [:] }, compound: nil)
    }

    static func compound(_ json: JSONValue, _ corrections: [Correction]) throws -> Correction {
        let (name, inputs, output) = try header(json)
        func position(_ input: String) throws -> Int {
            guard let index = inputs.firstIndex(where: { $0.name == input }) else {
                throw KaonError(.malformed, "uses input '\(input)', which it does not declare")
            }
            return index
        }
        var updated: [Int] = []
        for item in json["inputs_update"]?.array ?? [] {
            let index = try position(item.string ?? "")
            guard inputs[index].type == .real else { throw KaonError(.malformed, "updated input '\(inputs[index].name)' must be real") }
            updated.append(index)
        }
        typealias Operation = Correction.CompoundStack.Operation
        guard let inputOperation = json["input_op"]?.string.flatMap(Operation.init(rawValue:)), inputOperation != .last else {
            throw KaonError(.malformed, "input_op must be +, * or /")
        }
        guard let outputOperation = json["output_op"]?.string.flatMap(Operation.init(rawValue:)) else {
            throw KaonError(.malformed, "output_op must be +, *, / or last")
        }
        var members: [(correction: Correction, inputMap: [Int])] = []
        for item in json["stack"]?.array ?? [] {
            guard let member = corrections.first(where: { $0.name == item.string && !$0.isCompound }) else {
                throw KaonError(.malformed, "stack member '\(item.string ?? item.text)' is not a correction of the set")
            }
            let inputMap = try member.inputs.map { try position($0.name) }
            for (input, index) in zip(member.inputs, inputMap) where inputs[index].type != input.type {
                throw KaonError(.malformed, "input '\(input.name)' is \(inputs[index].type.rawValue) here but \(input.type.rawValue) in '\(member.name)'")
            }
            members.append((member, inputMap))
        }
        return Correction(name: name, description: json["description"]?.string ?? "", version: 0, inputs: inputs, output: output,
                          program: CorrectionProgram(), stringCodes: [],
                          compound: .init(members: members, updatedInputs: updated, inputOperation: inputOperation,
                                          outputOperation: outputOperation))
    }
}
