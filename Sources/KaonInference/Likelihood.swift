import _Differentiation
import Foundation

extension Model {
    /// Expected counts per main bin at parameters `p` (channels sorted by name):
    /// Σ_samples (nominal + Σ histosys shifts) × Π multiplicative factors.
    ///
    /// Composed of the vectorised `Primitives` over the model's flat `ModelTables`, so
    /// Swift's reverse-mode AD differentiates it in a handful of array-sized steps; this is how
    /// ``nllAndGradient(_:data:)`` gets exact gradients.
    ///
    /// ```swift
    /// let yields = model.expectedMain(model.inits)
    /// ```
    @differentiable(reverse, wrt: p)
    public func expectedMain(_ p: [Double]) -> [Double] {
        let t = tables
        // Per-sample factors (normfactor, lumi, normsys) are shared by the sample's bins, so
        // they are computed and differentiated once per sample, then spread to its bins.
        let normsysAlpha = Primitives.gather(p, t.normsysParameter)
        let sampleScale = Primitives.multiply(
            Primitives.segmentProduct(Primitives.gather(p, t.scalarParameter), t.scalarSample, count: t.sampleCount),
            Primitives.segmentProduct(Primitives.normsysFactors(normsysAlpha, t.normsys), t.normsysSample, count: t.sampleCount))
        let shifts = Primitives.histosysShifts(Primitives.gather(p, t.histosysParameter), t.histosys)
        let yields = Primitives.add(t.nominal, Primitives.segmentSum(shifts, t.histosysSampleBin, count: t.sampleBinCount))
        let binFactors = Primitives.segmentProduct(Primitives.gather(p, t.binFactorParameter), t.binFactorSampleBin, count: t.sampleBinCount)
        let factors = Primitives.multiply(Primitives.gather(sampleScale, t.sampleOfBin), binFactors)
        return Primitives.segmentSum(Primitives.multiply(yields, factors), t.mainBinOfSampleBin, count: mainBinCount)
    }

    /// The part of −ln L that depends on the parameters (constants dropped), differentiable.
    @differentiable(reverse, wrt: p)
    func variableNLL(_ p: [Double], main: [Double], aux: [Double]) -> Double {
        let c = constraints
        return Primitives.poissonNLL(expectedMain(p), observed: main)
            + Primitives.gaussianConstraintNLL(p, index: c.gaussianIndex, sigma: c.gaussianSigma, aux: aux)
            + Primitives.poissonConstraintNLL(p, index: c.poissonIndex, factor: c.poissonFactor, aux: aux)
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
        variableNLL(p, main: data.main, aux: data.aux) + constantNLL(data)
    }

    /// −ln L and its gradient by reverse-mode automatic differentiation.
    ///
    /// ```swift
    /// let (value, gradient) = model.nllAndGradient(p, data: data)
    /// ```
    public func nllAndGradient(_ p: [Double], data: ModelData) -> (value: Double, gradient: [Double]) {
        let (v, g) = valueWithGradient(at: p) { variableNLL($0, main: data.main, aux: data.aux) }
        return (v + constantNLL(data), Primitives.dense(g, count: p.count))
    }

    /// Expected main counts and the auxiliary data the parameters predict (θ for Gaussian,
    /// θ·τ for Poisson constraints): pyhf's `expected_data`, used to build Asimov data.
    public func expectedData(_ p: [Double]) -> ModelData {
        var aux = auxdata
        for (j, i) in constraints.gaussianIndex.enumerated() { _ = j; aux[i] = p[i] }
        for (j, i) in constraints.poissonIndex.enumerated() { aux[i] = p[i] * constraints.poissonFactor[j] }
        return ModelData(main: expectedMain(p), aux: aux)
    }
}
