/// One constrained parameter's post-fit pull, in units of its pre-fit (constraint) width.
public struct Pull: Sendable {
    /// The parameter's name (`jes`, `staterror_SR[1]`).
    public var name: String
    /// Index in the model's parameter vector.
    public var index: Int
    /// The nominal value θ₀ its constraint is centred on (0 for normsys/histosys, 1 for
    /// lumi, staterror and shapesys with the default auxiliary data).
    public var nominal: Double
    /// The pre-fit width σ₀ of the constraint (Gaussian σ, or 1/√τ for Poisson).
    public var prefitUncertainty: Double
    /// The best-fit value θ̂.
    public var value: Double
    /// The post-fit uncertainty σ̂ (from the Hessian).
    public var uncertainty: Double
    /// (θ̂ − θ₀)/σ₀.
    public var pull: Double { (value - nominal) / prefitUncertainty }
    /// σ̂/σ₀: below 1 when the data constrain the parameter further than its constraint term.
    public var pullUncertainty: Double { uncertainty / prefitUncertainty }
}

extension Model {
    /// Each parameter's pre-fit uncertainty as cabinetry defines it: the constraint width
    /// (Gaussian σ, or 1/√τ for a Poisson constraint), and 0 for unconstrained and fixed ones.
    ///
    /// ```swift
    /// let widths = model.prefitUncertainties   // [0.017, 1, 0, …] for lumi, a normsys, the POI, …
    /// ```
    public var prefitUncertainties: [Double] {
        var w = [Double](repeating: 0, count: parameterCount)
        let fixed = fixed
        for set in parameterSets {
            for i in 0..<set.count where !fixed[set.offset + i] {
                switch set.constraint {
                case .none: break
                case .gaussian(let sigmas): w[set.offset + i] = sigmas[i]
                case .poisson(let factors): w[set.offset + i] = 1 / factors[i].squareRoot()
                }
            }
        }
        return w
    }

    /// The values the constraints are centred on: the auxiliary data for Gaussian
    /// constraints, aux/τ for Poisson ones, the initial value for unconstrained parameters.
    public var nominalValues: [Double] {
        var v = inits
        let aux = auxdata
        for set in parameterSets {
            for i in 0..<set.count {
                switch set.constraint {
                case .none: break
                case .gaussian: v[set.offset + i] = aux[set.offset + i]
                case .poisson(let factors): v[set.offset + i] = aux[set.offset + i] / factors[i]
                }
            }
        }
        return v
    }

    /// Pulls of the constrained, free parameters after `fit` (which must carry
    /// uncertainties), in parameter order; unconstrained and fixed parameters have none.
    ///
    /// ```swift
    /// let fit = try model.fit(data: data, uncertainties: true)
    /// for p in model.pulls(fit) { print(p.name, p.pull, p.pullUncertainty) }
    /// ```
    public func pulls(_ fit: FitResult) -> [Pull] {
        let widths = prefitUncertainties, nominal = nominalValues, names = parameterNames
        return names.indices.filter { widths[$0] > 0 }.map { i in
            Pull(name: names[i], index: i, nominal: nominal[i], prefitUncertainty: widths[i], value: fit.parameters[i],
                 uncertainty: fit.uncertainties.isEmpty ? .nan : fit.uncertainties[i])
        }
    }
}
