import KaonIO
import KaonROOT
import KaonTree

/// Renders a column's entries as JSON values: jagged data as nested arrays, fixed
/// dimensions as nested arrays, strings as strings, booleans as true/false.
struct ColumnJSON {
    let column: Column
    let groupSize: Int

    init(_ column: Column) {
        self.column = column
        groupSize = column.innerShape.reduce(1, *)
    }

    /// Entry `index` of the column.
    func entry(_ index: Int) -> JSONValue {
        if case .record(let names, let fields) = column.values {
            return .object(zip(names, fields).map { ($0, ColumnJSON($1).entry(index)) })
        }
        return node(level: 0, index: index)
    }

    func node(level: Int, index: Int) -> JSONValue {
        if level < column.offsets.count {
            let offsets = column.offsets[level]
            return .array((offsets[index]..<offsets[index + 1]).map { node(level: level + 1, index: $0) })
        }
        if column.innerShape.isEmpty { return value(index) }
        return shaped(column.innerShape[...], start: index * groupSize)
    }

    func shaped(_ shape: ArraySlice<Int>, start: Int) -> JSONValue {
        guard let first = shape.first else { return value(start) }
        let stride = shape.dropFirst().reduce(1, *)
        return .array((0..<first).map { shaped(shape.dropFirst(), start: start + $0 * stride) })
    }

    func value(_ index: Int) -> JSONValue {
        switch column.values {
        case .strings(let strings):
            return .string(strings[index])
        case .primitive(let type, let bytes):
            return bytes.withUnsafeBytes { raw in
                let offset = index * type.size
                switch type {
                case .bool: return .bool(raw[offset] != 0)
                case .int8: return .integer(Int64(raw.load(fromByteOffset: offset, as: Int8.self)))
                case .uint8: return .integer(Int64(raw[offset]))
                case .int16: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
                case .uint16: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
                case .int32: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                case .uint32: return .integer(Int64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                case .int64: return .integer(raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                case .uint64: return .unsigned(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                case .float32: return .float(raw.loadUnaligned(fromByteOffset: offset, as: Float.self))
                case .float64: return .number(raw.loadUnaligned(fromByteOffset: offset, as: Double.self))
                }
            }
        case .pairs(let keys, let values):
            return .array([ColumnJSON(keys).entry(index), ColumnJSON(values).entry(index)])
        case .record:
            return .null
        }
    }
}
