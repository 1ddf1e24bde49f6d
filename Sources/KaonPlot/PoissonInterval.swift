import Foundation

/// Garwood (central, "exact") Poisson confidence intervals for counts, as
/// `hist.intervals.poisson_interval` computes them and mplhep draws data error bars: for a
/// count n at 68.27 % coverage, [χ²⁻¹(0.1587; 2n)/2, χ²⁻¹(0.8413; 2(n+1))/2]. Weighted
/// counts are scaled as hist does: with s = Σw²/Σw the interval of Σw/s effective counts,
/// multiplied by s.
public enum PoissonInterval {
    /// The one-σ coverage, Φ(1) − Φ(−1).
    public static let oneSigma = 0.682_689_492_137_085_9

    /// The interval (lower, upper) for a bin with contents `value` and variance `variance`.
    /// An empty bin gets lower 0 and the upper limit of a zero count.
    public static func interval(value: Double, variance: Double, coverage: Double = oneSigma) -> (lower: Double, upper: Double) {
        let scale = value.isFinite && value != 0 && variance > 0 ? variance / value : 1
        let counts = Swift.max(0, value / scale)  // a negative sum of weights has the interval of no count
        let lowerP = (1 - coverage) / 2, upperP = (1 + coverage) / 2
        let lower = counts > 0 ? scale * inverseRegularizedGammaP(a: counts, p: lowerP) : 0
        let upper = scale * inverseRegularizedGammaP(a: counts + 1, p: upperP)
        return (lower, upper)
    }

    /// P(a, x) = γ(a, x)/Γ(a), the regularised lower incomplete gamma function: a power series
    /// below x = a + 1, Legendre's continued fraction (modified Lentz) above, where each
    /// converges fast.
    static func regularizedGammaP(a: Double, x: Double) -> Double {
        guard x > 0 else { return 0 }
        let logPrefactor = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return sum * exp(logPrefactor)
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return 1 - exp(logPrefactor) * h
    }

    /// The x with P(a, x) = p, by bisection (P rises monotonically in x): 200 halvings of a
    /// bracket reach the last bit of a Double.
    static func inverseRegularizedGammaP(a: Double, p: Double) -> Double {
        var lo = 0.0, hi = Swift.max(1, a)
        while regularizedGammaP(a: a, x: hi) < p { lo = hi; hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if regularizedGammaP(a: a, x: mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
