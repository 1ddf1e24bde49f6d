import KaonIO
import KaonROOT
import KaonTree

/// A column handed to C: its values as one contiguous buffer of a primitive type and, for
/// each jagged level (outermost first), an offsets buffer of `Int` (int64).
///
/// No copy: Python wraps `bytes` and `offsets` in NumPy arrays in place. The buffers are the
/// column's own Swift arrays, held in `let` properties, so their storage neither moves nor
/// is freed until `kaon_array_free` releases this object (which the Python side calls when
/// the last NumPy array over them is collected).
final class ArrayHandover {
    let type: PrimitiveType
    let bytes: [UInt8]
    let offsets: [[Int]]
    let innerShape: [Int]
    let entryCount: Int

    init(_ column: Column) throws {
        guard case .primitive(let type, let bytes) = column.values else {
            throw KaonError(.unsupported, "only numeric columns are handed over", object: column.branch)
        }
        self.type = type
        self.bytes = bytes
        offsets = column.offsets
        innerShape = column.innerShape
        entryCount = column.entryCount
    }

    /// Why a branch of this interpretation cannot be handed over (nil when it can): only
    /// numbers (fixed, jagged, and STL containers of numbers, nested or not) can be.
    static func refusal(_ interpretation: Interpretation) -> String? {
        switch interpretation.layout {
        case .fixed, .jagged: return nil
        case .objects(let item) where isNumeric(item): return nil
        case .objects: return "\(interpretation.typeName) values cannot be handed to Python yet (only numbers and containers of numbers)"
        case .leafList: return "leaf lists (\(interpretation.typeName)) cannot be handed to Python yet; only single-leaf numeric branches"
        }
    }

    static func isNumeric(_ item: Interpretation.Item) -> Bool {
        switch item {
        case .primitive, .packed: true
        case .container(let inner, _): isNumeric(inner)
        case .string, .map: false
        }
    }
}

/// The array's layout as JSON (freed with `kaon_string_free`): `dtype` (`bool`, `int8` …
/// `float64`), `entries`, `count` (values), `inner_shape` (fixed dimensions of each item) and
/// `offsets` (the length of each offsets level, outermost first).
@_cdecl("kaon_array_json")
public func kaonArrayJSON(_ handle: UnsafeMutableRawPointer, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                          _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let array = Handle.borrow(handle, as: ArrayHandover.self)
        let document = JSONValue.object([
            ("dtype", .string(array.type.rawValue)), ("entries", .integer(Int64(array.entryCount))),
            ("count", .integer(Int64(array.bytes.count / array.type.size))),
            ("inner_shape", .array(array.innerShape.map { .integer(Int64($0)) })),
            ("offsets", .array(array.offsets.map { .integer(Int64($0.count)) })),
        ])
        json.pointee = newCString(document.text)
    }
}

/// The address of the values (valid until `kaon_array_free`); its size is `count` values.
@_cdecl("kaon_array_values")
public func kaonArrayValues(_ handle: UnsafeMutableRawPointer) -> UnsafeRawPointer? {
    Handle.borrow(handle, as: ArrayHandover.self).bytes.withUnsafeBytes { $0.baseAddress }
}

/// The address of offsets level `level` (int64; valid until `kaon_array_free`), or null
/// for a level the array does not have.
@_cdecl("kaon_array_offsets")
public func kaonArrayOffsets(_ handle: UnsafeMutableRawPointer, _ level: Int) -> UnsafeRawPointer? {
    let array = Handle.borrow(handle, as: ArrayHandover.self)
    guard array.offsets.indices.contains(level) else { return nil }
    return array.offsets[level].withUnsafeBytes { $0.baseAddress }
}

@_cdecl("kaon_array_free")
public func kaonArrayFree(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}
