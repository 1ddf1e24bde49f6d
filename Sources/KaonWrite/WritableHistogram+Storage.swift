import KaonIO

extension WritableHistogram {
    /// The type of one bin content, the letter ending ROOT's class name (`TH1F`, `TH2I`, …).
    ///
    /// The contents of a `TH?X` are its `TArrayX` base: `C` char, `S` short, `I` int,
    /// `L` long long (ROOT 6.32 and later), `F` float, `D` double. Sums of weights
    /// (`fSumw2`) and statistics are doubles whatever the storage.
    public enum Storage: String, Sendable, CaseIterable {
        case char = "C"
        case short = "S"
        case int = "I"
        case long = "L"
        case float = "F"
        case double = "D"

        /// The storage a ROOT class name ends with (`TH2F` → `.float`), or nil when the class
        /// is not one of ROOT's `TH1X`/`TH2X`/`TH3X`.
        public init?(className: String) {
            let characters = Array(className)
            guard characters.count == 4, className.hasPrefix("TH"), "123".contains(characters[2]),
                  let storage = Storage(rawValue: String(characters[3])) else { return nil }
            self = storage
        }

        /// The class version of `TH<dimension><letter>` in the embedded StreamerInfo
        /// (`StreamerRecords`): ROOT 6.40 gives the TH?L classes version 0.
        func classVersion(dimension: Int) -> Int {
            if self == .long { return 0 }
            return dimension == 1 ? 3 : 4
        }

        /// Writes a `TArrayX` base: the count, then each value converted to the storage type.
        ///
        /// ROOT's `UpdateBinContent` converts with a C cast, which is undefined for values out
        /// of the type's range; Kaon clamps them to the nearest representable value instead.
        /// Integer storage truncates toward zero, as the C cast does.
        func writeArray(_ values: [Double], to w: inout ByteWriter) {
            w.i32(values.count)
            switch self {
            case .char: for value in values { w.i8(Int8(clamping: Self.integer(value))) }
            case .short: for value in values { w.i16(Int16(clamping: Self.integer(value))) }
            case .int: for value in values { w.i32(Int32(clamping: Self.integer(value))) }
            case .long: for value in values { w.i64(Self.integer(value)) }
            case .float: for value in values { w.f32(Float(value)) }
            case .double: for value in values { w.f64(value) }
            }
        }

        /// `value` truncated toward zero and clamped to Int64 (NaN becomes 0).
        private static func integer(_ value: Double) -> Int64 {
            guard !value.isNaN else { return 0 }
            if value >= 9.223372036854775807e18 { return .max }
            if value <= -9.223372036854775808e18 { return .min }
            return Int64(value.rounded(.towardZero))
        }
    }
}
