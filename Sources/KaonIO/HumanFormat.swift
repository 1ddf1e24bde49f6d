/// Numbers for people: the one formatter behind every human-readable line Kaon prints
/// (summaries, tables, progress). Machine-readable output (JSON, CSV, ROOT) never goes
/// through it; it keeps full precision.
///
/// The conventions, chosen once for all commands:
/// - times: 3 significant digits in the largest fitting unit of ns, µs, ms, s, min, h;
///   a value that rounds up to the next unit moves there (999.7 ms → "1.00 s");
/// - rates: 3 significant digits with a multiplier k, M, G, T ("1.23M events/s");
/// - sizes: decimal units B, kB, MB, GB, TB (1 kB = 1000 B, as disks and networks count);
/// - counts of things (entries, baskets, events) are plain integers ("53446198"), with no
///   separators, so they can be pasted back into options and read the same in every locale;
/// - a measurement: the uncertainty to 2 significant digits and the value to the same
///   decimal place ("1.234 ± 0.056", "12350 ± 680");
/// - other numbers: N significant digits, written as the nearest short decimal so no
///   binary noise shows ("0.1", never "0.10000000000000001").
///
/// Everything is built from decimal digits computed here, without Foundation or the C
/// library's locale-dependent printf.
///
/// ```swift
/// HumanFormat.duration(seconds: 0.9073400840000001)   // "907 ms"
/// HumanFormat.rate(1.234e6, unit: "events")           // "1.23M events/s"
/// HumanFormat.bytes(45_600_000)                        // "45.6 MB"
/// HumanFormat.measurement(1.23456, uncertainty: 0.0567) // "1.235 ± 0.057"
/// HumanFormat.number(0.022778191000000003, digits: 3)  // "0.0228"
/// ```
public enum HumanFormat {
    // MARK: Times, rates and sizes

    private static let timeUnits: [(name: String, scale: Double)] = [
        ("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("min", 60), ("h", 3600),
    ]
    private static let multipliers: [(name: String, scale: Double)] = [
        ("", 1), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ]
    private static let byteUnits: [(name: String, scale: Double)] = [
        ("B", 1), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
    ]

    /// A time with 3 significant digits and its unit: "12.3 µs", "907 ms", "1.00 s", "2.50 min".
    public static func duration(seconds: Double) -> String {
        let (number, unit) = scaled(seconds, units: timeUnits, digits: 3)
        return number + " " + unit
    }

    /// A rate with 3 significant digits and a multiplier: "1.23M events/s", "512 baskets/s".
    public static func rate(_ perSecond: Double, unit: String) -> String {
        let (number, multiplier) = scaled(perSecond, units: multipliers, digits: 3)
        return number + multiplier + " " + unit + "/s"
    }

    /// A size in decimal units with 3 significant digits: "512 B", "1.23 kB", "45.6 MB".
    public static func bytes(_ count: Double) -> String {
        // Whole bytes below 1 kB: "512 B", not "512.0 B" or "0.512 kB".
        if count.isFinite && abs(count.rounded()) < 1000 { return number(count.rounded(), digits: 3) + " B" }
        let (number, unit) = scaled(count, units: byteUnits, digits: 3)
        return number + " " + unit
    }

    /// A size in decimal units (see ``bytes(_:)-(Double)``).
    public static func bytes(_ count: Int) -> String { bytes(Double(count)) }

    /// A data rate in decimal units: "45.6 MB/s".
    public static func byteRate(_ bytesPerSecond: Double) -> String { bytes(bytesPerSecond) + "/s" }

    /// `value` in the largest unit it reaches, rounded to `digits` significant digits with
    /// trailing zeros kept; a value that rounds up to the next unit's size moves there.
    private static func scaled(_ value: Double, units: [(name: String, scale: Double)], digits: Int) -> (String, String) {
        guard value.isFinite, value != 0 else { return (value == 0 ? "0" : describe(value), units[units.firstIndex { $0.scale == 1 } ?? 0].name) }
        let magnitude = abs(value)
        var index = units.lastIndex { magnitude >= $0.scale } ?? 0
        var current = magnitude
        while true {
            let rounded = roundedValue(current / units[index].scale, digits: digits)
            // The rounded number, not the raw one, decides: 999.7 ms rounds to 1000 ms = 1.00 s.
            if index + 1 < units.count, rounded * units[index].scale >= units[index + 1].scale {
                current = rounded * units[index].scale
                index += 1
                continue
            }
            let text = fixedSignificant(current / units[index].scale, digits: digits)
            return ((value < 0 ? "-" : "") + text, units[index].name)
        }
    }

    // MARK: Counts

    /// A count of things with its noun in the singular or the plural (by default the
    /// singular + "s"): "1 cluster", "3 clusters", "0 blocks", "1 branch", "86 branches".
    public static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }

    // MARK: Measurements

    /// A value with its uncertainty: the uncertainty rounded to 2 significant digits and the
    /// value to the same decimal place ("1.235 ± 0.057", "12350 ± 680"). This is the PDG
    /// convention with two digits always (the PDG's one-digit case for leading digits
    /// 355–949 is not applied, so every uncertainty carries the same relative precision).
    /// Places from 1000 up or below 1e-6 use a common power of ten, so that no run of
    /// zeros poses as digits: "(6.93 ± 0.50)e+07", "(1.20 ± 0.34)e-12".
    /// Without a positive finite uncertainty the value gets 6 significant digits.
    public static func measurement(_ value: Double, uncertainty: Double) -> String {
        guard uncertainty.isFinite, uncertainty > 0, value.isFinite else {
            let error = uncertainty == 0 ? "0" : describe(uncertainty)
            return number(value, digits: 6) + " ± " + error
        }
        let (_, uncertaintyExponent) = decimalDigits(uncertainty, digits: 2)
        let place = uncertaintyExponent - 1  // the uncertainty's last kept digit is 10^place
        if place < -6 || place > 2 {
            // One power of ten for both, from the larger of the two.
            let leading = max(decimalDigits(abs(value) > 0 ? abs(value) : uncertainty, digits: 1).exponent, uncertaintyExponent)
            let inner = measurement(value / power10(leading), uncertainty: uncertainty / power10(leading))
            return "(" + inner + ")e" + exponentText(leading)
        }
        return fixed(value, decimals: max(0, -place), place: place) + " ± " + fixed(uncertainty, decimals: max(0, -place), place: place)
    }

    // MARK: Plain numbers

    /// `x` to `digits` significant digits (trailing zeros dropped): "0.0228", "1.5", "907",
    /// "1234570"; scientific below 1e-4 and from 1e9 on ("1.23e-07", "4.5e+12"); "0" for
    /// zero (also -0), "nan", "inf", "-inf".
    public static func number(_ x: Double, digits: Int = 6) -> String {
        guard x.isFinite else { return describe(x) }
        if x == 0 { return "0" }
        let (mantissa, exponent) = decimalDigits(abs(x), digits: digits)
        let sign = x < 0 ? "-" : ""
        if exponent < -4 || exponent >= 9 {
            var text = String(mantissa)
            while text.count > 1 && text.hasSuffix("0") { text.removeLast() }
            if text.count > 1 { text.insert(".", at: text.index(after: text.startIndex)) }
            return sign + text + "e" + exponentText(exponent)
        }
        var text = placeDigits(mantissa, digits: digits, exponent: exponent)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return sign + text
    }

    /// `x` with exactly `decimals` digits after the point ("0.500", "12.00"); beyond 1e15,
    /// where a Double has no such digits, 15 significant digits instead.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return describe(x) }
        guard abs(x) < 1e15 else { return number(x, digits: 15) }
        return fixed(x, decimals: decimals, place: -decimals)
    }

    /// A fraction as a percentage with `decimals` fixed decimals, so a column of them lines
    /// up ("87.50 %", "100.00 %", "0.03 %"); "–" when it is undefined (NaN, an efficiency
    /// of nothing).
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        fraction.isFinite ? fixed(fraction * 100, decimals: decimals) + " %" : "–"
    }

    // MARK: Digits

    /// The `digits` leading decimal digits of a positive finite `magnitude`, rounded half
    /// away from zero, as an integer, and the decimal exponent of the first one
    /// (`decimalDigits(0.0012345, digits: 3)` is (123, -3)).
    static func decimalDigits(_ magnitude: Double, digits: Int) -> (mantissa: Int64, exponent: Int) {
        let digits = min(max(digits, 1), 17)
        // log10(2) × the binary exponent estimates the decimal one to within one.
        var exponent = Int((Double(magnitude.exponent) * 0.30102999566398120).rounded(.down))
        for _ in 0..<4 {
            let scaled = scale(magnitude, byPowerOf10: digits - 1 - exponent).rounded(.toNearestOrAwayFromZero)
            if scaled >= power10(digits) { exponent += 1; continue }
            if scaled < power10(digits - 1) { exponent -= 1; continue }
            return (Int64(scaled), exponent)
        }
        let scaled = scale(magnitude, byPowerOf10: digits - 1 - exponent).rounded(.toNearestOrAwayFromZero)
        return (Int64(min(scaled, power10(digits) - 1)), exponent)
    }

    /// `x` rounded to `digits` significant digits, as a Double.
    static func roundedValue(_ x: Double, digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let (mantissa, exponent) = decimalDigits(abs(x), digits: digits)
        let value = scale(Double(mantissa), byPowerOf10: exponent - (digits - 1))
        return x < 0 ? -value : value
    }

    /// A positive finite value to `digits` significant digits in positional notation with
    /// trailing zeros kept ("1.00", "907", "0.0123").
    private static func fixedSignificant(_ magnitude: Double, digits: Int) -> String {
        let (mantissa, exponent) = decimalDigits(magnitude, digits: digits)
        return placeDigits(mantissa, digits: digits, exponent: exponent)
    }

    /// The digits of `mantissa` (`digits` of them, the first at 10^exponent) written out with
    /// a decimal point where it belongs, zeros filling in on either side.
    private static func placeDigits(_ mantissa: Int64, digits: Int, exponent: Int) -> String {
        var text = String(mantissa)
        text = String(repeating: "0", count: max(0, digits - text.count)) + text
        let decimals = digits - 1 - exponent
        if decimals <= 0 { return text + String(repeating: "0", count: -decimals) }
        if text.count <= decimals { text = String(repeating: "0", count: decimals - text.count + 1) + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
        return text
    }

    /// `x` rounded to a multiple of 10^place, written with `decimals` digits after the point.
    private static func fixed(_ x: Double, decimals: Int, place: Int) -> String {
        let units = scale(abs(x), byPowerOf10: -place).rounded(.toNearestOrAwayFromZero)
        guard units < 9e15 else { return number(x, digits: 15) }
        let sign = x < 0 && units != 0 ? "-" : ""
        let digits = String(Int64(units))
        if place >= 0 { return sign + (units == 0 ? "0" : digits + String(repeating: "0", count: place)) }
        return sign + placeDigits(Int64(units), digits: max(digits.count, 1), exponent: digits.count - 1 - decimals)
    }

    /// "+07", "-12", "+300": the exponent as C's %e writes it.
    private static func exponentText(_ exponent: Int) -> String {
        let digits = String(abs(exponent))
        return (exponent < 0 ? "-" : "+") + (digits.count < 2 ? "0" + digits : digits)
    }

    /// "nan", "inf", "-inf" (and Swift's shortest round-trip text for anything else).
    private static func describe(_ x: Double) -> String { x.isNaN ? "nan" : x.description }

    /// 10^k, exact for |k| ≤ 22 (parsed from decimal text, which rounds correctly).
    static func power10(_ k: Int) -> Double { Double("1e\(k)")! }

    /// x × 10^k in two steps so neither factor overflows for subnormal or huge x; dividing
    /// by an exact 10^-k is more accurate than multiplying by an inexact 10^k.
    private static func scale(_ x: Double, byPowerOf10 k: Int) -> Double {
        let half = k / 2, rest = k - half
        func apply(_ x: Double, _ k: Int) -> Double { k >= 0 ? x * power10(k) : x / power10(-k) }
        return apply(apply(x, half), rest)
    }
}
