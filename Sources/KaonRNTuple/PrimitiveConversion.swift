import KaonROOT

/// Widens or narrows decoded column elements to the field's C++ type, for the column/field
/// combinations the spec allows reading (`double` from `Real32`, `int64_t` from `Int32`,
/// `bool` from an integer column, …). Values stay native-endian bytes, as in `Column`.
enum PrimitiveConversion {
    /// The field's primitive type for a normalised RNTuple type name, or nil.
    static func primitiveType(forTypeName name: String) -> PrimitiveType? {
        if name == "std::byte" { return .uint8 }
        let bare = name.hasPrefix("std::") ? String(name.dropFirst(5)) : name
        return PrimitiveType(cppName: bare)
    }

    static func convert(_ bytes: [UInt8], from source: PrimitiveType, to target: PrimitiveType) -> [UInt8] {
        if source == target { return bytes }
        let count = bytes.count / source.size
        return bytes.withUnsafeBytes { raw -> [UInt8] in
            func load<T: BitwiseCopyable>(_ index: Int, _: T.Type) -> T {
                raw.loadUnaligned(fromByteOffset: index * source.size, as: T.self)
            }
            func real(_ index: Int) -> Double {
                switch source {
                case .float32: Double(load(index, Float.self))
                case .float64: load(index, Double.self)
                default: Double(integer(index))
                }
            }
            func integer(_ index: Int) -> Int64 {
                switch source {
                case .bool, .uint8: Int64(load(index, UInt8.self))
                case .int8: Int64(load(index, Int8.self))
                case .int16: Int64(load(index, Int16.self))
                case .uint16: Int64(load(index, UInt16.self))
                case .int32: Int64(load(index, Int32.self))
                case .uint32: Int64(load(index, UInt32.self))
                case .int64: load(index, Int64.self)
                case .uint64: Int64(bitPattern: load(index, UInt64.self))
                case .float32: Int64(load(index, Float.self))
                case .float64: Int64(load(index, Double.self))
                }
            }
            var out = [UInt8]()
            out.reserveCapacity(count * target.size)
            func store<T: BitwiseCopyable>(_ value: T) { withUnsafeBytes(of: value) { out.append(contentsOf: $0) } }
            for index in 0..<count {
                switch target {
                case .bool: store(UInt8(integer(index) != 0 ? 1 : 0))
                case .int8: store(Int8(truncatingIfNeeded: integer(index)))
                case .uint8: store(UInt8(truncatingIfNeeded: integer(index)))
                case .int16: store(Int16(truncatingIfNeeded: integer(index)))
                case .uint16: store(UInt16(truncatingIfNeeded: integer(index)))
                case .int32: store(Int32(truncatingIfNeeded: integer(index)))
                case .uint32: store(UInt32(truncatingIfNeeded: integer(index)))
                case .int64: store(integer(index))
                case .uint64: store(UInt64(bitPattern: integer(index)))
                case .float32: store(Float(real(index)))
                case .float64: store(real(index))
                }
            }
            return out
        }
    }
}
