/// A minimal JSON document model with a writer and a parser: UHI histograms, the CLI's
/// machine-readable output, fixtures.
///
/// Non-finite numbers are written as `NaN`, `Infinity` and `-Infinity`, the way Python's
/// `json` module (and so boost-histogram/uhi) writes and reads them; a profile's variance
/// of a single-entry bin is NaN, so this is needed for faithful round trips.
///
/// ```swift
/// let doc = try JSONValue.parse(#"{"a": [1, 2.5, NaN]}"#)
/// doc["a"]?[2]?.number?.isNaN   // true
/// ```
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer literal (no fraction, no exponent) that fits `Int64`.
    case integer(Int64)
    /// Unsigned 64-bit values beyond Int64 (written exactly).
    case unsigned(UInt64)
    case number(Double)
    /// A float32 value, written with the fewest digits that read back to the same float32.
    case float(Float)
    case string(String)
    case array([JSONValue])
    /// Members in order (order is kept so output is stable and readable).
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.integer(let x), .integer(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.unsigned(let x), .unsigned(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Member of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// Element of an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The value as a real number (integers convert).
    public var number: Double? {
        switch self {
        case .number(let x): x
        case .float(let x): Double(x)
        case .integer(let i): Double(i)
        case .unsigned(let u): Double(u)
        default: nil
        }
    }

    /// The value as an integer (integral reals convert).
    public var integer: Int64? {
        switch self {
        case .integer(let i): i
        case .number(let x) where x == x.rounded() && abs(x) < 9.2e18: Int64(x)
        default: nil
        }
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    // MARK: Writing

    /// Compact JSON text. Reals use Swift's shortest round-tripping form (at most 17
    /// significant digits), so every `Double` reads back bit-for-bit.
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .unsigned(let u): out += String(u)
        case .number(let x): out += Self.format(x)
        case .float(let x): out += x.isFinite ? "\(x)" : Self.format(Double(x))
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out += ", " }
                Self.writeString(k, into: &out)
                out += ": "
                v.write(into: &out)
            }
            out += "}"
        }
    }

    static func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        return "\(x)"  // e.g. "0.1", "1e-05", "2.0": valid JSON numbers
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    // MARK: Parsing

    /// Parses JSON text (plus Python's `NaN`/`Infinity` extensions).
    public static func parse(_ text: String) throws -> JSONValue {
        var p = Parser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.error("trailing characters") }
        return v
    }

    /// The deepest nesting of arrays and objects the parser accepts: far beyond any real
    /// document (pyhf workspaces, UHI, correctionlib nest a few tens of levels), and shallow
    /// enough that the recursive descent cannot exhaust the stack on hostile input.
    public static let maximumDepth = 512

    struct Parser {
        let bytes: [UInt8]
        var i = 0
        var depth = 0

        func error(_ what: String) -> KaonError { KaonError(.malformed, "JSON: \(what) at byte \(i)") }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }

        mutating func value() throws -> JSONValue {
            guard i < bytes.count else { throw error("unexpected end") }
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONValue.maximumDepth else {
                throw error("arrays and objects nested deeper than \(JSONValue.maximumDepth) levels")
            }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSONValue)] = []
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw error("object key must be a string") }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipSpace()
                    members.append((key, try value()))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value())
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            default:
                if literal("true") { return .bool(true) }
                if literal("false") { return .bool(false) }
                if literal("null") { return .null }
                if literal("NaN") { return .number(.nan) }
                if literal("Infinity") { return .number(.infinity) }
                if literal("-Infinity") { return .number(-.infinity) }
                return try number()
            }
        }

        mutating func number() throws -> JSONValue {
            let start = i
            var isInteger = true
            while i < bytes.count {
                let c = bytes[i]
                if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                    i += 1
                } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    isInteger = false
                    i += 1
                } else {
                    break
                }
            }
            let s = String(decoding: bytes[start..<i], as: UTF8.self)
            if isInteger, let v = Int64(s) { return .integer(v) }
            guard !s.isEmpty, let x = Double(s) else { throw error("invalid value") }
            return .number(x)
        }

        mutating func string() throws -> String {
            i += 1
            var run = i
            var out = ""
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    out += String(decoding: bytes[run..<i], as: UTF8.self)
                    i += 1
                    return out
                }
                if c == UInt8(ascii: "\\") {
                    out += String(decoding: bytes[run..<i], as: UTF8.self)
                    i += 1
                    guard i < bytes.count else { break }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "n"): out += "\n"
                    case UInt8(ascii: "t"): out += "\t"
                    case UInt8(ascii: "r"): out += "\r"
                    case UInt8(ascii: "b"): out += "\u{08}"
                    case UInt8(ascii: "f"): out += "\u{0C}"
                    case UInt8(ascii: "u"):
                        guard i + 4 <= bytes.count, var code = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else { throw error("bad \\u escape") }
                        i += 4
                        // A surrogate pair encodes one scalar outside the BMP.
                        if code >= 0xD800 && code < 0xDC00, i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                           let low = UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        out.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default: out.unicodeScalars.append(Unicode.Scalar(e))
                    }
                    run = i
                    continue
                }
                i += 1
            }
            throw error("unterminated string")
        }
    }
}
