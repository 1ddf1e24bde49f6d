import KaonIO

/// Observed and expected upper limits on the POI, with every hypothesis test behind them.
public struct UpperLimitResult: Sendable {
    /// The observed limit: the POI value where the observed CLs crosses α.
    public var observed: Double
    /// The expected limits at −2σ, −1σ, median, +1σ, +2σ (increasing).
    public var expected: [Double]
    /// The size of the test (0.05 for 95% CL).
    public var alpha: Double
    /// Every POI value tested, in increasing order of the POI. Values tested only for the
    /// expected limits (on the Asimov data) have NaN observed CLs and statistic.
    public var tests: [HypoTestResult]
}

/// Hypothesis tests of several POI values on the same data, sharing what does not depend
/// on the tested value: the Asimov data and the two unconditional fits (to the data and to
/// the Asimov data). Each new POI value then costs two conditional fits instead of five.
///
/// ```swift
/// let tests = try HypothesisTests(model: model, data: data)
/// let r = try tests.test(mu: 1.5)      // same numbers as model.hypotest(mu: 1.5, data: data)
/// ```
public struct HypothesisTests: Sendable {
    /// The model tested.
    public let model: Model
    /// The observed data.
    public let data: ModelData
    /// Background-only Asimov data (POI fixed at 0 in the fit to the data).
    public let asimov: ModelData
    let freeFit: FitResult
    let asimovFreeFit: FitResult

    /// Prepares tests of `model` on `data` with the q̃μ statistic.
    public init(model: Model, data: ModelData) throws {
        self.model = model
        self.data = data
        asimov = try model.asimovData(poi: 0, data: data)
        freeFit = try model.fit(data: data)
        asimovFreeFit = try model.fit(data: asimov)
    }

    /// The asymptotic q̃μ test at `mu`; identical to ``Model/hypotest(mu:data:statistic:asimov:)``.
    public func test(mu: Double) throws -> HypoTestResult {
        let q = try model.testStatistic(.qtilde, mu: mu, data: data, free: freeFit).value
        let qA = try model.testStatistic(.qtilde, mu: mu, data: asimov, free: asimovFreeFit).value
        return Model.asymptoticPValues(mu: mu, q: q, qA: qA, statistic: .qtilde)
    }
}

extension Model {
    /// Upper limits on the POI at confidence level 1 − `alpha` by root finding, as pyhf's
    /// `upper_limit(data, model, scan=None)`: the crossing of CLs = α is located for the
    /// observed CLs and for each expected band separately, each by a bracketing root
    /// finder, reusing every hypothesis test already made.
    ///
    /// The initial bracket is the POI's bounds; its lower end is halved while some CLs is
    /// already below α there and its upper end doubled while some CLs is still above α.
    /// `relativeTolerance` is on the limit (pyhf's default is 1e-4; this default is tighter).
    ///
    /// ```swift
    /// let limit = try model.upperLimit(data: data)
    /// print(limit.observed, limit.expected[2])   // observed and median expected 95% CL limits
    /// ```
    public func upperLimit(data: ModelData, alpha: Double = 0.05, bracket: ClosedRange<Double>? = nil,
                           relativeTolerance: Double = 1e-6) throws -> UpperLimitResult {
        let tests = try HypothesisTests(model: self, data: data)
        // The statistic on the data (q) and on the Asimov data (qA) are cached separately:
        // the expected bands need only qA, so their root finding skips the fits to the data.
        // Each conditional fit starts from the one at the nearest POI value already made.
        var observed: [Double: TestStatisticValue] = [:], asimov: [Double: TestStatisticValue] = [:]
        func statistic(_ mu: Double, _ cache: inout [Double: TestStatisticValue], data: ModelData, free: FitResult) throws -> Double {
            if let v = cache[mu] { return v.value }
            let nearest = cache.min { abs($0.key - mu) < abs($1.key - mu) }?.value.conditional.parameters
            let v = try testStatistic(.qtilde, mu: mu, data: data, free: free, start: nearest)
            cache[mu] = v
            return v.value
        }
        func qA(_ mu: Double) throws -> Double { try statistic(mu, &asimov, data: tests.asimov, free: tests.asimovFreeFit) }
        func q(_ mu: Double) throws -> Double { try statistic(mu, &observed, data: data, free: tests.freeFit) }
        // Band 0 is the observed CLs, 1…5 the expected ones (−2σ … +2σ).
        func value(_ mu: Double, _ band: Int) throws -> Double {
            let a = try qA(mu)
            if band == 0 { return Model.asymptoticPValues(mu: mu, q: try q(mu), qA: a, statistic: .qtilde).cls }
            return Model.asymptoticPValues(mu: mu, q: a, qA: a, statistic: .qtilde).expected[band - 1]
        }
        func allValues(_ mu: Double) throws -> [Double] { try (0..<6).map { try value(mu, $0) } }

        let poiBounds = bounds[poiIndex]
        var lo = bracket?.lowerBound ?? poiBounds.lowerBound
        var hi = bracket?.upperBound ?? poiBounds.upperBound
        guard hi > lo else { throw KaonError(.malformed, "upper limit: empty bracket [\(lo), \(hi)]") }
        var halvings = 0
        while try allValues(lo).contains(where: { $0 < alpha }) {
            guard lo > 0, halvings < 60 else { throw KaonError(.malformed, "upper limit: CLs is below \(alpha) already at the POI's lower bound \(lo)") }
            lo /= 2
            halvings += 1
        }
        var doublings = 0
        while try allValues(hi).contains(where: { $0 > alpha }) {
            guard doublings < 30 else { throw KaonError(.malformed, "upper limit: CLs stays above \(alpha) up to POI = \(hi)") }
            hi = hi > 0 ? 2 * hi : 1
            doublings += 1
        }

        var limits: [Double] = []
        for band in 0..<6 {
            // The tightest bracket the tests made so far give: the points closest to α on
            // either side (as pyhf does).
            var a = lo, b = hi
            var fa = try value(lo, band) - alpha, fb = try value(hi, band) - alpha
            for mu in (band == 0 ? Array(observed.keys) : Array(asimov.keys)) {
                let f = try value(mu, band) - alpha
                if f >= 0 && f < fa { a = mu; fa = f }
                if f < 0 && f > fb { b = mu; fb = f }
            }
            limits.append(try RootFinder.bracketed(a: a, fa: fa, b: b, fb: fb, relativeTolerance: relativeTolerance) { mu in
                try value(mu, band) - alpha
            })
        }
        // Every POI value tested; those tested on the Asimov data only have NaN observed values.
        let ordered = asimov.keys.sorted().map { mu in
            let a = asimov[mu]!.value
            var r = Model.asymptoticPValues(mu: mu, q: observed[mu]?.value ?? a, qA: a, statistic: .qtilde)
            if observed[mu] == nil { (r.cls, r.clsb, r.clb, r.statistic) = (.nan, .nan, .nan, .nan) }
            return r
        }
        return UpperLimitResult(observed: limits[0], expected: Array(limits[1...]), alpha: alpha, tests: ordered)
    }
}

/// A bracketing root finder for a continuous function that changes sign on [a, b]:
/// inverse quadratic / secant steps when they stay well inside the bracket, bisection
/// otherwise (Brent's strategy). Each evaluation may throw (they are hypothesis tests).
enum RootFinder {
    static func bracketed(a: Double, fa: Double, b: Double, fb: Double, relativeTolerance: Double,
                          absoluteTolerance: Double = 1e-12, maxEvaluations: Int = 100,
                          _ f: (Double) throws -> Double) throws -> Double {
        var (a, fa, b, fb) = (a, fa, b, fb)
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa > 0) != (fb > 0) else { throw KaonError(.malformed, "root finding: the bracket [\(a), \(b)] does not change sign") }
        // b is the best estimate, a the previous one, c the point keeping the sign change.
        if abs(fa) < abs(fb) { swap(&a, &b); swap(&fa, &fb) }
        var c = a, fc = fa
        var d = b - a, e = d
        for _ in 0..<maxEvaluations {
            if (fb > 0) == (fc > 0) { c = a; fc = fa; d = b - a; e = d }
            if abs(fc) < abs(fb) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa }
            let tol = 2 * Double.ulpOfOne * abs(b) + 0.5 * max(absoluteTolerance, relativeTolerance * abs(b))
            let m = 0.5 * (c - b)
            if abs(m) <= tol || fb == 0 { return b }
            if abs(e) >= tol && abs(fa) > abs(fb) {
                // Interpolate: secant when only two distinct points, else inverse quadratic.
                var p: Double, q: Double
                let s = fb / fa
                if a == c {
                    p = 2 * m * s
                    q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = m; e = m
                }
            } else {
                d = m; e = m
            }
            a = b; fa = fb
            b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
            fb = try f(b)
        }
        return b
    }
}
