import KaonIO

extension Model {
    /// The same model with some parameters held constant (index → value): they become fixed
    /// parameters whose initial value is the given one, so that every fit of the model — free
    /// or conditional, in hypothesis tests, Asimov data, limits and rankings — keeps them
    /// there, as pyhf's `fixed_params` together with `init_pars` do.
    ///
    /// ```swift
    /// let model = try Model(workspace: ws).holding([lumiIndex: 1])
    /// let r = try model.hypotest(mu: 1, data: data)   // lumi held at 1 in all four fits
    /// ```
    ///
    /// - Throws: `KaonError(.usage)` when an index is out of range or a value lies outside
    ///   the parameter's bounds (a fit could not start there).
    public func holding(_ values: [Int: Double]) throws -> Model {
        var held = self
        let names = parameterNames, bounds = bounds
        for (index, value) in values {
            guard names.indices.contains(index) else {
                throw KaonError(.usage, "no parameter number \(index) (the model has \(names.count))")
            }
            guard value.isFinite, bounds[index].contains(value) else {
                throw KaonError(.usage, "parameter '\(names[index])' cannot be held at \(value): outside its bounds [\(bounds[index].lowerBound), \(bounds[index].upperBound)]")
            }
            guard let s = held.parameterSets.firstIndex(where: { $0.offset <= index && index < $0.offset + $0.count }) else { continue }
            held.parameterSets[s].inits[index - held.parameterSets[s].offset] = value
            held.parameterSets[s].fixed[index - held.parameterSets[s].offset] = true
        }
        return held
    }
}
