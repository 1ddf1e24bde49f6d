import _Differentiation
import Foundation

extension Model {
    /// Expected counts per main bin at parameters `p` (channels sorted by name):
    /// Σ_samples (nominal + Σ histosys shifts) × Π multiplicative factors.
    ///
    /// Differentiable in `p`, which is how ``nllAndGradient(_:data:)`` gets exact gradients.
    ///
    /// ```swift
    /// let yields = model.expectedMain(ParameterVector(model.inits))
    /// ```
    @differentiable(reverse, wrt: p)
    public func expectedMain(_ p: ParameterVector) -> [Double] {
        // Per-sample scalar factor (normfactor, lumi, normsys) first: it is shared by the
        // sample's bins, so it is computed and differentiated once.
        var scale: [Double] = []
        for k in 0..<withoutDerivative(at: samples.count) {
            let sample = samples[k]
            var f = 1.0
            for j in 0..<withoutDerivative(at: sample.scalarFactors.count) { f = f * p[sample.scalarFactors[j]] }
            for j in 0..<withoutDerivative(at: sample.normsys.count) {
                f = f * sample.normsysInterpolators[j].factor(p[sample.normsys[j]])
            }
            scale.append(f)
        }
        var out: [Double] = []
        for c in 0..<withoutDerivative(at: channels.count) {
            let ids = channelSamples[c]
            for b in 0..<withoutDerivative(at: channels[c].bins.count) {
                var lambda = 0.0
                for k in ids {
                    let sample = samples[k]
                    var y = sample.nominal[b]
                    for j in 0..<withoutDerivative(at: sample.histosys.count) {
                        y = y + sample.histosysInterpolators[j][b].delta(p[sample.histosys[j]])
                    }
                    var f = scale[k]
                    for j in 0..<withoutDerivative(at: sample.binFactors.count) { f = f * p[sample.binFactors[j] + b] }
                    lambda = lambda + y * f
                }
                out.append(lambda)
            }
        }
        return out
    }

    /// The part of −ln L that depends on the parameters (constants dropped), differentiable.
    @differentiable(reverse, wrt: p)
    func variableNLL(_ p: ParameterVector, main: [Double], aux: [Double]) -> Double {
        let lambda = expectedMain(p)
        var total = 0.0
        for b in 0..<withoutDerivative(at: main.count) {
            // A bin with n = 0 contributes only λ (0·ln λ is 0, as scipy's xlogy defines it).
            if main[b] > 0 { total = total + lambda[b] - main[b] * log(lambda[b]) } else { total = total + lambda[b] }
        }
        let table = constraints
        for j in 0..<withoutDerivative(at: table.gaussianIndex.count) {
            let i = table.gaussianIndex[j]
            let r = (aux[i] - p[i]) / table.gaussianSigma[j]
            total = total + 0.5 * r * r
        }
        for j in 0..<withoutDerivative(at: table.poissonIndex.count) {
            let i = table.poissonIndex[j]
            let rate = p[i] * table.poissonFactor[j]
            total = total + rate - aux[i] * log(rate)
        }
        return total
    }

    /// The parameter-independent part of −ln L: the Poisson and Gaussian normalisations.
    func constantNLL(_ data: ModelData) -> Double {
        var c = 0.0
        for n in data.main { c += lgamma(n + 1) }
        for s in constraints.gaussianSigma { c += 0.5 * log(2 * Double.pi) + log(s) }
        for i in constraints.poissonIndex { c += lgamma(data.aux[i] + 1) }
        return c
    }

    /// −ln L(p): Poisson terms of the main bins plus the constraint terms, with every
    /// normalisation constant, exactly as pyhf's `-model.logpdf(p, data)`.
    ///
    /// ```swift
    /// let nll = model.nll(model.inits, data: data)
    /// ```
    public func nll(_ p: [Double], data: ModelData) -> Double {
        variableNLL(ParameterVector(p), main: data.main, aux: data.aux) + constantNLL(data)
    }

    /// −ln L and its gradient by reverse-mode automatic differentiation.
    ///
    /// ```swift
    /// let (value, gradient) = model.nllAndGradient(p, data: data)
    /// ```
    public func nllAndGradient(_ p: [Double], data: ModelData) -> (value: Double, gradient: [Double]) {
        let (v, g) = valueWithGradient(at: ParameterVector(p)) { variableNLL($0, main: data.main, aux: data.aux) }
        return (v + constantNLL(data), g.dense(count: p.count))
    }

    /// Expected main counts and the auxiliary data the parameters predict (θ for Gaussian,
    /// θ·τ for Poisson constraints): pyhf's `expected_data`, used to build Asimov data.
    public func expectedData(_ p: [Double]) -> ModelData {
        var aux = auxdata
        for (j, i) in constraints.gaussianIndex.enumerated() { _ = j; aux[i] = p[i] }
        for (j, i) in constraints.poissonIndex.enumerated() { aux[i] = p[i] * constraints.poissonFactor[j] }
        return ModelData(main: expectedMain(ParameterVector(p)), aux: aux)
    }
}
