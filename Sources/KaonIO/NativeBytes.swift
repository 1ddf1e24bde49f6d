/// The values of native-endian `bytes` as an array of `T` (one bulk copy).
///
/// The one place raw column bytes become typed values: `KaonTree.Column.values(as:)` (after
/// checking the stored type), `JaggedArray(offsets:nativeBytes:)` and the object view use it.
///
/// ```swift
/// let x: [Int32] = decodeNative([1, 0, 0, 0], as: Int32.self)   // [1] on little-endian
/// ```
@inlinable
public func decodeNative<T: BitwiseCopyable>(_ bytes: [UInt8], as _: T.Type) -> [T] {
    let size = MemoryLayout<T>.size
    precondition(bytes.count % size == 0, "decodeNative: \(bytes.count) bytes is not a whole number of \(size)-byte values")
    let count = bytes.count / size
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
        }
        initialized = count
    }
}
