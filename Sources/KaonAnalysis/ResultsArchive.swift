import KaonIO

/// Little-endian binary writing for the results format (see ``AnalysisResults/serialized()``).
struct ArchiveWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) { blob(Array(s.utf8)) }
    mutating func blob(_ b: [UInt8]) { int(b.count); bytes.append(contentsOf: b) }

    mutating func exact(_ s: ExactSum) {
        int(s.low)
        double(s.nonFinite)
        int(s.limbs.count)
        for limb in s.limbs { int64(limb) }
    }

    mutating func cells(_ t: CellTally) {
        var t = t
        t.normalize()
        int(t.values.count)
        for k in t.values.indices { exact(t.values[k]); exact(t.variances[k]) }
        int(t.entries)
    }
}

/// Bounds-checked reading of the results format; every failure is a `KaonError(.malformed)`.
struct ArchiveReader {
    let bytes: [UInt8]
    var position = 0
    let name: String

    init(_ bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    func fail(_ what: String) -> KaonError {
        KaonError(.malformed, "analysis results: \(what) at byte \(position) of \(bytes.count)", file: name)
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - position else { throw fail("truncated (needed \(n) more bytes)") }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func u8() throws -> UInt8 { try take(1).first! }

    mutating func uint64() throws -> UInt64 {
        var v: UInt64 = 0
        for (k, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
        return v
    }

    mutating func int64() throws -> Int64 { Int64(bitPattern: try uint64()) }
    mutating func int() throws -> Int { Int(try int64()) }
    mutating func double() throws -> Double { Double(bitPattern: try uint64()) }

    /// A count of items each at least `minimumSize` bytes long (guards against absurd counts).
    mutating func count(minimumSize: Int = 1) throws -> Int {
        let n = try int()
        guard n >= 0, n <= (bytes.count - position) / max(minimumSize, 1) else { throw fail("invalid count \(n)") }
        return n
    }

    mutating func blob() throws -> [UInt8] { Array(try take(try count())) }
    mutating func string() throws -> String { String(decoding: try blob(), as: UTF8.self) }

    mutating func exact() throws -> ExactSum {
        let low = try int(), nonFinite = try double()
        let n = try count(minimumSize: 8)
        var limbs: [Int64] = []
        limbs.reserveCapacity(n)
        for _ in 0..<n { limbs.append(try int64()) }
        guard low >= -16, low <= 128 else { throw fail("exact sum out of range") }
        return ExactSum(low: low, limbs: limbs, nonFinite: nonFinite)
    }

    mutating func cells() throws -> CellTally {
        let n = try count(minimumSize: 48)
        var t = CellTally(cells: n)
        for k in 0..<n {
            t.values[k] = try exact()
            t.variances[k] = try exact()
        }
        t.entries = try int()
        return t
    }
}
