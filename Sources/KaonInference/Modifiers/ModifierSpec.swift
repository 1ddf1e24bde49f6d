import KaonIO

/// One modifier of a sample as the workspace states it: its parameter name and typed data.
///
/// ```swift
/// // {"name": "jes", "type": "normsys", "data": {"hi": 1.1, "lo": 0.9}}
/// if case .normsys(let hi, let lo) = spec.kind { print(hi, lo) }
/// ```
public struct ModifierSpec: Sendable {
    /// The parameter (set) name; modifiers with the same name and type share parameters.
    public var name: String
    /// The modifier type and its data.
    public var kind: Kind

    /// The HistFactory modifier types pyhf supports.
    public enum Kind: Sendable {
        /// Free multiplicative normalisation (unconstrained), default init 1, bounds [0, 10].
        case normfactor
        /// Free per-bin multiplicative factors (unconstrained).
        case shapefactor
        /// Luminosity: a Gaussian-constrained multiplicative factor set by the measurement.
        case lumi
        /// Normalisation systematic: factors at α = +1 (`hi`) and α = −1 (`lo`).
        case normsys(hi: Double, lo: Double)
        /// Shape systematic: yields at α = +1 and α = −1, interpolated additively.
        case histosys(hiData: [Double], loData: [Double])
        /// Uncorrelated per-bin uncertainties with Poisson (Barlow–Beeston) constraints.
        case shapesys([Double])
        /// MC statistical uncertainty per bin, Gaussian, combined over the channel's samples.
        case staterror([Double])

        /// The type string used in JSON.
        public var typeName: String {
            switch self {
            case .normfactor: "normfactor"
            case .shapefactor: "shapefactor"
            case .lumi: "lumi"
            case .normsys: "normsys"
            case .histosys: "histosys"
            case .shapesys: "shapesys"
            case .staterror: "staterror"
            }
        }
    }

    /// Creates a modifier from its parts.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    init(reader r: Reader) throws {
        try r.allowOnly(["name", "type", "data"])
        name = try r.member("name").string()
        let type = try r.member("type").string()
        let data = try r.member("data")
        func requireNull() throws {
            guard data.value == .null else { throw data.error("a \(type) modifier's data must be null") }
        }
        switch type {
        case "normfactor": try requireNull(); kind = .normfactor
        case "shapefactor": try requireNull(); kind = .shapefactor
        case "lumi":
            try requireNull()
            guard name == "lumi" else { throw try r.member("name").error("a lumi modifier must be named 'lumi'") }
            kind = .lumi
        case "normsys":
            try data.allowOnly(["hi", "lo"])
            kind = .normsys(hi: try data.member("hi").number(), lo: try data.member("lo").number())
        case "histosys":
            try data.allowOnly(["hi_data", "lo_data"])
            kind = .histosys(hiData: try data.member("hi_data").numbers(), loData: try data.member("lo_data").numbers())
        case "shapesys": kind = .shapesys(try data.numbers())
        case "staterror": kind = .staterror(try data.numbers())
        default:
            throw try r.member("type").error("unknown modifier type '\(type)' (normfactor, shapefactor, lumi, normsys, histosys, shapesys, staterror)")
        }
    }
}
