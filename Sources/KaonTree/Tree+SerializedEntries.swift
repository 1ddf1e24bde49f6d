import KaonIO
import KaonROOT

/// A branch's entries as ROOT serialized them, undecoded: the bytes of each entry back to
/// back and where each starts.
///
/// This is what a copy needs for types Kaon decodes but has no columnar writer for (maps,
/// sets, nested containers of strings): ROOT's own bytes, moved entry by entry into new
/// baskets, are read back by ROOT and uproot exactly as the originals.
///
/// ```swift
/// let entries = try tree.readSerialized(try tree.branch("map_int32_int16"), entries: 0..<10)
/// let firstEntry = entries.bytes[entries.offsets[0]..<entries.offsets[1]]
/// ```
public struct SerializedEntries: Sendable {
    /// The entries' bytes, one after another.
    public var bytes: [UInt8]
    /// Entry `i` is `bytes[offsets[i]..<offsets[i + 1]]` (entries + 1 values, from 0).
    public var offsets: [Int]

    /// The number of entries.
    public var count: Int { offsets.count - 1 }
}

extension Tree {
    /// Reads a branch's entries without decoding them (all entries by default).
    ///
    /// Only branches whose baskets record where each entry starts can be read this way
    /// (strings, STL containers and other streamed objects); fixed-size leaves cannot.
    ///
    /// ```swift
    /// let raw = try tree.readSerialized(try tree.branch("vector_vector_string"))
    /// print(raw.count, raw.bytes.count)
    /// ```
    public func readSerialized(_ branch: Branch, entries requested: Range<Int>? = nil) throws -> SerializedEntries {
        try withContext(file: file.name, object: "\(path):\(branch.path)") {
            let range = clampedRange(branch, requested)
            var bytes: [UInt8] = []
            var offsets = [0]
            // The range comes from the entry counts the file declares.
            offsets.reserveCapacity(try AllocationBudget.anyFile.check(range.count + 1, of: MemoryLayout<Int>.stride, "entry offsets")
                                    / MemoryLayout<Int>.stride)
            try forEachBasket(of: branch, entries: range) { index, data, local in
                guard let starts = data.offsets else {
                    throw KaonError(.unsupported, "basket \(index) does not record entry offsets, so its entries cannot be copied undecoded")
                }
                guard !local.isEmpty else { return }
                // Entry offsets were checked in order and inside the data when the basket was parsed.
                bytes.append(contentsOf: data.payload[starts[local.lowerBound]..<starts[local.upperBound]])
                let shift = offsets[offsets.count - 1] - starts[local.lowerBound]
                for entry in local { offsets.append(starts[entry + 1] + shift) }
            }
            guard offsets.count == range.count + 1 else {
                throw KaonError(.malformed, "the baskets hold \(offsets.count - 1) of the \(range.count) requested entries")
            }
            return SerializedEntries(bytes: bytes, offsets: offsets)
        }
    }
}
