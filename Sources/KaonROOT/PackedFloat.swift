import KaonIO

/// How ROOT packs a `Double32_t` or `Float16_t` value, from the range spec in the member's
/// comment or the leaf's title (`[xmin, xmax, nbits]`).
///
/// - no spec: stored as a 32-bit float (Double32) — Float16 defaults to 12 mantissa bits;
/// - `[0, 0, nbits]`: a float with its mantissa truncated to `nbits` bits (1-byte exponent
///   and 2-byte mantissa on disk);
/// - `[xmin, xmax, nbits]`: an unsigned integer of `nbits` bits scaled onto the range.
public struct PackedFloat: Sendable, Equatable {
    public enum Encoding: Sendable, Equatable {
        case float32
        case truncatedMantissa(bits: Int)
        case scaled(min: Double, factor: Double)
    }

    public var encoding: Encoding

    /// The encoding for a Double32 (`isFloat16 == false`) or Float16 member with this title.
    public init(title: String, isFloat16: Bool) {
        encoding = isFloat16 ? .truncatedMantissa(bits: 12) : .float32
        guard let open = title.firstIndex(of: "["), let close = title[open...].firstIndex(of: "]") else { return }
        let fields = title[title.index(after: open)..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: " ")
        }
        guard fields.count >= 2 else { return }
        let xmin = Self.number(fields[0])
        let xmax = Self.number(fields[1])
        var nbits = fields.count >= 3 ? Int(fields[2]) ?? 32 : 32
        if nbits < 2 || nbits > 32 { nbits = 32 }
        guard let xmin, let xmax else { return }
        if xmin == 0 && xmax == 0 {
            if fields.count >= 3 { encoding = .truncatedMantissa(bits: min(nbits, 23)) }
            return
        }
        guard xmax > xmin else { return }
        let bigint: Double = nbits < 32 ? Double(1 << nbits) : Double(UInt32.max)
        encoding = .scaled(min: xmin, factor: bigint / (xmax - xmin))
    }

    /// Parses a range bound, including ROOT's `pi` forms (`2*pi`, `pi/2`).
    static func number(_ text: String) -> Double? {
        if let value = Double(text) { return value }
        let lowered = String(text.lowercased().filter { $0 != " " })
        var sign = 1.0
        var body = Substring(lowered)
        if body.hasPrefix("-") { sign = -1; body = body.dropFirst() }
        if body == "pi" { return sign * Double.pi }
        if body.hasPrefix("pi/"), let d = Double(body.dropFirst(3)) { return sign * Double.pi / d }
        if body.hasSuffix("*pi"), let m = Double(body.dropLast(3)) { return sign * m * Double.pi }
        return nil
    }

    /// The number of bytes one value takes on disk.
    public var storedSize: Int {
        switch encoding {
        case .float32, .scaled: 4
        case .truncatedMantissa: 3
        }
    }

    /// Reads one value.
    public func read(_ cursor: inout ByteCursor) throws -> Double {
        switch encoding {
        case .float32:
            return Double(try cursor.readF32())
        case .scaled(let xmin, let factor):
            return Double(try cursor.readU32()) / factor + xmin
        case .truncatedMantissa(let bits):
            let exponent = UInt32(try cursor.readU8())
            let mantissa = UInt32(try cursor.readU16())
            return Self.unpack(exponent: exponent, mantissa: mantissa, bits: bits)
        }
    }

    /// Rebuilds a float from ROOT's truncated-mantissa form.
    @inlinable
    public static func unpack(exponent: UInt32, mantissa: UInt32, bits: Int) -> Double {
        var pattern = exponent << 23
        pattern |= (mantissa & ((1 << (bits + 1)) - 1)) << (23 - bits)
        var value = Float(bitPattern: pattern)
        if (1 << (bits + 1)) & mantissa != 0 { value = -value }
        return Double(value)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        String(self.drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}
