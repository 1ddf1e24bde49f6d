import KaonIO

/// A storage that can be written to and read from UHI JSON
/// (https://uhi.readthedocs.io/en/latest/serialization.html).
///
/// Each field is a nested array over all axes *with* flow bins, in row-major order, as
/// boost-histogram writes `h.view(flow=True)`.
public protocol UHIStorage: Storage {
    /// The named per-cell fields of the storage object (`values`, `variances`, …).
    static func uhiFields(_ cells: [Bin]) -> [(String, [JSONValue])]
    /// Cells from the storage object's flat field arrays.
    static func cells(fromUHI fields: (String) throws -> [Double], count: Int) throws -> [Bin]
}

extension DoubleStorage: UHIStorage {
    public static func uhiFields(_ cells: [Double]) -> [(String, [JSONValue])] {
        [("values", cells.map { .number($0) })]
    }
    public static func cells(fromUHI f: (String) throws -> [Double], count: Int) throws -> [Double] { try f("values") }
}

extension Int64Storage: UHIStorage {
    public static func uhiFields(_ cells: [Int64]) -> [(String, [JSONValue])] {
        [("values", cells.map { .integer($0) })]
    }
    public static func cells(fromUHI f: (String) throws -> [Double], count: Int) throws -> [Int64] {
        try f("values").map { Int64($0) }
    }
}

extension WeightStorage: UHIStorage {
    public static func uhiFields(_ cells: [WeightedSum]) -> [(String, [JSONValue])] {
        [("values", cells.map { .number($0.value) }), ("variances", cells.map { .number($0.variance) })]
    }
    public static func cells(fromUHI f: (String) throws -> [Double], count: Int) throws -> [WeightedSum] {
        let v = try f("values"), s = try f("variances")
        return zip(v, s).map { WeightedSum(value: $0, variance: $1) }
    }
}

extension MeanStorage: UHIStorage {
    /// boost-histogram writes the sample variance (`sumOfDeltasSquared / (count - 1)`).
    public static func uhiFields(_ cells: [Mean]) -> [(String, [JSONValue])] {
        [("counts", cells.map { .number($0.count) }), ("values", cells.map { .number($0.value) }),
         ("variances", cells.map { .number($0.variance) })]
    }
    /// Inverts the variance; a one-entry bin's NaN variance means a zero sum of deltas.
    public static func cells(fromUHI f: (String) throws -> [Double], count: Int) throws -> [Mean] {
        let c = try f("counts"), v = try f("values"), s = try f("variances")
        return (0..<c.count).map { i in
            let sdsq = c[i] == 1 && s[i].isNaN ? 0 : s[i] * (c[i] - 1)
            return Mean(count: c[i], value: v[i], sumOfDeltasSquared: sdsq == 0 ? 0 : sdsq)
        }
    }
}

extension WeightedMeanStorage: UHIStorage {
    public static func uhiFields(_ cells: [WeightedMean]) -> [(String, [JSONValue])] {
        [("sum_of_weights", cells.map { .number($0.sumOfWeights) }),
         ("sum_of_weights_squared", cells.map { .number($0.sumOfWeightsSquared) }),
         ("values", cells.map { .number($0.value) }),
         ("variances", cells.map { .number($0.variance) })]
    }
    public static func cells(fromUHI f: (String) throws -> [Double], count: Int) throws -> [WeightedMean] {
        let w = try f("sum_of_weights"), w2 = try f("sum_of_weights_squared"), v = try f("values"), s = try f("variances")
        return (0..<w.count).map { i in
            let denominator = w[i] - w2[i] / w[i]
            let sdsq = denominator > 0 ? s[i] * denominator : 0
            return WeightedMean(sumOfWeights: w[i], sumOfWeightsSquared: w2[i], value: v[i], sumOfWeightedDeltasSquared: sdsq)
        }
    }
}

extension AnyAxis {
    /// This axis as a UHI axis object (boost-histogram's conventions for `writer_info`).
    public var uhi: JSONValue {
        var members: [(String, JSONValue)]
        var writer: [(String, JSONValue)] = []
        let t = traits
        switch self {
        case .regular(let a):
            members = [("type", .string("regular")), ("lower", .number(a.lower)), ("upper", .number(a.upper)),
                       ("bins", .integer(Int64(a.size))), ("underflow", .bool(t.underflow)),
                       ("overflow", .bool(t.overflow)), ("circular", .bool(false))]
        case .variable(let a):
            members = [("type", .string("variable")), ("edges", .array(a.edges.map { .number($0) })),
                       ("underflow", .bool(t.underflow)), ("overflow", .bool(t.overflow)), ("circular", .bool(false))]
        case .integer(let a):
            members = [("type", .string("regular")), ("lower", .integer(Int64(a.lower))), ("upper", .integer(Int64(a.upper))),
                       ("bins", .integer(Int64(a.size))), ("underflow", .bool(t.underflow)),
                       ("overflow", .bool(t.overflow)), ("circular", .bool(false))]
            writer.append(("orig_type", .string("Integer")))
        case .intCategory(let a):
            members = [("type", .string("category_int")), ("categories", .array(a.categories.map { .integer(Int64($0)) })),
                       ("flow", .bool(t.overflow))]
        case .strCategory(let a):
            members = [("type", .string("category_str")), ("categories", .array(a.categories.map { .string($0) })),
                       ("flow", .bool(t.overflow))]
        case .boolean:
            members = [("type", .string("boolean"))]
        }
        if t.growth { writer.append(("growth", .bool(true))) }
        if !writer.isEmpty { members.append(("writer_info", .object([("boost-histogram", .object(writer))]))) }
        let m = metadata
        var meta: [(String, JSONValue)] = []
        if !m.name.isEmpty { meta.append(("name", .string(m.name))) }
        if !m.label.isEmpty { meta.append(("label", .string(m.label))) }
        if !meta.isEmpty { members.append(("metadata", .object(meta))) }
        return .object(members)
    }

    /// Reads a UHI axis object.
    public init(uhi json: JSONValue) throws {
        func need<T>(_ key: String, _ get: (JSONValue) -> T?) throws -> T {
            guard let v = json[key], let x = get(v) else { throw KaonError(.malformed, "UHI axis: missing or invalid '\(key)'") }
            return x
        }
        let type = try need("type") { $0.string }
        let writer = json["writer_info"]?["boost-histogram"]
        let growth = writer?["growth"]?.bool ?? false
        let meta = AxisMetadata(name: json["metadata"]?["name"]?.string ?? "", label: json["metadata"]?["label"]?.string ?? "")
        switch type {
        case "regular":
            let bins = Int(try need("bins") { $0.integer })
            let under = try need("underflow") { $0.bool }, over = try need("overflow") { $0.bool }
            if writer?["orig_type"]?.string == "Integer" {
                self = .integer(IntegerAxis(lower: Int(try need("lower") { $0.integer }), upper: Int(try need("upper") { $0.integer }),
                                            underflow: under, overflow: over, growth: growth, metadata: meta))
            } else {
                guard bins > 0 else { throw KaonError(.malformed, "UHI regular axis needs bins > 0") }
                self = .regular(RegularAxis(bins: bins, lower: try need("lower") { $0.number }, upper: try need("upper") { $0.number },
                                            underflow: under, overflow: over, growth: growth, metadata: meta))
            }
        case "variable":
            let edges = try need("edges") { $0.array?.compactMap(\.number) }
            guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw KaonError(.malformed, "UHI variable axis needs increasing edges")
            }
            self = .variable(VariableAxis(edges: edges, underflow: try need("underflow") { $0.bool },
                                          overflow: try need("overflow") { $0.bool }, growth: growth, metadata: meta))
        case "category_int":
            let cats = try need("categories") { $0.array?.compactMap(\.integer).map { Int($0) } }
            guard Set(cats).count == cats.count else { throw KaonError(.malformed, "UHI category axis has duplicate categories") }
            self = .intCategory(IntCategoryAxis(categories: cats, growth: growth, overflow: try need("flow") { $0.bool }, metadata: meta))
        case "category_str":
            let cats = try need("categories") { $0.array?.compactMap(\.string) }
            guard Set(cats).count == cats.count else { throw KaonError(.malformed, "UHI category axis has duplicate categories") }
            self = .strCategory(StrCategoryAxis(categories: cats, growth: growth, overflow: try need("flow") { $0.bool }, metadata: meta))
        case "boolean":
            self = .boolean(BooleanAxis(metadata: meta))
        default:
            throw KaonError(.unsupported, "UHI axis type '\(type)' is not supported")
        }
    }
}

extension Histogram where S: UHIStorage {
    /// This histogram as a UHI JSON object, readable by `uhi.io.json` and boost-histogram/hist.
    ///
    /// ```swift
    /// let text = h.uhiJSON.text
    /// // Python: hist.Hist(json.loads(text, object_hook=uhi.io.json.object_hook))
    /// ```
    public var uhiJSON: JSONValue {
        let shape = axes.map(\.extent)
        var storage: [(String, JSONValue)] = [("type", .string(S.uhiType))]
        for (name, flat) in S.uhiFields(bins) { storage.append((name, Self.nest(flat, shape))) }
        var meta: [(String, JSONValue)] = []
        if !metadata.name.isEmpty { meta.append(("name", .string(metadata.name))) }
        if !metadata.label.isEmpty { meta.append(("label", .string(metadata.label))) }
        var members: [(String, JSONValue)] = [
            ("uhi_schema", .integer(1)),
            ("writer_info", .object([("kaon", .object([("version", .string("0.1"))]))])),
            ("axes", .array(axes.map(\.uhi))),
            ("storage", .object(storage)),
        ]
        if !meta.isEmpty { members.append(("metadata", .object(meta))) }
        return .object(members)
    }

    /// Nests a row-major flat array into arrays of arrays following `shape`.
    static func nest(_ flat: [JSONValue], _ shape: [Int]) -> JSONValue {
        guard shape.count > 1 else { return .array(flat) }
        let inner = Array(shape.dropFirst())
        let block = inner.reduce(1, *)
        return .array((0..<shape[0]).map { i in nest(Array(flat[(i * block)..<((i + 1) * block)]), inner) })
    }

    /// Reads a histogram from a UHI JSON object; the storage type must match `S`.
    ///
    /// ```swift
    /// let h = try Histogram<WeightStorage>(uhi: JSONValue.parse(text))
    /// ```
    public init(uhi json: JSONValue) throws {
        guard json["uhi_schema"]?.integer == 1 else { throw KaonError(.malformed, "not a UHI histogram (uhi_schema 1 missing)") }
        guard let axesJSON = json["axes"]?.array, let storage = json["storage"] else {
            throw KaonError(.malformed, "UHI histogram needs 'axes' and 'storage'")
        }
        guard let type = storage["type"]?.string, type == S.uhiType else {
            throw KaonError(.usage, "UHI storage is '\(storage["type"]?.string ?? "?")', expected '\(S.uhiType)'")
        }
        let axes = try axesJSON.map(AnyAxis.init(uhi:))
        let meta = HistogramMetadata(name: json["metadata"]?["name"]?.string ?? "", label: json["metadata"]?["label"]?.string ?? "")
        self.init(axes: axes, metadata: meta)
        let count = cells.count
        if storage["values"] == nil && storage["counts"] == nil && storage["sum_of_weights"] == nil { return }  // structure only
        guard storage["index"] == nil else { throw KaonError(.unsupported, "sparse UHI storage is not supported") }
        let cells = try S.cells(fromUHI: { key in
            guard let v = storage[key] else { throw KaonError(.malformed, "UHI \(type) storage lacks '\(key)'") }
            var flat: [Double] = []
            flat.reserveCapacity(count)
            try Self.flatten(v, into: &flat)
            guard flat.count == count else {
                throw KaonError(.malformed, "UHI storage '\(key)' has \(flat.count) numbers, the axes need \(count)")
            }
            return flat
        }, count: count)
        self.cells = cells
    }

    static func flatten(_ v: JSONValue, into out: inout [Double]) throws {
        switch v {
        case .array(let items): for item in items { try flatten(item, into: &out) }
        case .number(let x): out.append(x)
        case .integer(let i): out.append(Double(i))
        default: throw KaonError(.malformed, "UHI storage arrays must hold numbers")
        }
    }
}

/// Reading and writing UHI JSON files holding one histogram or a dictionary of them.
public enum UHIJSON {
    /// A histogram of whichever storage the JSON names.
    public enum AnyHistogram: Sendable {
        case int(Histogram<Int64Storage>)
        case double(Histogram<DoubleStorage>)
        case weighted(Histogram<WeightStorage>)
        case mean(Histogram<MeanStorage>)
        case weightedMean(Histogram<WeightedMeanStorage>)
    }

    /// Decodes one UHI histogram object of any storage.
    ///
    /// ```swift
    /// if case .weighted(let h) = try UHIJSON.decode(JSONValue.parse(text)) { print(h.values()) }
    /// ```
    public static func decode(_ json: JSONValue) throws -> AnyHistogram {
        switch json["storage"]?["type"]?.string {
        case "int": return .int(try Histogram(uhi: json))
        case "double": return .double(try Histogram(uhi: json))
        case "weighted": return .weighted(try Histogram(uhi: json))
        case "mean": return .mean(try Histogram(uhi: json))
        case "weighted_mean": return .weightedMean(try Histogram(uhi: json))
        case let other: throw KaonError(.unsupported, "UHI storage type '\(other ?? "missing")' is not supported")
        }
    }

    /// A file's text for named histograms (the `histograms.schema.json` dictionary form).
    ///
    /// ```swift
    /// try UHIJSON.file(["pt": hpt.uhiJSON, "eta": heta.uhiJSON]).write(toFile: "out.json", atomically: true, encoding: .utf8)
    /// ```
    public static func file(_ named: [(String, JSONValue)]) -> String { JSONValue.object(named).text }

    /// Every histogram in a file's text (a single histogram is named "").
    public static func histograms(in text: String) throws -> [(String, AnyHistogram)] {
        let json = try JSONValue.parse(text)
        if json["uhi_schema"] != nil { return [("", try decode(json))] }
        guard case .object(let members) = json else { throw KaonError(.malformed, "UHI file must be a JSON object") }
        return try members.map { ($0.0, try decode($0.1)) }
    }
}
