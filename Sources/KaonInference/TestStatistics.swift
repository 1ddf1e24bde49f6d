/// The profile-likelihood test statistics of Cowan, Cranmer, Gross and Vitells
/// (arXiv:1007.1727) as pyhf defines them.
public enum TestStatistic: String, Sendable, CaseIterable {
    /// q₀, discovery: 2(NLL(μ=0) − NLL(μ̂)) when μ̂ ≥ 0, else 0.
    case q0
    /// q_μ, upper limits: 2(NLL(μ) − NLL(μ̂)) when μ̂ ≤ μ, else 0.
    case q
    /// q̃_μ: q_μ with μ̂ bounded below at 0 (the POI's lower bound must be 0).
    case qtilde
}

/// The value of a test statistic with the two fits behind it.
public struct TestStatisticValue: Sendable {
    /// The statistic (≥ 0).
    public var value: Double
    /// The fit with the POI free.
    public var free: FitResult
    /// The fit with the POI fixed at the tested value.
    public var conditional: FitResult
}

extension Model {
    /// Evaluates `statistic` at POI value `mu` on `data`.
    ///
    /// ```swift
    /// let q = try model.testStatistic(.qtilde, mu: 1, data: data).value
    /// ```
    ///
    /// `free`, the unconditional fit to `data`, may be passed in when it is already known
    /// (it does not depend on `mu`); `start` is where the conditional fit starts (a nearby
    /// conditional fit's parameters save iterations in scans).
    public func testStatistic(_ statistic: TestStatistic, mu: Double, data: ModelData, free: FitResult? = nil, start: [Double]? = nil) throws -> TestStatisticValue {
        let conditional = try fit(data: data, fixing: [poiIndex: mu], start: start)
        let free = try free ?? fit(data: data)
        let muHat = free.parameters[poiIndex]
        // Numerical noise can make the profile fit a hair better than the free one.
        var t = max(0, 2 * (conditional.nll - free.nll))
        switch statistic {
        case .q0: if muHat < mu { t = 0 }
        case .q, .qtilde: if muHat > mu { t = 0 }
        }
        return TestStatisticValue(value: t, free: free, conditional: conditional)
    }
}
