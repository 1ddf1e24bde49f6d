import KaonIO

/// A pyhf JSON workspace (schema 1.0.0): channels of samples with modifiers, the observed
/// data per channel, and measurements (the parameter of interest and parameter settings).
///
/// Parsing validates the structure the way pyhf's JSON schema does and every error names the
/// JSON path of the offending value (for example `/channels/0/samples/2/modifiers/1/data`),
/// so that a broken workspace can be fixed without guessing.
///
/// ```swift
/// let ws = try Workspace(json: try JSONValue.parse(text))
/// let model = try Model(workspace: ws)          // the first measurement
/// let fit = try model.fit(data: ws.data(for: model))
/// ```
public struct Workspace: Sendable {
    /// The channels (regions), in file order.
    public var channels: [Channel]
    /// Observed counts, one entry per channel.
    public var observations: [Observation]
    /// Measurements: the parameter of interest and per-parameter settings.
    public var measurements: [Measurement]
    /// The schema version (`"1.0.0"`).
    public var version: String

    /// A region: a name and its samples, all with the same number of bins.
    public struct Channel: Sendable {
        /// The channel name (observations are matched to channels by it).
        public var name: String
        /// The samples.
        public var samples: [Sample]
    }

    /// A process in a channel: nominal yields per bin and its modifiers.
    public struct Sample: Sendable {
        /// The sample name.
        public var name: String
        /// Nominal expected yields per bin.
        public var data: [Double]
        /// The modifiers acting on this sample.
        public var modifiers: [ModifierSpec]
    }

    /// Observed counts of one channel.
    public struct Observation: Sendable {
        /// The channel it belongs to.
        public var name: String
        /// Observed counts per bin.
        public var data: [Double]
    }

    /// A measurement: which parameter is the POI and overrides of parameter settings.
    public struct Measurement: Sendable {
        /// The measurement name.
        public var name: String
        /// The parameter of interest (a normfactor's name, usually).
        public var poi: String
        /// Per-parameter-set overrides.
        public var parameters: [ParameterSetting]
    }

    /// Overrides for one parameter set (pyhf's `measurements[].config.parameters[]`); nil
    /// fields keep the modifier's defaults.
    public struct ParameterSetting: Sendable {
        /// The parameter set (modifier name) it applies to.
        public var name: String
        /// Initial values, one per parameter of the set.
        public var inits: [Double]?
        /// Fit bounds, one per parameter.
        public var bounds: [ClosedRange<Double>]?
        /// Auxiliary data (for `lumi`: the nominal luminosity, usually 1).
        public var auxdata: [Double]?
        /// Gaussian widths (for `lumi`: the relative luminosity uncertainty).
        public var sigmas: [Double]?
        /// Held constant in fits.
        public var fixed: Bool?
    }

    /// Parses and validates a workspace document.
    ///
    /// - Throws: `KaonError(.malformed)` whose message starts with the JSON path of the
    ///   value that breaks the schema.
    public init(json: JSONValue) throws {
        let root = Reader(json, "")
        try root.allowOnly(["channels", "measurements", "observations", "version"])
        channels = try root.member("channels").elements().map { c in
            try c.allowOnly(["name", "samples"])
            let samples = try c.member("samples").elements().map { s in
                try s.allowOnly(["name", "data", "modifiers"])
                return Sample(
                    name: try s.member("name").string(),
                    data: try s.member("data").numbers(),
                    modifiers: try s.member("modifiers").elements().map { try ModifierSpec(reader: $0) })
            }
            let name = try c.member("name").string()
            if let first = samples.first {
                for (i, s) in samples.enumerated() where s.data.count != first.data.count {
                    throw root.error(at: "\(c.path)/samples/\(i)/data", "\(s.data.count) bins, but sample '\(first.name)' of channel '\(name)' has \(first.data.count)")
                }
            }
            return Channel(name: name, samples: samples)
        }
        observations = try root.member("observations").elements().map { o in
            try o.allowOnly(["name", "data"])
            return Observation(name: try o.member("name").string(), data: try o.member("data").numbers())
        }
        measurements = try root.member("measurements").elements().map { m in
            try m.allowOnly(["name", "config"])
            let config = try m.member("config")
            try config.allowOnly(["poi", "parameters"])
            let parameters = try config.member("parameters").elements().map { p in
                try p.allowOnly(["name", "inits", "bounds", "auxdata", "factors", "sigmas", "fixed"])
                return ParameterSetting(
                    name: try p.member("name").string(),
                    inits: try p.optional("inits")?.numbers(),
                    bounds: try p.optional("bounds")?.elements().map { b in
                        let pair = try b.numbers()
                        guard pair.count == 2, pair[0] <= pair[1] else { throw b.error("a bound is [lower, upper] with lower <= upper") }
                        return pair[0]...pair[1]
                    },
                    auxdata: try p.optional("auxdata")?.numbers(),
                    sigmas: try p.optional("sigmas")?.numbers(),
                    fixed: try p.optional("fixed")?.bool())
            }
            return Measurement(name: try m.member("name").string(), poi: try config.member("poi").string(), parameters: parameters)
        }
        version = try root.member("version").string()
        guard version == "1.0.0" else { throw root.error(at: "/version", "unsupported schema version '\(version)' (expected 1.0.0)") }
        guard !measurements.isEmpty else { throw root.error(at: "/measurements", "at least one measurement is required") }
        for (i, c) in channels.enumerated() {
            guard let o = observations.first(where: { $0.name == c.name }) else {
                throw root.error(at: "/channels/\(i)", "channel '\(c.name)' has no observation")
            }
            if let nbins = c.samples.first?.data.count, o.data.count != nbins {
                throw root.error(at: "/observations", "observation '\(o.name)' has \(o.data.count) bins, channel has \(nbins)")
            }
        }
    }

    /// Parses a workspace from JSON text, optionally applying JSON patches first (pyhf
    /// patchsets' `patch` lists, as in `pyhf cls ws.json -p patch.json`).
    ///
    /// ```swift
    /// let ws = try Workspace(text: bkgOnly, patches: [try JSONPatch(text: signalPatch)])
    /// ```
    public init(text: String, patches: [JSONPatch] = []) throws {
        var json = try JSONValue.parse(text)
        for patch in patches { json = try patch.apply(to: json) }
        try self.init(json: json)
    }

    /// The measurement called `name`, or the first one when `name` is nil.
    public func measurement(named name: String? = nil) throws -> Measurement {
        guard let name else { return measurements[0] }
        guard let m = measurements.first(where: { $0.name == name }) else {
            throw KaonError(.notFound, "no measurement '\(name)' (have: \(measurements.map(\.name).joined(separator: ", ")))")
        }
        return m
    }
}

/// Reads a JSON value while remembering its JSON path, so schema errors can point at it.
struct Reader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, _ path: String) {
        self.value = value
        self.path = path
    }

    func error(_ message: String) -> KaonError { error(at: path, message) }
    func error(at path: String, _ message: String) -> KaonError {
        KaonError(.malformed, "workspace \(path.isEmpty ? "/" : path): \(message)")
    }

    func member(_ key: String) throws -> Reader {
        guard case .object = value else { throw error("expected an object") }
        guard let v = value[key] else { throw error("missing required key '\(key)'") }
        return Reader(v, path + "/" + key)
    }

    func optional(_ key: String) throws -> Reader? {
        guard let v = value[key], v != .null else { return nil }
        return Reader(v, path + "/" + key)
    }

    func allowOnly(_ keys: Set<String>) throws {
        guard case .object(let members) = value else { throw error("expected an object") }
        for (k, _) in members where !keys.contains(k) {
            throw error("unexpected key '\(k)' (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func elements() throws -> [Reader] {
        guard let items = value.array else { throw error("expected an array") }
        return items.enumerated().map { Reader($1, path + "/\($0)") }
    }

    func string() throws -> String {
        guard let s = value.string else { throw error("expected a string") }
        return s
    }

    func bool() throws -> Bool {
        guard let b = value.bool else { throw error("expected true or false") }
        return b
    }

    func number() throws -> Double {
        guard let x = value.number else { throw error("expected a number") }
        return x
    }

    func numbers() throws -> [Double] { try elements().map { try $0.number() } }
}
