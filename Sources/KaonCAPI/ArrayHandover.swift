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
///
/// Strings are the exception to "no copy" (Swift strings are not one buffer): their UTF-8
/// bytes are joined into `bytes` (`uint8`) and their boundaries become the innermost offsets
/// level (`isStrings`), the layout awkward gives strings. A leaf list is a record: one
/// handover per leaf in `fields`, each over its own column, and no values of its own.
final class ArrayHandover {
    let type: PrimitiveType
    let bytes: [UInt8]
    let offsets: [[Int]]
    let innerShape: [Int]
    let entryCount: Int
    /// Whether the innermost offsets level delimits UTF-8 strings in `bytes`.
    let isStrings: Bool
    /// A leaf list's leaves, by name; empty for any other column.
    let fields: [(name: String, array: ArrayHandover)]

    init(_ column: Column) throws {
        innerShape = column.innerShape
        entryCount = column.entryCount
        switch column.values {
        case .primitive(let type, let bytes):
            self.type = type
            self.bytes = bytes
            offsets = column.offsets
            isStrings = false
            fields = []
        case .strings(let strings):
            var joined: [UInt8] = []
            joined.reserveCapacity(strings.reduce(0) { $0 + $1.utf8.count })
            var boundaries = [0]
            boundaries.reserveCapacity(strings.count + 1)
            for string in strings {
                joined.append(contentsOf: string.utf8)
                boundaries.append(joined.count)
            }
            type = .uint8
            bytes = joined
            offsets = column.offsets + [boundaries]
            isStrings = true
            fields = []
        case .record(let names, let columns):
            type = .uint8
            bytes = []
            offsets = column.offsets
            isStrings = false
            fields = try zip(names, columns).map { name, leaf in (name, try ArrayHandover(leaf)) }
        case .pairs:
            throw KaonError(.unsupported, "maps cannot be handed over (only numbers, strings and leaf lists)", object: column.branch)
        }
    }

    /// Why a branch of this interpretation cannot be handed over (nil when it can): numbers
    /// (fixed, jagged, and STL containers of numbers, nested or not), strings (and containers
    /// of them) and leaf lists can; maps cannot yet.
    static func refusal(_ interpretation: Interpretation) -> String? {
        switch interpretation.layout {
        case .fixed, .jagged, .leafList: return nil
        case .objects(let item) where isNumeric(item) || holdsStrings(item): return nil
        case .objects: return "\(interpretation.typeName) values cannot be handed to Python yet (only numbers, strings, containers of those and leaf lists)"
        }
    }

    static func isNumeric(_ item: Interpretation.Item) -> Bool {
        switch item {
        case .primitive, .packed: true
        case .container(let inner, _): isNumeric(inner)
        case .string, .map: false
        }
    }

    /// Whether the item is a string or (nested) containers of strings.
    static func holdsStrings(_ item: Interpretation.Item) -> Bool {
        switch item {
        case .string: true
        case .container(let inner, _): holdsStrings(inner)
        case .primitive, .packed, .map: false
        }
    }
}

/// The array's layout as JSON (freed with `kaon_string_free`): `dtype` (`bool`, `int8` …
/// `float64`), `entries`, `count` (values), `inner_shape` (fixed dimensions of each item),
/// `offsets` (the length of each offsets level, outermost first), `strings` (whether the
/// innermost level delimits UTF-8 strings in the `uint8` values) and `fields` (a leaf list's
/// leaf names, each read with `kaon_array_field`; empty otherwise).
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
            ("strings", .bool(array.isStrings)), ("fields", .array(array.fields.map { .string($0.name) })),
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

/// A new handle (released with `kaon_array_free`) on leaf `index` of a leaf-list array, or
/// null for an index it does not have.
@_cdecl("kaon_array_field")
public func kaonArrayField(_ handle: UnsafeMutableRawPointer, _ index: Int) -> UnsafeMutableRawPointer? {
    let array = Handle.borrow(handle, as: ArrayHandover.self)
    guard array.fields.indices.contains(index) else { return nil }
    return Handle.retained(array.fields[index].array)
}

@_cdecl("kaon_array_free")
public func kaonArrayFree(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}
