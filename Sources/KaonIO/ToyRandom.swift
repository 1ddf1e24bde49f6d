// Seeded randomness lives in KaonIO, the module every other one builds on, so that toy data
// (KaonExamples), toy fits (KaonInference), benchmarks and tests share one generator.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: a tiny, well-known generator whose output is identical in any language, so
/// toy data (and test data) are reproducible from the seed alone.
///
/// Conforms to `RandomNumberGenerator`, so the standard library's `Double.random(in:using:)`
/// works with it; the ``ToyRandom`` extensions add the distributions toy physics needs.
///
/// ```swift
/// var rng = SplitMix64(state: 42)
/// let u = rng.uniform()            // [0, 1)
/// let m = rng.breitWigner(mean: 91.1876, width: 2.4952)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state.
    public var state: UInt64

    /// A generator seeded with `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    ///
    /// ```swift
    /// if rng.uniform() < 0.3 { … }
    /// ```
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// In 0..<n (0 for n ≤ 1).
    ///
    /// ```swift
    /// let pick = rng.below(6)   // 0...5
    /// ```
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// Distributions for toy Monte Carlo, on any generator.
///
/// Each uses a fixed number of draws per call where it can (inversion), so a toy stays
/// reproducible when unrelated code changes.
public protocol ToyRandom: RandomNumberGenerator {
    /// Uniform in [0, 1).
    mutating func uniform() -> Double
}

extension SplitMix64: ToyRandom {}

extension ToyRandom {
    /// Uniform in [lower, upper).
    ///
    /// ```swift
    /// let phi = rng.uniform(-.pi, .pi)
    /// ```
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// True with probability `p`.
    ///
    /// ```swift
    /// let passesId = rng.bernoulli(0.97)
    /// ```
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Gaussian (Box–Muller, two draws).
    ///
    /// ```swift
    /// let smeared = pt * rng.gaussian(mean: 1, sigma: 0.015)
    /// ```
    public mutating func gaussian(mean: Double = 0, sigma: Double = 1) -> Double {
        let u1 = 1 - uniform()  // (0, 1]: log is finite
        let u2 = uniform()
        return mean + sigma * sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }

    /// Normal-like in [-3, 3), three draws: (u1 + u2 + u3 - 1.5) · 2, mean 0 and standard
    /// deviation 1 (a scaled Irwin–Hall sum), cheap and bounded, for histogram-fill data.
    ///
    /// ```swift
    /// let x = rng.approximateNormal()
    /// ```
    public mutating func approximateNormal() -> Double {
        var sum = 0.0
        for _ in 0..<3 { sum += uniform() }
        return (sum - 1.5) * 2
    }

    /// Exponential with the given mean (inversion).
    ///
    /// ```swift
    /// let zPt = rng.exponential(mean: 10)
    /// ```
    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - uniform()) }

    /// Relativistic-free Breit–Wigner (Cauchy) around `mean` with full width `width`
    /// (inversion), optionally truncated to `range` by redrawing.
    ///
    /// ```swift
    /// let mZ = rng.breitWigner(mean: 91.1876, width: 2.4952, in: 60...120)
    /// ```
    public mutating func breitWigner(mean: Double, width: Double, in range: ClosedRange<Double>? = nil) -> Double {
        while true {
            let x = mean + width / 2 * tan(Double.pi * (uniform() - 0.5))
            if range.map({ $0.contains(x) }) ?? true { return x }
        }
    }

    /// Poisson with mean `mean` (multiplication of uniforms below 30, rounded Gaussian above).
    ///
    /// ```swift
    /// let nJets = rng.poisson(1.5)
    /// ```
    public mutating func poisson(_ mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 30 { return max(0, Int((gaussian(mean: mean, sigma: mean.squareRoot())).rounded())) }
        let limit = exp(-mean)
        var product = uniform()
        var count = 0
        while product > limit {
            product *= uniform()
            count += 1
        }
        return count
    }
}

extension SplitMix64 {
    /// `count` draws of ``ToyRandom/approximateNormal()`` from a generator seeded with `seed`:
    /// the data of the histogram-fill benchmark (benchmarks/hist/run.py makes the same values
    /// with NumPy) and of the histogram tests.
    ///
    /// ```swift
    /// let xs = SplitMix64.approximateNormals(count: 1000, seed: 1)
    /// ```
    public static func approximateNormals(count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(state: seed)
        return (0..<count).map { _ in rng.approximateNormal() }
    }
}
