import KaonIO

/// A HistFactory probability model built from a ``Workspace`` and one of its measurements:
/// the parameters (sorted by name, as pyhf orders them), the main bins (channels sorted by
/// name) and each sample's modifiers compiled into index form for fast, differentiable
/// evaluation.
///
/// ```swift
/// let model = try Model(workspace: ws)
/// let data = try ws.data(for: model)          // observed main counts + auxiliary data
/// let fit = try model.fit(data: data)
/// print(model.parameterNames[model.poiIndex], fit.parameters[model.poiIndex])
/// ```
public struct Model: Sendable {
    /// Parameter sets sorted by name. Settable only here, so that ``holding(_:)`` can fix
    /// parameters of a copy.
    public internal(set) var parameterSets: [ParameterSet]
    /// Channel names (sorted) and their bin ranges in the main-data vector.
    public let channels: [(name: String, bins: Range<Int>)]
    /// Index of the parameter of interest in the parameter vector.
    public let poiIndex: Int
    /// The interpolation codes used.
    public let interpolation: InterpolationSettings
    /// The samples and modifiers compiled into flat index tables.
    let tables: ModelTables
    /// Number of main bins.
    public let mainBinCount: Int
    /// Constraint terms in flat form.
    let constraints: ConstraintTable

    /// Every parameter's name, in vector order.
    public var parameterNames: [String] { parameterSets.flatMap(\.parameterNames) }
    /// Number of parameters.
    public var parameterCount: Int { parameterSets.reduce(0) { $0 + $1.count } }
    /// Initial values of all parameters.
    public var inits: [Double] { parameterSets.flatMap(\.inits) }
    /// Bounds of all parameters.
    public var bounds: [ClosedRange<Double>] { parameterSets.flatMap(\.bounds) }
    /// Which parameters are fixed.
    public var fixed: [Bool] { parameterSets.flatMap(\.fixed) }
    /// Auxiliary data of the constrained parameters, one value per parameter (unused for
    /// unconstrained ones), in vector order.
    public var auxdata: [Double] { parameterSets.flatMap(\.auxdata) }

    /// Index of the parameter called `name` (`"mu"`, `"staterror_SR[2]"`).
    public func parameterIndex(_ name: String) -> Int? { parameterNames.firstIndex(of: name) }

    /// Builds the model for `measurement` (default: the first) of `workspace`.
    public init(workspace: Workspace, measurement: String? = nil, interpolation: InterpolationSettings = InterpolationSettings()) throws {
        self.interpolation = interpolation
        let measurement = try workspace.measurement(named: measurement)
        let channels = workspace.channels.sorted { $0.name < $1.name }
        var binOffset = 0
        var channelRanges: [(name: String, bins: Range<Int>)] = []
        for c in channels {
            let n = c.samples.first?.data.count ?? 0
            channelRanges.append((c.name, binOffset..<binOffset + n))
            binOffset += n
        }
        mainBinCount = binOffset
        self.channels = channelRanges

        // 1. Collect parameter sets with their defaults.
        var sets: [String: ParameterSet] = [:]
        func declare(_ name: String, _ type: String, count: Int, inits: Double, bounds: ClosedRange<Double>, constraint: Constraint, auxdata: [Double], fixed: [Bool]? = nil) throws {
            if let existing = sets[name] {
                guard existing.type == type || (["normsys", "histosys"].contains(existing.type) && ["normsys", "histosys"].contains(type)) else {
                    throw KaonError(.malformed, "modifier '\(name)' is used as both \(existing.type) and \(type)")
                }
                guard existing.count == count else {
                    throw KaonError(.malformed, "modifier '\(name)' has \(existing.count) parameters in one place and \(count) in another")
                }
                return
            }
            sets[name] = ParameterSet(
                name: name, type: type, inits: Array(repeating: inits, count: count), bounds: Array(repeating: bounds, count: count),
                fixed: fixed ?? Array(repeating: false, count: count), auxdata: auxdata, constraint: constraint, offset: 0)
        }
        for (ci, c) in channels.enumerated() {
            let n = channelRanges[ci].bins.count
            // staterror: one set per name, its σ from all samples of the channel carrying it.
            var staterrorNominal: [String: [Double]] = [:]
            var staterrorVariance: [String: [Double]] = [:]
            for s in c.samples {
                for m in s.modifiers {
                    let where_ = "channel '\(c.name)', sample '\(s.name)', modifier '\(m.name)'"
                    switch m.kind {
                    case .normfactor:
                        try declare(m.name, "normfactor", count: 1, inits: 1, bounds: 0...10, constraint: .none, auxdata: [0])
                    case .shapefactor:
                        try declare(m.name, "shapefactor", count: n, inits: 1, bounds: 0...10, constraint: .none, auxdata: Array(repeating: 0, count: n))
                    case .lumi:
                        try declare(m.name, "lumi", count: 1, inits: 1, bounds: 0...10, constraint: .gaussian(sigmas: [1]), auxdata: [1])
                    case .normsys:
                        try declare(m.name, "normsys", count: 1, inits: 0, bounds: -5...5, constraint: .gaussian(sigmas: [1]), auxdata: [0])
                    case .histosys(let hi, let lo):
                        guard hi.count == n, lo.count == n else { throw KaonError(.malformed, "\(where_): hi_data/lo_data need \(n) bins") }
                        try declare(m.name, "histosys", count: 1, inits: 0, bounds: -5...5, constraint: .gaussian(sigmas: [1]), auxdata: [0])
                    case .shapesys(let unc):
                        guard unc.count == n else { throw KaonError(.malformed, "\(where_): needs \(n) uncertainties") }
                        // Bins without yield or uncertainty have no auxiliary measurement: the
                        // parameter is fixed at 1 with τ = 1, as in pyhf.
                        let valid = zip(s.data, unc).map { $0 > 0 && $1 > 0 }
                        let tau = (0..<n).map { valid[$0] ? (s.data[$0] * s.data[$0]) / (unc[$0] * unc[$0]) : 1 }
                        try declare(m.name, "shapesys", count: n, inits: 1, bounds: 1e-10...10, constraint: .poisson(factors: tau), auxdata: tau, fixed: valid.map { !$0 })
                    case .staterror(let unc):
                        guard unc.count == n else { throw KaonError(.malformed, "\(where_): needs \(n) uncertainties") }
                        staterrorNominal[m.name, default: Array(repeating: 0, count: n)] = zip(staterrorNominal[m.name] ?? Array(repeating: 0, count: n), s.data).map(+)
                        staterrorVariance[m.name, default: Array(repeating: 0, count: n)] = zip(staterrorVariance[m.name] ?? Array(repeating: 0, count: n), unc).map { $0 + $1 * $1 }
                    }
                }
            }
            for (name, nominal) in staterrorNominal {
                let variance = staterrorVariance[name]!
                let sigmas = (0..<n).map { nominal[$0] > 0 ? variance[$0].squareRoot() / nominal[$0] : 0 }
                // A bin with zero relative uncertainty has nothing to constrain it: fixed at 1
                // (σ set to 1 only to keep the constant constraint term finite).
                try declare(name, "staterror", count: n, inits: 1, bounds: 1e-10...10, constraint: .gaussian(sigmas: sigmas.map { $0 == 0 ? 1 : $0 }),
                            auxdata: Array(repeating: 1, count: n), fixed: sigmas.map { $0 == 0 })
            }
        }

        // 2. Measurement overrides.
        for setting in measurement.parameters {
            guard var set = sets[setting.name] else { continue }  // pyhf ignores settings of unused parameters
            func check(_ count: Int?, _ field: String) throws {
                if let count, count != set.count {
                    throw KaonError(.malformed, "measurement '\(measurement.name)': parameter '\(setting.name)' \(field) has \(count) values, expected \(set.count)")
                }
            }
            try check(setting.inits?.count, "inits"); try check(setting.bounds?.count, "bounds")
            try check(setting.auxdata?.count, "auxdata"); try check(setting.sigmas?.count, "sigmas")
            if let v = setting.inits { set.inits = v }
            if let v = setting.bounds { set.bounds = v }
            if let v = setting.auxdata { set.auxdata = v }
            if let v = setting.sigmas, case .gaussian = set.constraint { set.constraint = .gaussian(sigmas: v) }
            if let v = setting.fixed { set.fixed = Array(repeating: v, count: set.count) }
            sets[setting.name] = set
        }
        if let lumi = sets["lumi"], measurement.parameters.first(where: { $0.name == "lumi" })?.sigmas == nil {
            _ = lumi
            throw KaonError(.malformed, "measurement '\(measurement.name)': the lumi modifier needs a 'lumi' parameter with auxdata and sigmas")
        }

        // 3. Order by name and assign offsets.
        var ordered = sets.values.sorted { $0.name < $1.name }
        var offset = 0
        for i in ordered.indices {
            ordered[i].offset = offset
            offset += ordered[i].count
        }
        parameterSets = ordered
        guard let poi = ordered.first(where: { $0.name == measurement.poi }) else {
            throw POINotInModel(measurement: measurement.name, poi: measurement.poi)
        }
        guard poi.count == 1 else {
            throw KaonError(.malformed, "measurement '\(measurement.name)': the POI '\(measurement.poi)' has \(poi.count) parameters; it must be a scalar (a normfactor)")
        }
        poiIndex = poi.offset
        let index = Dictionary(uniqueKeysWithValues: ordered.map { ($0.name, $0.offset) })

        // 4. Compile samples.
        var tables = ModelTables(interpolation: interpolation)
        for (ci, c) in channels.enumerated() {
            for s in c.samples { tables.append(s, bins: channelRanges[ci].bins, parameter: index) }
        }
        self.tables = tables
        constraints = ConstraintTable(ordered)
    }
}

extension Workspace {
    /// The observed main counts in the model's bin order followed by the model's auxiliary
    /// data: the input of ``Model/nll(_:data:)`` and the fits.
    public func data(for model: Model) throws -> ModelData {
        var main: [Double] = []
        for (name, _) in model.channels {
            guard let o = observations.first(where: { $0.name == name }) else { throw KaonError(.notFound, "no observation for channel '\(name)'") }
            main += o.data
        }
        return ModelData(main: main, aux: model.auxdata)
    }
}

/// Main-bin counts and auxiliary data, observed or Asimov.
public struct ModelData: Sendable, Equatable {
    /// Counts per main bin (channels sorted by name).
    public var main: [Double]
    /// Auxiliary data per parameter (vector order).
    public var aux: [Double]

    /// Creates data from its parts.
    public init(main: [Double], aux: [Double]) {
        self.main = main
        self.aux = aux
    }
}
