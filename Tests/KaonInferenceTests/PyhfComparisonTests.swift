import Foundation
import KaonInference
import KaonIO
import KaonTestSupport
import Testing

/// Hand-made workspaces covering every modifier, computed by Kaon and checked by pyhf in
/// `crosschecks/peers/inference_reference.py` (NLL at fixed points 1e-8 relative, gradients,
/// best fits 1e-4 absolute, CLs 1e-4).
@Suite struct PyhfComparisonTests {
    /// The schema's minimal example: normfactor signal, shapesys (Poisson) background.
    static let minimal = #"""
    {"channels":[{"name":"SR","samples":[
      {"name":"signal","data":[5,10],"modifiers":[{"name":"mu","type":"normfactor","data":null}]},
      {"name":"bkg","data":[50,60],"modifiers":[{"name":"uncorr","type":"shapesys","data":[5,12]}]}]}],
     "observations":[{"name":"SR","data":[53,65]}],
     "measurements":[{"name":"m","config":{"poi":"mu","parameters":[]}}],"version":"1.0.0"}
    """#

    /// Two channels with every modifier type: shared normsys/histosys names, staterror over two
    /// samples, lumi, shapefactor in the control region, a zero-count bin and a fixed parameter.
    static let rich = #"""
    {"channels":[
      {"name":"SR","samples":[
        {"name":"signal","data":[3,8,4],"modifiers":[
          {"name":"mu","type":"normfactor","data":null},
          {"name":"lumi","type":"lumi","data":null},
          {"name":"sig_xsec","type":"normsys","data":{"hi":1.08,"lo":0.93}},
          {"name":"staterror_SR","type":"staterror","data":[0.4,0.6,0.5]}]},
        {"name":"ttbar","data":[20,15,6],"modifiers":[
          {"name":"lumi","type":"lumi","data":null},
          {"name":"mu_tt","type":"normfactor","data":null},
          {"name":"jes","type":"normsys","data":{"hi":1.12,"lo":0.9}},
          {"name":"jes","type":"histosys","data":{"hi_data":[21,16.5,6.2],"lo_data":[19.5,13.8,5.5]}},
          {"name":"staterror_SR","type":"staterror","data":[1.1,0.9,0.8]}]},
        {"name":"fakes","data":[4,2.5,1],"modifiers":[
          {"name":"fake_shape","type":"shapesys","data":[1.5,0.8,0]},
          {"name":"fake_norm","type":"normsys","data":{"hi":1.3,"lo":0.6}}]}]},
      {"name":"CR","samples":[
        {"name":"ttbar","data":[100,80],"modifiers":[
          {"name":"lumi","type":"lumi","data":null},
          {"name":"mu_tt","type":"normfactor","data":null},
          {"name":"jes","type":"histosys","data":{"hi_data":[104,83],"lo_data":[97,78]}},
          {"name":"cr_shape","type":"shapefactor","data":null},
          {"name":"staterror_CR","type":"staterror","data":[3,2.5]}]},
        {"name":"other","data":[10,0],"modifiers":[
          {"name":"other_norm","type":"normsys","data":{"hi":1.2,"lo":0.85}},
          {"name":"staterror_CR","type":"staterror","data":[1,0]}]}]}],
     "observations":[{"name":"SR","data":[27,22,10]},{"name":"CR","data":[108,77]}],
     "measurements":[{"name":"meas","config":{"poi":"mu","parameters":[
       {"name":"lumi","auxdata":[1.0],"sigmas":[0.017],"bounds":[[0.915,1.085]],"inits":[1.0]},
       {"name":"cr_shape","fixed":true,"inits":[1.0,1.0]}]}}],
     "version":"1.0.0"}
    """#

    struct Case {
        var name: String
        var text: String
        var settings: InterpolationSettings
        var cls: [Double]
    }

    static func result(_ c: Case) throws -> JSONValue {
        let ws = try Workspace(text: c.text)
        let model = try Model(workspace: ws, interpolation: c.settings)
        let data = try ws.data(for: model)
        let names = model.parameterNames
        func named(_ values: [Double]) -> JSONValue { .object(zip(names, values).map { ($0, .number($1)) }) }
        // Fixed points: the initial values, and values moved into every interpolation regime
        // (|α| < 1, α > 1, α < −1) with γs off 1.
        var points: [[Double]] = [model.inits]
        for (k, shift) in [0.37, 1.6, -1.45].enumerated() {
            var p = model.inits
            for set in model.parameterSets where !set.fixed.allSatisfy({ $0 }) {
                for i in 0..<set.count where !set.fixed[i] {
                    let j = set.offset + i
                    switch set.type {
                    case "normsys", "histosys": p[j] = shift * (set.name.count % 2 == 0 ? 1 : -0.8)
                    case "lumi": p[j] = 1 + 0.01 * shift
                    default: p[j] = 1 + 0.05 * shift * Double(i + k + 1) / 3
                    }
                }
            }
            points.append(p)
        }
        let pointsJSON: [JSONValue] = points.enumerated().map { k, p in
            let (v, g) = model.nllAndGradient(p, data: data)
            // code0/code1 have a kink at α = 0 (different slopes either side), where a central
            // difference averages the two one-sided derivatives: no gradient check there.
            let smooth = k > 0 || (c.settings.normsys == .code4 && c.settings.histosys == .code4p)
            return .object([("pars", named(p)), ("nll", .number(v)), ("grad", named(g)), ("check_grad", .bool(smooth))])
        }
        let best = try model.fit(data: data)
        var settings: [(String, JSONValue)] = []
        settings.append(("normsys", .object([("interpcode", .string(c.settings.normsys.rawValue))])))
        settings.append(("histosys", .object([("interpcode", .string(c.settings.histosys.rawValue))])))
        // q̃μ at the case's POI values, plus qμ at the first one and the discovery q0 (for which
        // pyhf, like Kaon, reports the background-only p-value in place of CLs).
        let tests = c.cls.map { ($0, TestStatistic.qtilde) } + [(c.cls[0], .q), (0, .q0)]
        let cls: [JSONValue] = try tests.map { mu, statistic in
            let r = try model.hypotest(mu: mu, data: data, statistic: statistic)
            return .object([("mu", .number(mu)), ("test_stat", .string(statistic.rawValue)), ("obs", .number(r.cls)),
                            ("exp", .array(r.expected.map { .number($0) }))])
        }
        return .object([
            ("name", .string(c.name)),
            ("workspace", try JSONValue.parse(c.text)),
            ("modifier_settings", .object(settings)),
            ("points", .array(pointsJSON)),
            ("bestfit", .object([("pars", named(best.parameters)), ("nll", .number(best.nll))])),
            ("cls", .array(cls)),
        ])
    }

    @Test func agreesWithPyhf() throws {
        let cases = [
            Case(name: "minimal", text: Self.minimal, settings: InterpolationSettings(), cls: [0.5, 1, 2]),
            Case(name: "rich code4/code4p", text: Self.rich, settings: InterpolationSettings(), cls: [1, 3]),
            Case(name: "rich code1/code0", text: Self.rich, settings: InterpolationSettings(normsys: .code1, histosys: .code0), cls: [2]),
        ]
        let out = try OutputDirectory(environment: "KAON_INFERENCE_FIXTURES", name: "inference")
        defer { out.removeUnlessKept() }
        let path = out.path + "/inference_results.json"
        try JSONValue.array(cases.map(Self.result)).text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try Peers.run("inference_reference.py", path)
        #expect(run.succeeded, "\(run.failureMessage)")
    }
}
