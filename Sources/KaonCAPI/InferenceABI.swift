import KaonInference
import KaonIO

/// The object behind a `kaon_workspace_open` handle: the model of a pyhf workspace (with any
/// held parameters already held) and its observed data.
final class OpenWorkspace {
    let model: Model
    let data: ModelData
    init(model: Model, data: ModelData) {
        self.model = model
        self.data = data
    }
}

/// Builds the model of the pyhf JSON workspace `workspace` (the text) and stores a handle in
/// `handle` (released with `kaon_workspace_free`). `options` is a JSON object (or null):
/// `patches` (RFC 6902 patches or pyhf patchsets, applied in order), `patch_name` (the patch
/// of a patchset), `measurement` (default the first), `fix` ({parameter: value}, held in every
/// fit, as pyhf's fixed_params), `normsys` (`code1`/`code4`) and `histosys`
/// (`code0`/`code4p`), with pyhf's defaults code4 and code4p.
@_cdecl("kaon_workspace_open")
public func kaonWorkspaceOpen(_ workspace: UnsafePointer<CChar>, _ options: UnsafePointer<CChar>?,
                              _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                              _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let settings = try options.map { try JSONValue.parse(String(cString: $0)) } ?? .null
        let patchName = settings["patch_name"]?.string
        let patches = try (settings["patches"]?.array ?? []).map { try JSONPatch(json: $0, patchName: patchName) }
        let ws = try Workspace(text: String(cString: workspace), patches: patches)
        func code(_ key: String, _ fallback: InterpolationCode, _ allowed: [InterpolationCode]) throws -> InterpolationCode {
            guard let text = settings[key]?.string else { return fallback }
            guard let code = InterpolationCode(rawValue: text), allowed.contains(code) else {
                throw KaonError(.usage, "\(key)=\(text) is not one of \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            return code
        }
        let interpolation = InterpolationSettings(normsys: try code("normsys", .code4, [.code1, .code4]),
                                                  histosys: try code("histosys", .code4p, [.code0, .code4p]))
        let model: Model
        do {
            model = try Model(workspace: ws, measurement: settings["measurement"]?.string, interpolation: interpolation)
        } catch let missing as POINotInModel {
            throw KaonError(.notFound, "\(missing): is the signal added by a patch (patches=[…])?")
        }
        var held: [Int: Double] = [:]
        if case .object(let members) = settings["fix"] ?? .null {
            for (name, value) in members {
                guard let index = model.parameterIndex(name) else { throw KaonError(.usage, "fix: the model has no parameter \(name)") }
                guard let number = value.number else { throw KaonError(.usage, "fix: \(name) is given \(value.text), not a number") }
                held[index] = number
            }
        }
        let heldModel = try model.holding(held)
        handle.pointee = Handle.retained(OpenWorkspace(model: heldModel, data: try ws.data(for: heldModel)))
    }
}

@_cdecl("kaon_workspace_free")
public func kaonWorkspaceFree(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}

/// The model's parameters as JSON: `parameters` (names, in the order of every parameter
/// array), `poi`, `poi_index`, `inits`, `bounds` ([lo, hi] each), `fixed`, `channels`
/// ({name, bins} each) and `observed` (the main data, channel after channel).
@_cdecl("kaon_workspace_json")
public func kaonWorkspaceJSON(_ handle: UnsafeMutableRawPointer, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                              _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let workspace = Handle.borrow(handle, as: OpenWorkspace.self)
        let model = workspace.model
        let document = JSONValue.object([
            ("parameters", .array(model.parameterNames.map(JSONValue.string))), ("poi", .string(model.parameterNames[model.poiIndex])),
            ("poi_index", .integer(Int64(model.poiIndex))), ("inits", numbersJSON(model.inits)),
            ("bounds", .array(model.bounds.map { numbersJSON([$0.lowerBound, $0.upperBound]) })),
            ("fixed", .array(model.fixed.map(JSONValue.bool))),
            ("channels", .array(model.channels.map { .object([("name", .string($0.name)), ("bins", .integer(Int64($0.bins.count)))]) })),
            ("observed", numbersJSON(workspace.data.main)),
        ])
        json.pointee = newCString(document.text)
    }
}

func numbersJSON(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }

/// A maximum-likelihood fit to the observed data, as `kaon fit --json` prints it: `nll`,
/// `twice_nll`, `converged`, `iterations`, `parameters` (best-fit values), `uncertainties`
/// and `correlations` (empty without `uncertainties`). `poiValue` not NaN holds the POI
/// there (a conditional fit).
@_cdecl("kaon_workspace_fit")
public func kaonWorkspaceFit(_ handle: UnsafeMutableRawPointer, _ uncertainties: Int32, _ poiValue: Double,
                             _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                             _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let workspace = Handle.borrow(handle, as: OpenWorkspace.self)
        let model = workspace.model
        let fixing = poiValue.isNaN ? [:] : [model.poiIndex: poiValue]
        let result = try model.fit(data: workspace.data, fixing: fixing, uncertainties: uncertainties != 0)
        json.pointee = newCString(JSONValue.object([
            ("nll", .number(result.nll)), ("twice_nll", .number(2 * result.nll)), ("converged", .bool(result.converged)),
            ("iterations", .integer(Int64(result.iterations))), ("parameters", numbersJSON(result.parameters)),
            ("uncertainties", numbersJSON(result.uncertainties)), ("correlations", .array(result.correlations.map(numbersJSON))),
        ]).text)
    }
}

/// The asymptotic hypothesis test of POI value `mu` with `statistic` (`qtilde`, `q`, `q0`),
/// as `kaon cls --json`: `CLs_obs`, `CLs_exp` (−2σ … +2σ), `CLsb`, `CLb`, `qmu`, `qmu_A`.
@_cdecl("kaon_workspace_cls")
public func kaonWorkspaceCLs(_ handle: UnsafeMutableRawPointer, _ mu: Double, _ statistic: UnsafePointer<CChar>,
                             _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                             _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let workspace = Handle.borrow(handle, as: OpenWorkspace.self)
        let name = String(cString: statistic)
        guard let testStatistic = TestStatistic(rawValue: name) else {
            throw KaonError(.usage, "test statistic \(name) is not one of \(TestStatistic.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let model = workspace.model
        let bounds = model.bounds[model.poiIndex]
        guard testStatistic == .q0 || bounds.contains(mu) else {
            throw KaonError(.usage, "the tested POI value \(mu) is outside the bounds [\(bounds.lowerBound), \(bounds.upperBound)] of \(model.parameterNames[model.poiIndex])")
        }
        let r = try model.hypotest(mu: testStatistic == .q0 ? 0 : mu, data: workspace.data, statistic: testStatistic)
        json.pointee = newCString(JSONValue.object([
            ("CLs_obs", .number(r.cls)), ("CLs_exp", numbersJSON(r.expected)), ("CLsb", .number(r.clsb)), ("CLb", .number(r.clb)),
            ("qmu", .number(r.statistic)), ("qmu_A", .number(r.asimovStatistic)),
        ]).text)
    }
}

/// Observed and expected (−2σ … +2σ) upper limits on the POI at CL 1 − `alpha` by root
/// finding (`Model.upperLimit`), with `relativeTolerance` on the limit: `observed`, `expected`,
/// and every tested POI value with its observed and expected CLs (`tested`).
@_cdecl("kaon_workspace_limit")
public func kaonWorkspaceLimit(_ handle: UnsafeMutableRawPointer, _ alpha: Double, _ relativeTolerance: Double,
                               _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                               _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let workspace = Handle.borrow(handle, as: OpenWorkspace.self)
        guard alpha > 0 && alpha < 1 else { throw KaonError(.usage, "alpha=\(alpha) must lie in (0, 1)") }
        let limit = try workspace.model.upperLimit(data: workspace.data, alpha: alpha, relativeTolerance: relativeTolerance)
        json.pointee = newCString(JSONValue.object([
            ("observed", .number(limit.observed)), ("expected", numbersJSON(limit.expected)), ("alpha", .number(limit.alpha)),
            ("tested", .array(limit.tests.map { test in
                .object([("mu", .number(test.mu)), ("CLs_obs", .number(test.cls)), ("CLs_exp", numbersJSON(test.expected))])
            })),
        ]).text)
    }
}
