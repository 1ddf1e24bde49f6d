import Foundation

/// The standard normal CDF Φ.
@inlinable func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// CLs and p-values of one hypothesis test in the asymptotic approximation.
public struct HypoTestResult: Sendable {
    /// The tested POI value.
    public var mu: Double
    /// Observed CLs = CLs+b / CLb (for q₀: the background-only p-value).
    public var cls: Double
    /// Observed CLs+b.
    public var clsb: Double
    /// Observed CLb.
    public var clb: Double
    /// Expected CLs at −2σ, −1σ, median, +1σ, +2σ of the background-only hypothesis,
    /// in increasing order (pyhf's `return_expected_set`).
    public var expected: [Double]
    /// The observed statistic.
    public var statistic: Double
    /// The same statistic on the Asimov data.
    public var asimovStatistic: Double
}

extension Model {
    /// An asymptotic hypothesis test (pyhf's `hypotest(..., calctype="asymptotics")`):
    /// the statistic on the data and on Asimov data (μ′ = 0 for limits, 1 for q₀), mapped to
    /// p-values with the asymptotic formulas (Eqs. 16, 57 and 59 of arXiv:1007.1727).
    ///
    /// ```swift
    /// let r = try model.hypotest(mu: 1, data: data)
    /// print(r.cls, r.expected)   // observed CLs and the ±2σ band
    /// ```
    ///
    /// `asimov` may be passed in when testing several μ on the same data: it does not
    /// depend on μ (it is ``asimovData(poi:data:)`` at 0, or at 1 for q₀), so scans build it once.
    public func hypotest(mu: Double, data: ModelData, statistic: TestStatistic = .qtilde, asimov: ModelData? = nil) throws -> HypoTestResult {
        let q = try testStatistic(statistic, mu: mu, data: data).value
        let asimov = try asimov ?? asimovData(poi: statistic == .q0 ? 1 : 0, data: data)
        let qA = try testStatistic(statistic, mu: mu, data: asimov).value
        return Model.asymptoticPValues(mu: mu, q: q, qA: qA, statistic: statistic)
    }

    /// CLs, CLs+b, CLb and the expected band from the statistic on the data (`q`) and on the
    /// Asimov data (`qA`), with the asymptotic formulas.
    static func asymptoticPValues(mu: Double, q: Double, qA: Double, statistic: TestStatistic) -> HypoTestResult {
        let sq = q.squareRoot(), sqA = qA.squareRoot()
        // The statistic in "shifted normal" form: under s+b it is N(−√qA, 1), under b N(0, 1).
        let t: Double
        if statistic == .qtilde && sq >= sqA && sqA > 0 {
            t = (q - qA) / (2 * sqA)
        } else {
            t = sq - sqA
        }
        func pvalues(_ t: Double) -> (clsb: Double, clb: Double, cls: Double) {
            let clsb = normalCDF(-(t + sqA))
            let clb = normalCDF(-t)
            return (clsb, clb, clsb / clb)
        }
        let obs = pvalues(t)
        // Expected: the background-only median shifted by nσ.
        let shifts = [2.0, 1, 0, -1, -2]
        if statistic == .q0 {
            return HypoTestResult(mu: mu, cls: obs.clsb, clsb: obs.clsb, clb: obs.clb, expected: shifts.map { pvalues($0).clsb }, statistic: q, asimovStatistic: qA)
        }
        return HypoTestResult(mu: mu, cls: obs.cls, clsb: obs.clsb, clb: obs.clb, expected: shifts.map { pvalues($0).cls }, statistic: q, asimovStatistic: qA)
    }

    /// Discovery significance from q₀: observed Z = √q₀ and the expected Z from the Asimov
    /// data with μ = 1.
    ///
    /// ```swift
    /// let (observed, expected) = try model.discoverySignificance(data: data)
    /// ```
    public func discoverySignificance(data: ModelData) throws -> (observed: Double, expected: Double, pValue: Double) {
        let r = try hypotest(mu: 0, data: data, statistic: .q0)
        return (r.statistic.squareRoot(), r.asimovStatistic.squareRoot(), normalCDF(-r.statistic.squareRoot()))
    }

    /// Upper limits on the POI at confidence level 1 − `alpha`: CLs is computed on `scan` and
    /// the crossing of `alpha` found by linear interpolation (as pyhf's scan-based
    /// `upper_limit`). Returns the observed and the five expected limits (−2σ … +2σ), with
    /// the scan's results. A limit the scan never reaches is NaN (widen the scan), rather
    /// than the scan's end point.
    ///
    /// ```swift
    /// let limit = try model.upperLimit(data: data, scan: stride(from: 0.1, through: 5, by: 0.1).map { $0 })
    /// ```
    public func upperLimit(data: ModelData, scan: [Double], alpha: Double = 0.05) throws -> (observed: Double, expected: [Double], results: [HypoTestResult]) {
        let asimov = try asimovData(poi: 0, data: data)
        let results = try scan.map { try hypotest(mu: $0, data: data, asimov: asimov) }
        func crossing(_ values: [Double]) -> Double {
            for k in 1..<values.count where (values[k - 1] - alpha) * (values[k] - alpha) <= 0 {
                let (a, b) = (values[k - 1], values[k])
                return a == b ? scan[k] : scan[k - 1] + (alpha - a) / (b - a) * (scan[k] - scan[k - 1])
            }
            return .nan
        }
        let observed = crossing(results.map(\.cls))
        let expected = (0..<5).map { band in crossing(results.map { $0.expected[band] }) }
        return (observed, expected, results)
    }
}
