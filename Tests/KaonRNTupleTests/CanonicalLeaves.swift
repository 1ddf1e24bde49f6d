import Foundation
import KaonIO
import KaonROOT
import KaonTree

/// A column reduced to the canonical leaves `crosschecks/peers/rntuple_reference.py` prints
/// for uproot's reading: each leaf's path, the item counts of every nesting level above it
/// and its flattened values, so that the two readers' different layouts compare.
struct CanonicalLeaf {
    var levels: [[Int]]
    /// Numbers widened to Double, integers kept exact, strings as themselves.
    enum Value: Equatable {
        case integer(Int64), unsigned(UInt64), real(Double), string(String)
    }
    var values: [Value]

    static func leaves(of column: Column, path: String = "") -> [String: CanonicalLeaf] {
        if case .record(let names, let members) = column.values {
            var result: [String: CanonicalLeaf] = [:]
            for (name, member) in zip(names, members) {
                result.merge(leaves(of: member, path: path.isEmpty ? name : path + "." + name)) { first, _ in first }
            }
            return result
        }
        var levels = column.offsets.map { offsets in zip(offsets.dropFirst(), offsets).map { $0 - $1 } }
        var items = levels.last?.reduce(0, +) ?? column.entryCount
        for size in column.innerShape {
            levels.append(Array(repeating: size, count: items))
            items *= size
        }
        return [path.isEmpty ? "." : path: CanonicalLeaf(levels: levels, values: values(column))]
    }

    static func values(_ column: Column) -> [Value] {
        switch column.values {
        case .strings(let strings):
            return strings.map(Value.string)
        case .primitive(let type, let bytes):
            return bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / type.size)).map { index in
                    let offset = index * type.size
                    switch type {
                    case .bool: return .integer(raw[offset] != 0 ? 1 : 0)
                    case .int8: return .integer(Int64(raw.load(fromByteOffset: offset, as: Int8.self)))
                    case .uint8: return .integer(Int64(raw[offset]))
                    case .int16: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
                    case .uint16: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
                    case .int32: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                    case .uint32: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    case .int64: return .integer(raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                    case .uint64: return .unsigned(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    case .float32: return .real(Double(raw.loadUnaligned(fromByteOffset: offset, as: Float.self)))
                    case .float64: return .real(raw.loadUnaligned(fromByteOffset: offset, as: Double.self))
                    }
                }
            }
        case .record, .pairs:
            return []
        }
    }

    /// Compares with uproot's canonical leaf (a parsed JSON object); nil when equal,
    /// otherwise what differs first.
    func mismatch(with reference: [String: Any]) -> String? {
        guard let referenceLevels = reference["levels"] as? [[Int]] else { return "reference has no levels" }
        if referenceLevels != levels {
            return "levels differ: Kaon \(levels.map { $0.prefix(20) }), uproot \(referenceLevels.map { $0.prefix(20) })"
        }
        if let expected = reference["values"] as? [Any] {
            guard expected.count == values.count else { return "Kaon has \(values.count) values, uproot \(expected.count)" }
            for (index, (mine, theirs)) in zip(values, expected).enumerated() where !Self.equal(mine, theirs) {
                return "value \(index): Kaon \(mine), uproot \(theirs)"
            }
            return nil
        }
        // A large leaf: uproot sent a summary.
        guard let count = reference["count"] as? Int, count == values.count else {
            return "Kaon has \(values.count) values, uproot \(reference["count"] ?? "?")"
        }
        let numbers = values.map(\.asDouble)
        let sum = numbers.reduce(0, +)
        let weighted = numbers.enumerated().reduce(0.0) { $0 + $1.element * Double($1.offset % 1009 + 1) }
        func number(_ any: Any?) -> Double? { (any as? String).flatMap(Double.init) ?? (any as? NSNumber)?.doubleValue }
        // Integer sums are exact; float sums are summed in another order by numpy.
        let isReal = values.first.map { if case .real = $0 { true } else { false } } ?? false
        func close(_ a: Double?, _ b: Double) -> Bool {
            guard let a else { return false }
            return isReal ? abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) : a == b
        }
        if !close(number(reference["sum"]), sum) { return "sum: Kaon \(sum), uproot \(reference["sum"] ?? "?")" }
        if !close(number(reference["weighted"]), weighted) {
            return "weighted sum: Kaon \(weighted), uproot \(reference["weighted"] ?? "?")"
        }
        let head = reference["head"] as? [Any] ?? [], tail = reference["tail"] as? [Any] ?? []
        for (mine, theirs) in zip(values.prefix(head.count), head) where !Self.equal(mine, theirs) { return "head: Kaon \(mine), uproot \(theirs)" }
        for (mine, theirs) in zip(values.suffix(tail.count), tail) where !Self.equal(mine, theirs) { return "tail: Kaon \(mine), uproot \(theirs)" }
        return nil
    }

    static func equal(_ mine: Value, _ theirs: Any) -> Bool {
        switch mine {
        case .string(let string): return theirs as? String == string
        case .integer(let integer): return (theirs as? NSNumber)?.int64Value == integer
        case .unsigned(let integer): return (theirs as? NSNumber)?.uint64Value == integer
        case .real(let real):
            // Floats come as Python repr strings, parsed exactly here.
            guard let text = theirs as? String, let parsed = Double(text) else { return false }
            return parsed == real || parsed.isNaN && real.isNaN
        }
    }
}

extension CanonicalLeaf.Value {
    var asDouble: Double {
        switch self {
        case .integer(let value): Double(value)
        case .unsigned(let value): Double(value)
        case .real(let value): value
        case .string: 0
        }
    }
}
