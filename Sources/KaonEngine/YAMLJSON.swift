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
        try checkNesting(text, name: name)
        do {
            return try Yams.load(yaml: text)
        } catch {
            throw KaonError(.malformed, "not valid YAML: \(error)", file: name)
        }
    }

    /// Refuses YAML that may nest deeper than ``JSONValue/maximumDepth`` levels before Yams
    /// (a recursive parser) sees it, so hostile input fails with an error instead of
    /// overflowing the stack. The bound is conservative: per line, the indentation plus the
    /// leading `- `/`? ` indicators plus the flow brackets (`[`, `{`) open at that point,
    /// outside quotes and comments.
    static func checkNesting(_ text: String, name: String) throws {
        var open = 0
        var line = 1
        var column = 0
        var indentation = 0
        var atLineStart = true
        var quote: UInt8? = nil
        var inComment = false
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            if byte == 0x0A {
                line += 1
                column = 0
                indentation = 0
                atLineStart = true
                inComment = false
                if quote == UInt8(ascii: "'") { quote = nil }  // a plain 'x' never spans lines
                previous = byte
                continue
            }
            column += 1
            if inComment { continue }
            if let q = quote {
                if byte == q { quote = nil }
            } else if byte == UInt8(ascii: "#"), previous == 0x20 || atLineStart {
                inComment = true
            } else if byte == UInt8(ascii: "\""), atLineStart || [0x20, 0x5B, 0x7B, 0x2C, 0x3A].contains(previous) {
                quote = byte
            } else if byte == UInt8(ascii: "'"), atLineStart || [0x20, 0x5B, 0x7B, 0x2C, 0x3A].contains(previous) {
                quote = byte
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                open += 1
            } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                open = max(0, open - 1)
            }
            if atLineStart {
                // Spaces and the indicators of block sequences and complex keys all indent.
                if byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    indentation += 1
                } else {
                    atLineStart = false
                }
            }
            if indentation + open > JSONValue.maximumDepth {
                throw KaonError(.malformed, "YAML nested deeper than \(JSONValue.maximumDepth) levels at line \(line), column \(column)",
                                file: name)
            }
            previous = byte
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
