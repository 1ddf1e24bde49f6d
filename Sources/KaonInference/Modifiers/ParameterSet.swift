/// How a parameter set's auxiliary measurement constrains it.
public enum Constraint: Sendable, Equatable {
    /// Free (normfactor, shapefactor).
    case none
    /// Gaussian: aux ~ Normal(θ, σ) (normsys, histosys, lumi, staterror).
    case gaussian(sigmas: [Double])
    /// Poisson: aux ~ Poisson(θ·τ), with τ = (nominal/uncertainty)² per bin (shapesys).
    case poisson(factors: [Double])
}

/// A named group of parameters (one for scalar modifiers, one per bin for shapesys,
/// staterror and shapefactor), with its defaults after measurement overrides.
///
/// Individual parameters are named `name` (scalar) or `name[i]`, as pyhf prints them.
///
/// ```swift
/// let set = model.parameterSets.first { $0.name == "mu" }!
/// print(set.inits, set.bounds, set.offset)   // [1.0] [0.0...10.0] 5
/// ```
public struct ParameterSet: Sendable {
    /// The modifier name.
    public var name: String
    /// The modifier type that created it (`normfactor`, `staterror`, …).
    public var type: String
    /// Initial values.
    public var inits: [Double]
    /// Box bounds used by fits.
    public var bounds: [ClosedRange<Double>]
    /// Parameters held at their initial values in fits.
    public var fixed: [Bool]
    /// Auxiliary data for constrained sets (the observed values of the auxiliary measurement).
    public var auxdata: [Double]
    /// The constraint.
    public var constraint: Constraint
    /// Index of the first parameter in the model's parameter vector.
    public var offset: Int
    /// Number of parameters.
    public var count: Int { inits.count }

    /// Names of the individual parameters.
    public var parameterNames: [String] {
        count == 1 && !["shapesys", "staterror", "shapefactor"].contains(type) ? [name] : (0..<count).map { "\(name)[\($0)]" }
    }
}
