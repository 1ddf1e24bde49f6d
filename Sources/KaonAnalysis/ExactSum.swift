/// A sum of doubles kept exactly, so that adding the same numbers in any grouping gives the
/// same result bit for bit.
///
/// Floating-point addition is not associative: `(a + b) + c` and `a + (b + c)` can differ in
/// the last bit. The analysis engine adds every weight into sums of this type, where the
/// addition is exact integer arithmetic; whether a dataset is processed on one thread or
/// many, in blocks of any size, in one run or as partial runs merged later in any grouping,
/// the exact sum is the same, and so is its rounding to a double (``value``).
///
/// The representation is a fixed-point integer in units of 2⁻¹⁰⁷⁴ (the smallest subnormal),
/// stored as base-2³² digits ("limbs") in `Int64`s over a window of the digit positions in
/// use: adding a double touches three limbs, and the headroom of the `Int64`s lets carries
/// wait until ``normalize()``. Infinities and NaN are kept aside in ordinary arithmetic.
///
/// ```swift
/// var s = ExactSum()
/// s.add(1e16); s.add(1); s.add(-1e16)
/// s.value   // 1.0 (plain doubles give 0)
/// ```
public struct ExactSum: Sendable, Equatable, Hashable {
    /// Global index of `limbs[0]`: limb `i` weighs 2^(32·(low + i) − 1074).
    public private(set) var low: Int
    /// Signed base-2³² digits, least significant first; normalized, all but the last lie in
    /// `0 ..< 2³²`.
    public private(set) var limbs: [Int64]
    /// The non-finite part (±∞ or NaN), summed as doubles; 0 when every term was finite.
    public private(set) var nonFinite: Double
    /// Additions since the last normalization (each moves a limb by less than 2³²).
    private var unnormalized: Int

    static let base: Int64 = 1 << 32
    static let mask: UInt64 = (1 << 32) - 1

    /// Zero.
    public init() {
        low = 0
        limbs = []
        nonFinite = 0
        unnormalized = 0
    }

    /// A sum from its stored parts (as written by ``AnalysisResults/serialized()``).
    ///
    /// ```swift
    /// let copy = ExactSum(low: s.low, limbs: s.limbs, nonFinite: s.nonFinite)   // == s
    /// ```
    public init(low: Int, limbs: [Int64], nonFinite: Double) {
        self.low = low
        self.limbs = limbs
        self.nonFinite = nonFinite
        unnormalized = 1
        normalize()
    }

    /// The sum of `x` alone.
    ///
    /// ```swift
    /// ExactSum(0.1).value   // 0.1
    /// ```
    public init(_ x: Double) {
        self.init()
        add(x)
    }

    /// Whether the sum is exactly zero (no finite or non-finite part).
    ///
    /// ```swift
    /// var s = ExactSum(0.5); s.add(-0.5); s.isZero   // true
    /// ```
    public var isZero: Bool { nonFinite == 0 && limbs.allSatisfy { $0 == 0 } }

    /// Adds `x` exactly.
    ///
    /// ```swift
    /// var s = ExactSum(); s.add(0.1); s.add(0.2)
    /// s.value   // 0.30000000000000004 rounded once from the exact 0.1 + 0.2 of the doubles
    /// ```
    public mutating func add(_ x: Double) {
        if x == 0 { return }
        guard x.isFinite else { nonFinite += x; return }
        let exponentBits = Int(x.exponentBitPattern)
        let mantissa: UInt64 = exponentBits == 0 ? x.significandBitPattern : (x.significandBitPattern | (1 << 52))
        let position = exponentBits == 0 ? 0 : exponentBits - 1  // bit position of the mantissa's lowest bit
        let first = position / 32
        let wide = UInt128(mantissa) << (position % 32)
        // Room for three digits and a carry (usually there already: skip the call).
        if limbs.isEmpty || first < low || first + 3 >= low + limbs.count { reserve(from: first, through: first + 3) }
        let i = first - low
        let d0 = Int64(UInt64(truncatingIfNeeded: wide) & Self.mask)
        let d1 = Int64(UInt64(truncatingIfNeeded: wide >> 32) & Self.mask)
        let d2 = Int64(UInt64(truncatingIfNeeded: wide >> 64))
        let negative = x < 0
        limbs.withUnsafeMutableBufferPointer { digits in
            if negative {
                digits[i] &-= d0; digits[i + 1] &-= d1; digits[i + 2] &-= d2
            } else {
                digits[i] &+= d0; digits[i + 1] &+= d1; digits[i + 2] &+= d2
            }
        }
        unnormalized += 1
        if unnormalized >= 1 << 29 { normalize() }
    }

    /// Adds another exact sum exactly (how partial results merge).
    ///
    /// ```swift
    /// var a = ExactSum(1e16), b = ExactSum(1); a.add(b)   // a.value == 1e16 + 1 exactly rounded
    /// ```
    public mutating func add(_ other: ExactSum) {
        nonFinite += other.nonFinite
        guard !other.limbs.isEmpty else { return }
        reserve(from: other.low, through: other.low + other.limbs.count)
        let offset = other.low - low
        for (k, digit) in other.limbs.enumerated() { limbs[offset + k] += digit }
        // `other` is normalized: its top digit may be as large as ±2³², so normalize now.
        unnormalized = 1
        normalize()
    }

    /// Widens the window to cover global limbs `first...last`.
    private mutating func reserve(from first: Int, through last: Int) {
        if limbs.isEmpty {
            low = first
            limbs = Array(repeating: 0, count: last - first + 1)
            return
        }
        if first < low {
            limbs.insert(contentsOf: Array(repeating: 0, count: low - first), at: 0)
            low = first
        }
        let high = low + limbs.count - 1
        if last > high { limbs.append(contentsOf: Array(repeating: 0, count: last - high)) }
    }

    /// Propagates carries and trims the window, giving one canonical form per value (so equal
    /// sums serialize to equal bytes).
    ///
    /// ```swift
    /// s.normalize()   // before comparing limbs or writing them
    /// ```
    public mutating func normalize() {
        guard unnormalized > 0 else { return }
        unnormalized = 0
        guard !limbs.isEmpty else { return }
        var k = 0
        while k < limbs.count - 1 {
            let carry = limbs[k] >> 32  // floor division by 2³² (arithmetic shift)
            limbs[k] -= carry << 32
            limbs[k + 1] += carry
            k += 1
        }
        // Keep the top digit within ±2³² so that later additions cannot overflow it.
        while limbs[limbs.count - 1] >= Self.base || limbs[limbs.count - 1] < -Self.base {
            let top = limbs.count - 1
            let carry = limbs[top] >> 32
            limbs[top] -= carry << 32
            limbs.append(carry)
        }
        // Trim: a top digit of 0 or -1 folds into the digit below it.
        while limbs.count >= 2 {
            let top = limbs[limbs.count - 1]
            if top == 0 {
                limbs.removeLast()
            } else if top == -1 {
                limbs.removeLast()
                limbs[limbs.count - 1] -= Self.base
            } else {
                break
            }
        }
        var drop = 0
        while drop < limbs.count - 1 && limbs[drop] == 0 { drop += 1 }
        if drop > 0 { limbs.removeFirst(drop); low += drop }
        if limbs.count == 1 && limbs[0] == 0 { limbs = []; low = 0 }
    }

    /// The sum rounded to the nearest double (ties to even), as Python's `math.fsum`.
    ///
    /// ```swift
    /// var s = ExactSum(); for x in [0.1, 0.2, 0.3, -0.6] { s.add(x) }
    /// s.value   // 2.7755575615628914e-17 (the exact sum of those doubles, rounded once)
    /// ```
    public var value: Double {
        if nonFinite != 0 || nonFinite.isNaN { return nonFinite }
        var sum = self
        sum.unnormalized = 1
        sum.normalize()
        guard let top = sum.limbs.last else { return 0 }
        var digits = sum.limbs
        let negative = top < 0
        if negative {
            // Two's complement of the digit string: negate every digit, then carry.
            for k in digits.indices { digits[k] = -digits[k] }
            var k = 0
            while k < digits.count - 1 {
                let carry = digits[k] >> 32
                digits[k] -= carry << 32
                digits[k + 1] += carry
                k += 1
            }
        }
        // The top three digits, with everything below folded into a sticky bit.
        var t = digits.count - 1
        while t > 0 && digits[t] == 0 { t -= 1 }
        func digit(_ k: Int) -> UInt128 { k >= 0 ? UInt128(UInt64(digits[k])) : 0 }
        let wide = digit(t) << 64 | digit(t - 1) << 32 | digit(t - 2)
        var sticky = false
        if t >= 3 { for k in 0..<(t - 2) where digits[k] != 0 { sticky = true; break } }
        let leading = wide.leadingZeroBitCount
        let shifted = wide << leading
        var high = UInt64(truncatingIfNeeded: shifted >> 64)
        if UInt64(truncatingIfNeeded: shifted) != 0 || sticky { high |= 1 }
        // `high`'s lowest bit weighs 2^(32·(low + t − 2) − 1074 + 64 − leading).
        let exponent = 32 * (sum.low + t - 2) - 1074 + 64 - leading
        let magnitude = Double(sign: .plus, exponent: exponent, significand: Double(high))
        return negative ? -magnitude : magnitude
    }
}
