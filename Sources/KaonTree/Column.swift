import KaonROOT

/// A branch's values for a range of entries, stored columnar: one contiguous buffer of
/// values plus offsets for each level of jaggedness (no per-entry arrays).
///
/// For `Muon_pt[nMuon]` over 3 entries with 2, 0 and 1 muons: `values` holds 3 floats and
/// `offsets == [[0, 2, 2, 3]]`. For `vector<vector<double>>` there are two offset levels.
/// Fixed dimensions of each innermost item (`x[3]`) are in `innerShape`.
public struct Column: Sendable {
    public indirect enum Values: Sendable {
        /// Fixed-width values in native byte order, back to back.
        case primitive(PrimitiveType, [UInt8])
        case strings([String])
        /// A leaf list: one column per leaf, each with the same entries.
        case record([String], [Column])
        /// Map entries: keys and values, one item of each per pair.
        case pairs(keys: Column, values: Column)
    }

    public var values: Values
    /// Offsets for each jagged level, outermost first; each has one more element than the
    /// level above has items (the first level: `entryCount + 1`).
    public var offsets: [[Int]]
    public var innerShape: [Int]
    public var entryCount: Int

    /// A column from its parts; `offsets` levels must be consistent with `values`.
    public init(values: Values, offsets: [[Int]] = [], innerShape: [Int] = [], entryCount: Int) {
        self.values = values
        self.offsets = offsets
        self.innerShape = innerShape
        self.entryCount = entryCount
    }

    /// The number of leaf values (strings, or numbers of the primitive type).
    public var valueCount: Int {
        switch values {
        case .primitive(let type, let bytes): bytes.count / type.size
        case .strings(let strings): strings.count
        case .record: entryCount
        case .pairs(let keys, _): keys.entryCount
        }
    }

    /// The values as a typed array; `T` must match the column's primitive type in size.
    public func array<T: BitwiseCopyable>(of _: T.Type) -> [T]? {
        guard case .primitive(let type, let bytes) = values, type.size == MemoryLayout<T>.size else { return nil }
        let count = bytes.count / type.size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * type.size)]))
            }
            initialized = count
        }
    }
}
