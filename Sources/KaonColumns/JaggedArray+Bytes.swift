import KaonIO

/// Construction from the raw native-endian bytes the tree reader produces
/// (`KaonTree.Column.Values.primitive(type, bytes)`).
extension JaggedArray where Element: BitwiseCopyable {
    /// Reinterprets native-endian bytes as `Element`s and wraps them with `offsets`.
    ///
    /// One bulk `memcpy` into a typed buffer (Swift cannot retype an `[UInt8]` in place);
    /// no per-element work. Nothing checks what the bytes hold: to wrap a tree's branch use
    /// KaonNano's `tree.jagged("Muon_pt", as: Float.self)`, which checks the stored type.
    ///
    /// ```swift
    /// let x = JaggedArray<Int32>(offsets: [0, 1], nativeBytes: [1, 0, 0, 0])   // [[1]] on little-endian
    /// ```
    /// - Precondition: `bytes.count` is a multiple of `MemoryLayout<Element>.size`.
    @inlinable
    public init(offsets: [Int], nativeBytes bytes: [UInt8]) {
        self.init(offsets: offsets, values: decodeNative(bytes, as: Element.self))
    }
}
