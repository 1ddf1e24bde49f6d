import KaonIO

extension ROOTFile {
    /// The file's free segments: byte ranges (inclusive) a writer may reuse, the last one
    /// always `[fEND, 2000000000]` (or a larger bound in big files).
    ///
    /// ```swift
    /// let gaps = try ROOTFile(path: "data.root").freeSegments()
    /// ```
    public func freeSegments() throws -> [ClosedRange<Int>] {
        try withContext(file: name, object: "free segments list") {
            guard header.seekFree > 0, header.nbytesFree > 0 else { return [] }
            let key = try self.key(at: header.seekFree)
            var cursor = ByteCursor(try payload(of: key))
            var segments: [ClosedRange<Int>] = []
            // Each entry takes at least 10 bytes (version and two 4-byte bounds).
            for _ in 0..<min(header.nfree, cursor.remaining / 10) {
                let version = try cursor.readI16()
                let first: Int
                let last: Int
                if version > 1000 {
                    first = Int(try cursor.readI64())
                    last = Int(try cursor.readI64())
                } else {
                    first = Int(try cursor.readI32())
                    last = Int(try cursor.readI32())
                }
                guard first >= 0, last >= first else {
                    throw KaonError(.malformed, "impossible free segment [\(first), \(last)]")
                }
                segments.append(first...last)
            }
            return segments
        }
    }
}
