import KaonIO

/// A maximum-likelihood fit's outcome.
public struct FitResult: Sendable {
    /// Best-fit parameters (vector order, see ``Model/parameterNames``).
    public var parameters: [Double]
    /// −ln L at the best fit.
    public var nll: Double
    /// Uncertainties from the inverse Hessian (0 for fixed parameters); empty unless requested.
    public var uncertainties: [Double]
    /// Correlation matrix; empty unless requested.
    public var correlations: [[Double]]
    /// Whether the minimiser converged.
    public var converged: Bool
    /// Minimiser iterations.
    public var iterations: Int
}

extension Model {
    /// Maximum-likelihood fit to `data` with the model's bounds and fixed parameters; with
    /// `fixing` (index → value) some are held at given values (a conditional fit).
    ///
    /// After the minimiser converges, the fit tries the mirror images of strongly pulled
    /// systematics, singly and in pairs (`lowerMirrorImage`), and restarts from one that is
    /// lower, so it does not stop in the shallower of two mirrored minima.
    ///
    /// ```swift
    /// let free = try model.fit(data: data, uncertainties: true)
    /// let conditional = try model.fit(data: data, fixing: [model.poiIndex: 1.0])
    /// ```
    public func fit(data: ModelData, fixing: [Int: Double] = [:], start: [Double]? = nil, uncertainties: Bool = false) throws -> FitResult {
        var x0 = start ?? inits
        var fixedMask = fixed
        for (i, v) in fixing { x0[i] = v; fixedMask[i] = true }
        let bounds = bounds
        // The minimiser works on x/w, with w each parameter's constraint width (1 when free):
        // a lumi known to 2% and a γ known to 50% then have curvatures of similar size, which
        // is what a quasi-Newton method's initial identity Hessian assumes.
        let w = parameterScales
        func minimise(from start: [Double]) -> Minimiser.Result {
            var r = Minimiser().minimise(start: zip(start, w).map(/), lower: zip(bounds, w).map { $0.lowerBound / $1 },
                                         upper: zip(bounds, w).map { $0.upperBound / $1 }, fixed: fixedMask) { u in
                let (v, g) = nllAndGradient(zip(u, w).map(*), data: data)
                return (v, zip(g, w).map(*))
            }
            r.x = zip(r.x, w).map(*)
            r.gradient = zip(r.gradient, w).map(/)
            return r
        }
        var r = minimise(from: x0)
        // Interpolated systematics make −ln L non-convex: a nuisance parameter can have two
        // minima mirrored about its constraint's centre, and which one a descent method
        // reaches from the nominal start depends on its path (pyhf's SLSQP and this
        // minimiser can part ways on the published sbottom likelihoods). So free
        // Gaussian-constrained parameters are tried at their mirror images, singly and in
        // pairs (`lowerMirrorImage`); a lower value there restarts the fit from it, and the
        // lower minimum is kept.
        for _ in 0..<4 {
            guard let mirror = lowerMirrorImage(of: r.x, value: r.value, fixed: fixedMask, data: data) else { break }
            let retry = minimise(from: mirror)
            guard retry.value.isFinite, retry.value < r.value - 1e-9 * max(1, abs(r.value)) else { break }
            r = retry
        }
        guard r.value.isFinite else { throw KaonError(.malformed, "fit failed: the likelihood is not finite at the minimum") }
        var result = FitResult(parameters: r.x, nll: r.value, uncertainties: [], correlations: [], converged: r.converged, iterations: r.iterations)
        if uncertainties {
            if let c = covariance(r.x, data: data, fixed: fixedMask) {
                result.uncertainties = c.indices.map { max(0, c[$0][$0]).squareRoot() }
                result.correlations = c.indices.map { i in c.indices.map { j in
                    let d = result.uncertainties[i] * result.uncertainties[j]
                    return d > 0 ? c[i][j] / d : (i == j ? 1 : 0)
                } }
            } else {
                throw KaonError(.malformed, "fit: the Hessian at the minimum is singular (an unconstrained direction?)")
            }
        }
        return result
    }

    /// `x` moved to the mirror image that gives the lowest −ln L below `value`, or nil when
    /// none is lower. Candidates: each free Gaussian-constrained parameter reflected about its
    /// constraint's centre (the auxiliary datum, projected into the bounds), the others held;
    /// when no single reflection is lower, pairs of the parameters pulled by more than 1σ (the
    /// twelve largest pulls), since two systematics that act together can have to flip together.
    func lowerMirrorImage(of x: [Double], value: Double, fixed: [Bool], data: ModelData) -> [Double]? {
        let threshold = value - 1e-9 * max(1, abs(value))
        var best: (value: Double, point: [Double])?
        func mirrored(_ i: Int) -> Double { min(max(2 * data.aux[i] - x[i], bounds[i].lowerBound), bounds[i].upperBound) }
        func consider(_ trial: [Double]) {
            let v = nll(trial, data: data)
            if v.isFinite, v < (best?.value ?? threshold) { best = (v, trial) }
        }
        var pulled: [(index: Int, pull: Double)] = []
        for (j, i) in constraints.gaussianIndex.enumerated() where !fixed[i] {
            let pull = abs(x[i] - data.aux[i]) / constraints.gaussianSigma[j]
            // Parameters within a tenth of a σ of the centre have no distinct mirror image.
            guard pull > 0.1 else { continue }
            var trial = x
            trial[i] = mirrored(i)
            consider(trial)
            if pull > 1 { pulled.append((i, pull)) }
        }
        if best == nil {
            let top = pulled.sorted { $0.pull > $1.pull }.prefix(12).map(\.index)
            for a in top.indices {
                for b in top.indices where b > a {
                    var trial = x
                    trial[top[a]] = mirrored(top[a])
                    trial[top[b]] = mirrored(top[b])
                    consider(trial)
                }
            }
        }
        return best?.point
    }

    /// Typical scale of each parameter: the Gaussian σ, 1/√τ for Poisson-constrained ones, 1 for free ones.
    var parameterScales: [Double] {
        var w = [Double](repeating: 1, count: parameterCount)
        for set in parameterSets {
            switch set.constraint {
            case .none: break
            case .gaussian(let sigmas): for i in 0..<set.count where sigmas[i] > 0 { w[set.offset + i] = sigmas[i] }
            case .poisson(let factors): for i in 0..<set.count where factors[i] > 0 { w[set.offset + i] = 1 / factors[i].squareRoot() }
            }
        }
        return w
    }

    /// Asimov data: the expected data of the fit with the POI fixed at `poi` to `data`
    /// (nuisance parameters profiled, auxiliary data set to their fitted values), as pyhf's
    /// `generate_asimov_data` builds it.
    public func asimovData(poi: Double, data: ModelData) throws -> ModelData {
        let f = try fit(data: data, fixing: [poiIndex: poi])
        return expectedData(f.parameters)
    }
}
