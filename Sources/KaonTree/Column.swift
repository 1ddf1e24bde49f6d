import KaonIO
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
    /// The branch the column was read from (its path in the tree), for error messages; nil
    /// for a column built in memory.
    public var branch: String?

    /// A column from its parts; `offsets` levels must be consistent with `values`.
    public init(values: Values, offsets: [[Int]] = [], innerShape: [Int] = [], entryCount: Int, branch: String? = nil) {
        self.values = values
        self.offsets = offsets
        self.innerShape = innerShape
        self.entryCount = entryCount
        self.branch = branch
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

    /// Every leaf value as `T`, which must be the Swift type of the stored primitive type
    /// (`Float` for float32, `UInt32` for uint32, `Bool` for bool, …); anything else throws
    /// a `KaonError` naming the branch, the stored type and `T`, instead of
    /// handing out another type's bits.
    ///
    /// One bulk copy of the column's bytes (Swift cannot retype an `[UInt8]` in place);
    /// `Bool` values are built byte by byte, any non-zero byte being `true` as in C++.
    ///
    /// ```swift
    /// let pt = try tree.read(tree.branch("Muon_pt")).values(as: Float.self)
    /// try tree.read(tree.branch("Muon_pt")).values(as: Int32.self)
    /// // throws KaonError "Muon_pt: holds float32 values, not Int32"
    /// ```
    public func values<T: PrimitiveValue>(as _: T.Type) throws -> [T] {
        guard case .primitive(let type, let bytes) = values, type == T.primitiveType else {
            throw KaonError(.usage, "holds \(storedTypeDescription) values, not \(T.self)", object: branch ?? "column")
        }
        if T.self == Bool.self {
            // A byte other than 0 or 1 is not a valid Swift Bool, so bools are never reinterpreted.
            return unsafeBitCast(bytes.map { $0 != 0 }, to: [T].self)   // T is Bool here
        }
        return decodeNative(bytes, as: T.self)
    }

    /// What the column stores, as `values(as:)` errors say it.
    var storedTypeDescription: String {
        switch values {
        case .primitive(let type, _): type.rawValue
        case .strings: "string"
        case .record(let names, _): "record (\(names.joined(separator: ", ")))"
        case .pairs: "map"
        }
    }
}
