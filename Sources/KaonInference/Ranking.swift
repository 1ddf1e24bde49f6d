/// The impact of one parameter on the POI: the POI's shift when the parameter is held at
/// its best-fit value ± an uncertainty and everything else is refitted.
public struct RankingEntry: Sendable {
    /// The parameter's name.
    public var name: String
    /// Index in the model's parameter vector.
    public var index: Int
    /// Best-fit value θ̂.
    public var value: Double
    /// Post-fit uncertainty σ̂.
    public var uncertainty: Double
    /// Pre-fit uncertainty σ₀ (0 for unconstrained parameters).
    public var prefitUncertainty: Double
    /// The value the constraint is centred on, θ₀.
    public var nominal: Double
    /// POI shift with the parameter at θ̂ + σ₀ and θ̂ − σ₀ (0 when σ₀ = 0).
    public var prefitUp: Double, prefitDown: Double
    /// POI shift with the parameter at θ̂ + σ̂ and θ̂ − σ̂.
    public var postfitUp: Double, postfitDown: Double
    /// The larger post-fit shift in magnitude: the sort key of a ranking.
    public var postfitImpact: Double { max(abs(postfitUp), abs(postfitDown)) }
    /// The pull (θ̂ − θ₀)/σ₀ (NaN for unconstrained parameters).
    public var pull: Double { prefitUncertainty > 0 ? (value - nominal) / prefitUncertainty : .nan }
}

/// A nuisance-parameter ranking: the nominal fit and one entry per free parameter other
/// than the POI, sorted by decreasing post-fit impact.
public struct Ranking: Sendable {
    /// The nominal (unconditional) fit, with uncertainties.
    public var fit: FitResult
    /// The entries, largest post-fit impact first.
    public var entries: [RankingEntry]
}

extension Model {
    /// Ranks the free parameters by their impact on the POI, with cabinetry's convention
    /// (`cabinetry.fit.ranking`): each parameter in turn is fixed at θ̂ ± σ₀ (pre-fit,
    /// skipped for unconstrained ones) and θ̂ ± σ̂ (post-fit), the others refitted, and the
    /// POI's change from its best fit recorded.
    ///
    /// The refits start from the nominal best fit, so they are quick; four per parameter.
    ///
    /// ```swift
    /// let ranking = try model.ranking(data: data)
    /// for e in ranking.entries.prefix(10) { print(e.name, e.postfitUp, e.postfitDown) }
    /// ```
    public func ranking(data: ModelData, fit nominal: FitResult? = nil) throws -> Ranking {
        let nominal = try nominal ?? fit(data: data, uncertainties: true)
        guard !nominal.uncertainties.isEmpty else { return try ranking(data: data, fit: fit(data: data, uncertainties: true)) }
        let widths = prefitUncertainties, nominalValues = nominalValues, names = parameterNames, fixed = fixed
        let poiHat = nominal.parameters[poiIndex]
        var entries: [RankingEntry] = []
        for i in names.indices where i != poiIndex && !fixed[i] {
            let theta = nominal.parameters[i], sigma = nominal.uncertainties[i], sigma0 = widths[i]
            func impact(_ value: Double) throws -> Double {
                if value == theta { return 0 }
                return try fit(data: data, fixing: [i: value], start: nominal.parameters).parameters[poiIndex] - poiHat
            }
            entries.append(RankingEntry(
                name: names[i], index: i, value: theta, uncertainty: sigma, prefitUncertainty: sigma0, nominal: nominalValues[i],
                prefitUp: try impact(theta + sigma0), prefitDown: try impact(theta - sigma0),
                postfitUp: try impact(theta + sigma), postfitDown: try impact(theta - sigma)))
        }
        entries.sort { $0.postfitImpact > $1.postfitImpact }
        return Ranking(fit: nominal, entries: entries)
    }
}
