import Foundation
import KaonIO
import Yams

/// YAML documents as `JSONValue` trees, so that code below the engine (which has no YAML
/// parser) can read configuration written in YAML through its JSON readers.
public enum YAMLJSON {
    /// Parses one YAML document; mappings become objects with their keys sorted (YAML
    /// mappings are unordered), scalars keep the type YAML resolves them to.
    ///
    /// ```swift
    /// let tree = try YAMLJSON.parse("poi: mu\nregions: [{name: SR, histogram: mjj}]")
    /// tree["poi"]?.string   // "mu"
    /// ```
    public static func parse(_ text: String, name: String = "YAML") throws -> JSONValue {
        try convert(load(text, name: name), name: name)
    }

    /// One YAML document as Yams' untyped tree (for readers that walk it themselves, like
    /// `SampleSet`); a syntax error becomes a `KaonError` naming `name`.
    static func load(_ text: String, name: String) throws -> Any? {
        do {
            return try Yams.load(yaml: text)
        } catch {
            throw KaonError(.malformed, "not valid YAML: \(error)", file: name)
        }
    }

    private static func convert(_ value: Any?, name: String) throws -> JSONValue {
        guard let value, !(value is NSNull) else { return .null }
        switch value {
        case let b as Bool: return .bool(b)
        case let i as Int: return .integer(Int64(i))
        case let x as Double: return .number(x)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(try a.map { try convert($0, name: name) })
        case let d as [String: Any]: return .object(try d.keys.sorted().map { ($0, try convert(d[$0], name: name)) })
        case let d as [AnyHashable: Any]:
            return .object(try d.map { ("\($0.key)", try convert($0.value, name: name)) }.sorted { $0.0 < $1.0 })
        default: throw KaonError(.malformed, "unsupported YAML value \(String(describing: value))", file: name)
        }
    }
}
