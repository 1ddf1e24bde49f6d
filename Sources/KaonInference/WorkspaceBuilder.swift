import KaonIO

/// A histogram's bin contents and sums of squared weights (no flow bins).
///
/// ```swift
/// let h = BinnedCounts(values: [10, 20], sumw2: [4, 9])
/// ```
public struct BinnedCounts: Sendable, Equatable {
    /// Sum of weights per bin.
    public var values: [Double]
    /// Sum of squared weights per bin.
    public var sumw2: [Double]

    /// Creates counts from their parts (`sumw2` defaults to `values`, as for unweighted counts).
    public init(values: [Double], sumw2: [Double]? = nil) {
        self.values = values
        self.sumw2 = sumw2 ?? values
    }
}

/// What a workspace is made of: regions (one histogram each), samples, the POI and the
/// systematic uncertainties, usually read from a small YAML or JSON file:
///
/// ```yaml
/// measurement: meas            # optional (default "measurement")
/// poi: mu                      # the signal's free normalisation factor
/// lumi: 0.017                  # optional: relative luminosity uncertainty on every MC sample
/// regions:
///   - name: SR
///     histogram: mjj           # histogram name in the inputs
///     bins: [2, 10]            # optional: bins 2..<10 of it (0-based, flow bins excluded)
/// samples:
///   - {name: data, data: true}             # the observation
///   - {name: signal, signal: true}         # gets the POI normfactor
///   - {name: ttbar, histogram-sample: tt, normfactors: [mu_tt]}
///   - {name: fakes, staterror: false}
/// systematics:
///   - {name: jes, type: normplusshape, up: jes_up, down: jes_down, samples: [ttbar]}
///   - {name: xsec_sig, type: normsys, up: xsec_up, down: xsec_down, samples: [signal]}
/// ```
///
/// `histogram-sample` (default: the name) is the sample's key in the inputs; `up`/`down` are
/// variation names (the nominal one is `nominal`). `normsys` keeps the variations' overall
/// effect, `histosys` their shape (normalised to the nominal yield), `normplusshape` both.
/// MC samples carry a `staterror_<region>` modifier from √sumw2 unless `staterror: false`.
public struct WorkspaceSpec: Sendable {
    /// A fit region: one channel of the workspace.
    public struct Region: Sendable {
        public var name: String
        /// The histogram filled for this region.
        public var histogram: String
        /// The bins used (0-based, flow bins excluded); nil for all.
        public var bins: Range<Int>?
    }

    /// A sample: data (the observation) or a prediction.
    public struct Sample: Sendable {
        public var name: String
        /// The sample's key in the histogram inputs.
        public var histogramSample: String
        public var isData: Bool
        /// Whether the POI normalisation factor multiplies it.
        public var isSignal: Bool
        /// Whether its MC statistical uncertainty enters the `staterror` modifier.
        public var staterror: Bool
        /// Further free normalisation factors.
        public var normfactors: [String]
    }

    /// How a systematic's up/down variations enter the model.
    public enum SystematicType: String, Sendable {
        /// Overall normalisation only (a normsys with hi/lo = varied/nominal yield).
        case normsys
        /// Shape only (a histosys with the variations scaled to the nominal yield).
        case histosys
        /// Both, under one parameter.
        case normplusshape
    }

    /// A systematic uncertainty from up/down variation histograms.
    public struct Systematic: Sendable {
        public var name: String
        public var type: SystematicType
        /// Variation names of the +1σ and −1σ histograms.
        public var up: String, down: String
        /// Samples affected (nil: every MC sample).
        public var samples: [String]?
        /// Regions affected (nil: every region).
        public var regions: [String]?
    }

    public var measurement: String
    public var poi: String
    /// Relative luminosity uncertainty; nil for no lumi modifier.
    public var lumiUncertainty: Double?
    public var regions: [Region]
    public var samples: [Sample]
    public var systematics: [Systematic]

    /// Reads a spec from its JSON (or YAML converted to JSON) tree; errors name the offending entry.
    public init(json: JSONValue, name: String = "workspace spec") throws {
        func fail(_ path: String, _ message: String) -> KaonError { KaonError(.malformed, "\(path): \(message)", file: name) }
        func checkKeys(_ v: JSONValue, _ allowed: Set<String>, _ path: String) throws {
            guard case .object(let members) = v else { throw fail(path, "expected a mapping") }
            if let bad = members.first(where: { !allowed.contains($0.0) }) {
                throw fail(path, "unknown key '\(bad.0)' (expected \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        func string(_ v: JSONValue, _ key: String, _ path: String) throws -> String {
            guard let s = v[key]?.string, !s.isEmpty else { throw fail(path, "'\(key)' must be a non-empty string") }
            return s
        }
        func strings(_ v: JSONValue?, _ path: String) throws -> [String]? {
            guard let v, v != .null else { return nil }
            guard let a = v.array, a.allSatisfy({ $0.string != nil }) else { throw fail(path, "expected a list of names") }
            return a.compactMap(\.string)
        }
        func flag(_ v: JSONValue, _ key: String, _ path: String, default d: Bool) throws -> Bool {
            guard let x = v[key], x != .null else { return d }
            guard let b = x.bool else { throw fail("\(path).\(key)", "expected true or false") }
            return b
        }
        try checkKeys(json, ["measurement", "poi", "lumi", "regions", "samples", "systematics"], "top level")
        measurement = json["measurement"]?.string ?? "measurement"
        poi = try string(json, "poi", "top level")
        if let l = json["lumi"], l != .null {
            guard let x = l.number, x > 0 else { throw fail("lumi", "expected a positive relative uncertainty") }
            lumiUncertainty = x
        }
        guard let regionList = json["regions"]?.array, !regionList.isEmpty else { throw fail("regions", "expected a non-empty list") }
        regions = try regionList.enumerated().map { k, r in
            let path = "regions[\(k)]"
            try checkKeys(r, ["name", "histogram", "bins"], path)
            var bins: Range<Int>?
            if let b = r["bins"], b != .null {
                guard let a = b.array, a.count == 2, let lo = a[0].integer, let hi = a[1].integer, lo >= 0, hi > lo else {
                    throw fail("\(path).bins", "expected [first, end) with 0 <= first < end")
                }
                bins = Int(lo)..<Int(hi)
            }
            return Region(name: try string(r, "name", path), histogram: try string(r, "histogram", path), bins: bins)
        }
        guard let sampleList = json["samples"]?.array, !sampleList.isEmpty else { throw fail("samples", "expected a non-empty list") }
        samples = try sampleList.enumerated().map { k, s in
            let path = "samples[\(k)]"
            try checkKeys(s, ["name", "histogram-sample", "data", "signal", "staterror", "normfactors"], path)
            let name = try string(s, "name", path)
            let isData = try flag(s, "data", path, default: false)
            return Sample(name: name, histogramSample: s["histogram-sample"]?.string ?? name, isData: isData,
                          isSignal: try flag(s, "signal", path, default: false), staterror: try flag(s, "staterror", path, default: !isData),
                          normfactors: try strings(s["normfactors"], "\(path).normfactors") ?? [])
        }
        guard samples.filter(\.isData).count == 1 else { throw fail("samples", "exactly one sample must have data: true") }
        guard samples.contains(where: \.isSignal) else { throw fail("samples", "no sample has signal: true (the POI's normfactor)") }
        systematics = try (json["systematics"]?.array ?? []).enumerated().map { k, s in
            let path = "systematics[\(k)]"
            try checkKeys(s, ["name", "type", "up", "down", "samples", "regions"], path)
            let typeName = try string(s, "type", path)
            guard let type = SystematicType(rawValue: typeName) else {
                throw fail("\(path).type", "'\(typeName)' is not one of normsys, histosys, normplusshape")
            }
            return Systematic(name: try string(s, "name", path), type: type, up: try string(s, "up", path), down: try string(s, "down", path),
                              samples: try strings(s["samples"], "\(path).samples"), regions: try strings(s["regions"], "\(path).regions"))
        }
        let known = Set(samples.map(\.name)), regionNames = Set(regions.map(\.name))
        for (k, s) in systematics.enumerated() {
            if let bad = s.samples?.first(where: { !known.contains($0) }) { throw fail("systematics[\(k)].samples", "no sample '\(bad)'") }
            if let bad = s.regions?.first(where: { !regionNames.contains($0) }) { throw fail("systematics[\(k)].regions", "no region '\(bad)'") }
        }
    }
}

/// Builds a pyhf JSON workspace (schema 1.0.0) from a ``WorkspaceSpec`` and histograms.
///
/// ```swift
/// let histograms: WorkspaceBuilder.Histograms = [
///     "data": ["mjj": ["nominal": BinnedCounts(values: [12, 9])]],
///     "signal": ["mjj": ["nominal": BinnedCounts(values: [2, 3], sumw2: [0.1, 0.2])]],
///     // …
/// ]
/// let workspace = try WorkspaceBuilder(spec: spec, histograms: histograms).workspace()
/// print(workspace.text)   // pyhf JSON
/// ```
public struct WorkspaceBuilder: Sendable {
    /// sample → histogram → variation (`nominal`, `jes_up`, …) → counts.
    public typealias Histograms = [String: [String: [String: BinnedCounts]]]

    /// The spec.
    public let spec: WorkspaceSpec
    /// The inputs.
    public let histograms: Histograms

    /// A builder for `spec` over `histograms`.
    public init(spec: WorkspaceSpec, histograms: Histograms) {
        self.spec = spec
        self.histograms = histograms
    }

    /// The counts of `sample`'s `variation` in `region`, restricted to the region's bins.
    func counts(_ sample: WorkspaceSpec.Sample, _ region: WorkspaceSpec.Region, _ variation: String) throws -> BinnedCounts {
        guard let byHistogram = histograms[sample.histogramSample] else {
            throw KaonError(.notFound, "no histograms for sample '\(sample.histogramSample)'")
        }
        guard let byVariation = byHistogram[region.histogram] else {
            throw KaonError(.notFound, "sample '\(sample.histogramSample)' has no histogram '\(region.histogram)'")
        }
        guard let h = byVariation[variation] else {
            throw KaonError(.notFound, "sample '\(sample.histogramSample)', histogram '\(region.histogram)' has no variation '\(variation)'")
        }
        guard h.sumw2.count == h.values.count else { throw KaonError(.malformed, "histogram '\(region.histogram)' of '\(sample.histogramSample)': sumw2 and values differ in length") }
        guard let range = region.bins else { return h }
        guard range.upperBound <= h.values.count else {
            throw KaonError(.malformed, "region '\(region.name)': bins \(range.lowerBound)..<\(range.upperBound) exceed the \(h.values.count) bins of '\(region.histogram)'")
        }
        return BinnedCounts(values: Array(h.values[range]), sumw2: Array(h.sumw2[range]))
    }

    /// The workspace as a JSON value (pyhf's schema: channels, observations, measurements, version).
    public func workspace() throws -> JSONValue {
        func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }
        var channels: [JSONValue] = [], observations: [JSONValue] = []
        for region in spec.regions {
            var samples: [JSONValue] = []
            for sample in spec.samples where !sample.isData {
                let nominal = try counts(sample, region, "nominal")
                let total = nominal.values.reduce(0, +)
                var modifiers: [JSONValue] = []
                if sample.isSignal { modifiers.append(.object([("name", .string(spec.poi)), ("type", .string("normfactor")), ("data", .null)])) }
                for f in sample.normfactors { modifiers.append(.object([("name", .string(f)), ("type", .string("normfactor")), ("data", .null)])) }
                if spec.lumiUncertainty != nil { modifiers.append(.object([("name", .string("lumi")), ("type", .string("lumi")), ("data", .null)])) }
                for syst in spec.systematics where (syst.samples?.contains(sample.name) ?? true) && (syst.regions?.contains(region.name) ?? true) {
                    let up = try counts(sample, region, syst.up), down = try counts(sample, region, syst.down)
                    let upTotal = up.values.reduce(0, +), downTotal = down.values.reduce(0, +)
                    guard total > 0, upTotal > 0, downTotal > 0 else {
                        throw KaonError(.malformed, "systematic '\(syst.name)' on '\(sample.name)' in '\(region.name)': a yield is not positive")
                    }
                    if syst.type != .histosys {
                        modifiers.append(.object([("name", .string(syst.name)), ("type", .string("normsys")),
                                                  ("data", .object([("hi", .number(upTotal / total)), ("lo", .number(downTotal / total))]))]))
                    }
                    if syst.type != .normsys {
                        // The shape part: each variation scaled to the nominal yield.
                        modifiers.append(.object([("name", .string(syst.name)), ("type", .string("histosys")), ("data", .object([
                            ("hi_data", numbers(up.values.map { $0 * total / upTotal })),
                            ("lo_data", numbers(down.values.map { $0 * total / downTotal })),
                        ]))]))
                    }
                }
                if sample.staterror {
                    modifiers.append(.object([("name", .string("staterror_\(region.name)")), ("type", .string("staterror")),
                                              ("data", numbers(nominal.sumw2.map { max(0, $0).squareRoot() }))]))
                }
                samples.append(.object([("name", .string(sample.name)), ("data", numbers(nominal.values)), ("modifiers", .array(modifiers))]))
            }
            channels.append(.object([("name", .string(region.name)), ("samples", .array(samples))]))
            let data = spec.samples.first(where: \.isData)!
            observations.append(.object([("name", .string(region.name)), ("data", numbers(try counts(data, region, "nominal").values))]))
        }
        var parameters: [JSONValue] = []
        if let sigma = spec.lumiUncertainty {
            parameters.append(.object([("name", .string("lumi")), ("auxdata", numbers([1])), ("sigmas", numbers([sigma])),
                                       ("bounds", .array([numbers([max(0, 1 - 5 * sigma), 1 + 5 * sigma])])), ("inits", numbers([1]))]))
        }
        return .object([
            ("channels", .array(channels)),
            ("observations", .array(observations)),
            ("measurements", .array([.object([("name", .string(spec.measurement)),
                                              ("config", .object([("poi", .string(spec.poi)), ("parameters", .array(parameters))]))])])),
            ("version", .string("1.0.0")),
        ])
    }
}
