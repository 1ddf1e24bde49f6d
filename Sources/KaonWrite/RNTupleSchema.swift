import KaonIO
import KaonROOT
import KaonRNTuple

/// The fields and columns an RNTuple gets for a list of branch specs, as ROOT's
/// RNTupleImporter maps TTree branches, with the C++ type names ROOT normalises to:
///
/// | branch | field |
/// |---|---|
/// | scalar `x/F` | `float` |
/// | fixed array `x[3][2]/F` | `std::array<std::array<float,2>,3>` |
/// | counted array `x[n]/F` | `ROOT::VecOps::RVec<float>` (the counter stays a field of its own) |
/// | `std::vector<T>`, `std::vector<std::vector<T>>` | the same |
/// | `x/C` string, `std::vector<std::string>` | `std::string`, `std::vector<std::string>` |
/// | leaf list `x/I:y/F` | an untyped record with members `x`, `y` |
///
/// Fields are numbered depth first (a field, then its subfields), columns in field order,
/// as ROOT numbers them. Column types are ROOT's defaults: split encodings (with zigzag for
/// signed integers and delta for offsets) when the data is compressed, plain ones when it
/// is not (splitting only helps a compressor), `Bit` for booleans, 64-bit offsets.
public struct RNTupleSchema {
    struct Field {
        var name: String
        var typeName: String
        /// Structural role: 0 leaf, 1 collection, 2 record.
        var role: UInt16
        var parent: Int
        var repetition: Int?
    }

    struct Column {
        var type: ColumnType
        var field: Int
        /// Bytes one element takes in the writer's buffer (one per bit; 8 per offset).
        var bufferedSize: Int
        var bits: Int { type.fixedBits ?? 8 * bufferedSize }
    }

    /// Where a branch's values go: columns reached through the field tree.
    indirect enum Shape {
        case leaf(column: Int)
        case array(Int, Shape)
        case collection(index: Int, Shape)
        case string(index: Int, characters: Int)
        case record([Shape])
    }

    private(set) var fields: [Field] = []
    private(set) var columns: [Column] = []
    /// One shape per branch spec, in order.
    private(set) var shapes: [Shape] = []
    let split: Bool

    init(specs: [BranchSpec], split: Bool, context: String) throws {
        self.split = split
        for spec in specs {
            shapes.append(try add(spec, parent: nil, context: context))
        }
    }

    private mutating func add(_ spec: BranchSpec, parent: Int?, context: String) throws -> Shape {
        switch spec.type {
        case .scalar(let type):
            return primitive(spec.name, type, shape: [], parent: parent)
        case .array(let type, let shape):
            return primitive(spec.name, type, shape: shape, parent: parent)
        case .counted(let type, _, let shape):
            return collection(spec.name, "ROOT::VecOps::RVec<\(Self.typeName(type, shape: shape))>", parent: parent) { schema, id in
                schema.primitive("_0", type, shape: shape, parent: id)
            }
        case .vector(let type):
            return collection(spec.name, "std::vector<\(Self.typeName(type, shape: []))>", parent: parent) { schema, id in
                schema.primitive("_0", type, shape: [], parent: id)
            }
        case .vectorVector(let type):
            let inner = "std::vector<\(Self.typeName(type, shape: []))>"
            return collection(spec.name, "std::vector<\(inner)>", parent: parent) { schema, id in
                schema.collection("_0", inner, parent: id) { schema, id in schema.primitive("_0", type, shape: [], parent: id) }
            }
        case .string:
            return string(spec.name, parent: parent)
        case .stringVector:
            return collection(spec.name, "std::vector<std::string>", parent: parent) { schema, id in
                schema.string("_0", parent: id)
            }
        case .leafList(let leaves):
            let id = addField(Field(name: spec.name, typeName: "", role: 2, parent: parent ?? fields.count))
            return .record(leaves.map { primitive($0.name, $0.type, shape: $0.shape, parent: id) })
        case .streamed(let streamed):
            throw KaonError(.unsupported, "\(context): branch \(spec.name) holds whole \(streamed.className) objects, which Kaon does not write into RNTuples")
        }
    }

    private mutating func addField(_ field: Field) -> Int {
        fields.append(field)
        return fields.count - 1
    }

    private mutating func addColumn(_ type: ColumnType, field: Int, bufferedSize: Int) -> Int {
        columns.append(Column(type: type, field: field, bufferedSize: bufferedSize))
        return columns.count - 1
    }

    /// A number or a (nested) `std::array` of numbers.
    private mutating func primitive(_ name: String, _ type: PrimitiveType, shape: [Int], parent: Int?) -> Shape {
        let id = addField(Field(name: name, typeName: Self.typeName(type, shape: shape), role: 0,
                                parent: parent ?? fields.count, repetition: shape.first))
        guard let count = shape.first else {
            return .leaf(column: addColumn(columnType(type), field: id, bufferedSize: type.size))
        }
        return .array(count, primitive("_0", type, shape: Array(shape.dropFirst()), parent: id))
    }

    private mutating func collection(_ name: String, _ typeName: String, parent: Int?,
                                     item: (inout RNTupleSchema, Int) -> Shape) -> Shape {
        let id = addField(Field(name: name, typeName: typeName, role: 1, parent: parent ?? fields.count))
        let index = addColumn(split ? .splitIndex64 : .index64, field: id, bufferedSize: 8)
        return .collection(index: index, item(&self, id))
    }

    private mutating func string(_ name: String, parent: Int?) -> Shape {
        let id = addField(Field(name: name, typeName: "std::string", role: 0, parent: parent ?? fields.count))
        let index = addColumn(split ? .splitIndex64 : .index64, field: id, bufferedSize: 8)
        let characters = addColumn(.char, field: id, bufferedSize: 1)
        return .string(index: index, characters: characters)
    }

    /// ROOT's column type for values of `type`.
    private func columnType(_ type: PrimitiveType) -> ColumnType {
        switch type {
        case .bool: .bit
        case .int8: .int8
        case .uint8: .uint8
        case .int16: split ? .splitInt16 : .int16
        case .uint16: split ? .splitUInt16 : .uint16
        case .int32: split ? .splitInt32 : .int32
        case .uint32: split ? .splitUInt32 : .uint32
        case .int64: split ? .splitInt64 : .int64
        case .uint64: split ? .splitUInt64 : .uint64
        case .float32: split ? .splitReal32 : .real32
        case .float64: split ? .splitReal64 : .real64
        }
    }

    /// The field name for a TTree branch: without a `[dims]` suffix (the field's type holds
    /// the dimensions) and with `_` for `.` (a split object's `P3.Px`), which RNTuple
    /// reserves for paths into records.
    public static func fieldName(forBranch name: String) -> String {
        let bare = name.firstIndex(of: "[").map { String(name[..<$0]) } ?? name
        return String(bare.map { $0 == "." ? "_" : $0 })
    }

    /// The normalised C++ name of `type` wrapped in `std::array`s of `shape`.
    static func typeName(_ type: PrimitiveType, shape: [Int]) -> String {
        guard let count = shape.first else {
            switch type {
            case .bool: return "bool"
            case .int8: return "std::int8_t"
            case .uint8: return "std::uint8_t"
            case .int16: return "std::int16_t"
            case .uint16: return "std::uint16_t"
            case .int32: return "std::int32_t"
            case .uint32: return "std::uint32_t"
            case .int64: return "std::int64_t"
            case .uint64: return "std::uint64_t"
            case .float32: return "float"
            case .float64: return "double"
            }
        }
        return "std::array<\(typeName(type, shape: Array(shape.dropFirst()))),\(count)>"
    }

    /// The header's schema description: fields, columns, no alias columns, no type infos.
    func serialize(to out: inout RNTupleSerializer) {
        out.list(fields) { out, field in
            out.record { out in
                out.u32(0 as UInt32)  // field version
                out.u32(0 as UInt32)  // type version
                out.u32(field.parent)
                out.u16(field.role)
                out.u16(field.repetition == nil ? 0 : 0x01)
                out.string(field.name)
                out.string(field.typeName)
                out.string("")  // type alias
                out.string("")  // description
                if let repetition = field.repetition { out.u64(repetition) }
            }
        }
        out.list(columns) { out, column in
            out.record { out in
                out.u16(column.type.rawValue)
                out.u16(UInt16(column.bits))
                out.u32(column.field)
                out.u16(0)  // flags: neither deferred nor with a value range
                out.u16(0)  // representation index
            }
        }
        out.list([Int]()) { _, _ in }  // alias columns
        out.list([Int]()) { _, _ in }  // extra type information
    }
}
