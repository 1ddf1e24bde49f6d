import Foundation

/// JSON text builders for the fixtures test targets hand to the peers' Python scripts.
/// Floats are written as their shortest round-trip representation (Swift's `description`),
/// so Python recovers the exact Float/Double; non-finite values become the strings "nan",
/// "inf", "-inf" (JSON has no literal for them), which the reference scripts expect.
///
/// ```swift
/// JSON.object([("pt", JSON.array(pts) { JSON.number($0) })])
/// ```
public enum JSON {
    public static func number<T: BinaryFloatingPoint & CustomStringConvertible>(_ x: T) -> String {
        x.isFinite ? x.description : "\"\(x.description)\""
    }
    public static func number<T: BinaryInteger>(_ x: T) -> String { "\(x)" }
    public static func int<T: BinaryInteger>(_ x: T) -> String { "\(x)" }
    public static func bool(_ x: Bool) -> String { x ? "true" : "false" }
    public static func array<S: Sequence>(_ xs: S, _ f: (S.Element) -> String) -> String {
        "[" + xs.map(f).joined(separator: ",") + "]"
    }
    public static func optional<T>(_ x: T?, _ f: (T) -> String) -> String { x.map(f) ?? "null" }
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",\n") + "}"
    }
    public static func string(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
