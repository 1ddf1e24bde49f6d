/// Construction from the raw native-endian bytes the tree reader produces
/// (`KaonTree.Column.Values.primitive(type, bytes)`).
extension JaggedArray where Element: BitwiseCopyable {
    /// Reinterprets native-endian bytes as `Element`s and wraps them with `offsets`.
    ///
    /// One bulk `memcpy` into a typed buffer (Swift cannot retype an `[UInt8]` in place);
    /// no per-element work. The bridge from `KaonTree.Column` is, for `Muon_pt`:
    ///
    /// ```swift
    /// let column = try tree.read(tree.branch("Muon_pt"))
    /// guard case .primitive(_, let bytes) = column.values else { fatalError() }
    /// let pt = JaggedArray<Float>(offsets: column.offsets[0], nativeBytes: bytes)
    /// ```
    /// - Precondition: `bytes.count` is a multiple of `MemoryLayout<Element>.size`.
    @inlinable
    public init(offsets: [Int], nativeBytes bytes: [UInt8]) {
        self.init(offsets: offsets, values: decodeNative(bytes, as: Element.self))
    }
}

/// The values of native-endian `bytes` as an array of `T` (one bulk copy).
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
