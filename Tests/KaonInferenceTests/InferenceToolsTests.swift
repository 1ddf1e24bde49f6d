import Foundation
import KaonInference
import KaonIO
import KaonTestSupport
import Testing

/// Upper limits, the ranking and the workspace builder against pyhf (numpy backend) run in
/// the test, on the schema's minimal workspace and on a builder-made one.
@Suite struct InferenceToolsTests {
    static func minimalModel() throws -> (Model, ModelData) {
        let ws = try Workspace(text: PyhfComparisonTests.minimal)
        let model = try Model(workspace: ws)
        return (model, try ws.data(for: model))
    }

    /// Writes `text` to a temporary file for a peer program; returns its path.
    static func write(_ text: String, _ name: String) throws -> String {
        let path = temporaryPath(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func upperLimitsMatchPyhfRootFinding() throws {
        let (model, data) = try Self.minimalModel()
        let limit = try model.upperLimit(data: data)
        #expect(limit.tests.count < 60, "root finding took \(limit.tests.count) hypothesis tests")
        let ws = try Self.write(PyhfComparisonTests.minimal, "limit-ws.json")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let values = ([limit.observed] + limit.expected).map { String($0) }.joined(separator: ",")
        let run = try Peers.run(code: """
            import json, sys, pyhf
            pyhf.set_backend("numpy")
            w = pyhf.Workspace(json.load(open(sys.argv[1]))); m = w.model(); d = w.data(m)
            lo, hi = m.config.suggested_bounds()[m.config.poi_index]
            obs, exp = pyhf.infer.intervals.upper_limits.toms748_scan(d, m, lo, hi, rtol=1e-8)
            ref = [float(obs)] + [float(e) for e in exp]
            kaon = [float(x) for x in sys.argv[2].split(",")]
            bad = [(k, r) for k, r in zip(kaon, ref) if abs(k - r) > 1e-4 * abs(r)]
            sys.exit(f"limits differ: kaon {kaon} pyhf {ref}" if bad else 0)
            """, ws, values)
        #expect(run.succeeded, "\(run.failureMessage)")
    }

    @Test func rootFinderIsAccurate() throws {
        // A CLs-like falling curve with a known crossing.
        let (model, data) = try Self.minimalModel()
        let limit = try model.upperLimit(data: data, relativeTolerance: 1e-9)
        let at = try model.hypotest(mu: limit.observed, data: data)
        #expect(abs(at.cls - 0.05) < 1e-7, "CLs at the observed limit: \(at.cls)")
        #expect(limit.expected == limit.expected.sorted(), "expected limits increase from −2σ to +2σ")
    }

    @Test func rankingMatchesPyhfRefits() throws {
        let (model, data) = try Self.minimalModel()
        let ranking = try model.ranking(data: data)
        #expect(ranking.entries.map(\.name).sorted() == ["uncorr[0]", "uncorr[1]"])
        let ws = try Self.write(PyhfComparisonTests.minimal, "ranking-ws.json")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let rows = ranking.entries.map { e in
            [String(e.index), String(e.value + e.uncertainty), String(e.postfitUp), String(e.value - e.uncertainty), String(e.postfitDown),
             String(e.value + e.prefitUncertainty), String(e.prefitUp), String(e.value - e.prefitUncertainty), String(e.prefitDown)].joined(separator: ",")
        }.joined(separator: ";")
        let run = try Peers.run(code: """
            import json, sys, numpy as np, pyhf
            pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
            w = pyhf.Workspace(json.load(open(sys.argv[1]))); m = w.model(); d = w.data(m)
            poi = m.config.poi_index
            nominal = pyhf.infer.mle.fit(d, m)[poi]
            bad = []
            for row in sys.argv[2].split(";"):
                v = [float(x) for x in row.split(",")]
                i = int(v[0])
                for value, impact in zip(v[1::2], v[2::2]):
                    init = list(m.config.suggested_init()); init[i] = value
                    fixed = list(m.config.suggested_fixed()); fixed[i] = True
                    ref = pyhf.infer.mle.fit(d, m, init_pars=init, fixed_params=fixed)[poi] - nominal
                    if abs(ref - impact) > 1e-3: bad.append((i, value, impact, float(ref)))
            sys.exit(f"impacts differ: {bad}" if bad else 0)
            """, ws, rows)
        #expect(run.succeeded, "\(run.failureMessage)")
    }

    @Test func pullsUseTheConstraintWidths() throws {
        let (model, data) = try Self.minimalModel()
        let fit = try model.fit(data: data, uncertainties: true)
        let pulls = model.pulls(fit)
        #expect(pulls.map(\.name) == ["uncorr[0]", "uncorr[1]"])
        // shapesys: Poisson with τ = (nominal/uncertainty)², width 1/√τ = 5/50 and 12/60.
        #expect(abs(pulls[0].prefitUncertainty - 0.1) < 1e-15 && abs(pulls[1].prefitUncertainty - 0.2) < 1e-15)
        #expect(abs(pulls[0].pull - (fit.parameters[pulls[0].index] - 1) / 0.1) < 1e-12)
    }

    /// Histograms of a region "SR" (4 bins, the builder uses bins 1..<4) and "CR" (2 bins).
    static let histograms: WorkspaceBuilder.Histograms = [
        "data": ["mjj": ["nominal": BinnedCounts(values: [99, 30, 26, 12])], "ht": ["nominal": BinnedCounts(values: [110, 80])]],
        "sig": ["mjj": ["nominal": BinnedCounts(values: [0.5, 3, 8, 4], sumw2: [0.1, 0.2, 0.5, 0.3]),
                        "xsec_up": BinnedCounts(values: [0.55, 3.3, 8.7, 4.5]), "xsec_down": BinnedCounts(values: [0.47, 2.8, 7.4, 3.7])],
                "ht": ["nominal": BinnedCounts(values: [0.2, 0.1], sumw2: [0.01, 0.01]),
                       "xsec_up": BinnedCounts(values: [0.22, 0.11]), "xsec_down": BinnedCounts(values: [0.18, 0.09])]],
        "tt": ["mjj": ["nominal": BinnedCounts(values: [70, 21, 16, 7], sumw2: [9, 2, 1.5, 1]),
                       "jes_up": BinnedCounts(values: [72, 23, 17.5, 7.4]), "jes_down": BinnedCounts(values: [69, 19.6, 14.8, 6.9])],
               "ht": ["nominal": BinnedCounts(values: [100, 78], sumw2: [10, 8]),
                      "jes_up": BinnedCounts(values: [103, 82]), "jes_down": BinnedCounts(values: [98, 75])]],
    ]

    static let spec = """
        {"poi": "mu", "lumi": 0.02,
         "regions": [{"name": "SR", "histogram": "mjj", "bins": [1, 4]}, {"name": "CR", "histogram": "ht"}],
         "samples": [{"name": "data", "data": true}, {"name": "signal", "histogram-sample": "sig", "signal": true},
                     {"name": "ttbar", "histogram-sample": "tt", "normfactors": ["mu_tt"]}],
         "systematics": [{"name": "jes", "type": "normplusshape", "up": "jes_up", "down": "jes_down", "samples": ["ttbar"]},
                         {"name": "xsec", "type": "normsys", "up": "xsec_up", "down": "xsec_down", "samples": ["signal"]}]}
        """

    @Test func builtWorkspaceValidatesAndFitsLikePyhf() throws {
        let spec = try WorkspaceSpec(json: JSONValue.parse(Self.spec))
        let built = try WorkspaceBuilder(spec: spec, histograms: Self.histograms).workspace()
        // The modifiers' data, by hand: normsys hi/lo are yield ratios over the bin range,
        // histosys the variations scaled to the nominal yield, staterror √sumw2.
        let sr = built["channels"]?[0]
        let ttbar = sr?["samples"]?[1]
        #expect(ttbar?["data"] == .array([21, 16, 7].map { .number($0) }))
        let mods = ttbar?["modifiers"]?.array ?? []
        #expect(mods.map { $0["type"]?.string ?? "" } == ["normfactor", "lumi", "normsys", "histosys", "staterror"])
        #expect(mods[2]["data"]?["hi"]?.number == (23 + 17.5 + 7.4) / 44)
        #expect(mods[3]["data"]?["lo_data"]?[0]?.number == 19.6 * 44 / (19.6 + 14.8 + 6.9))
        #expect(mods[4]["data"]?[2]?.number == 1.0)

        let ws = try Workspace(text: built.text)
        let model = try Model(workspace: ws)
        let fit = try model.fit(data: try ws.data(for: model))
        let path = try Self.write(built.text, "built-ws.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let named = zip(model.parameterNames, fit.parameters).map { "\($0)=\($1)" }.joined(separator: ";")
        let run = try Peers.run(code: """
            import json, sys, numpy as np, pyhf
            pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
            w = pyhf.Workspace(json.load(open(sys.argv[1])), validate=True); m = w.model(); d = w.data(m)
            best = pyhf.infer.mle.fit(d, m)
            names = []
            for n in m.config.par_order:
                ps = m.config.param_set(n)
                names += [n] if ps.is_scalar else [f"{n}[{i}]" for i in range(ps.n_parameters)]
            kaon = dict(x.split("=") for x in sys.argv[2].split(";"))
            bad = [(n, kaon[n], float(b)) for n, b in zip(names, best) if abs(float(kaon[n]) - b) > 1e-4]
            sys.exit(f"best fits differ: {bad}" if bad else 0)
            """, path, named)
        #expect(run.succeeded, "\(run.failureMessage)")
    }

    @Test func specErrorsNameTheEntry() throws {
        let bad = #"{"poi": "mu", "regions": [{"name": "SR", "histogram": "h", "bins": [3, 1]}], "samples": [{"name": "d", "data": true}, {"name": "s", "signal": true}]}"#
        #expect { try WorkspaceSpec(json: JSONValue.parse(bad)) } throws: { "\($0)".contains("regions[0].bins") }
    }
}

/// The differentiable-analysis example: its AD derivative against central differences, and
/// gradient ascent improving the cut.
@Suite struct DifferentiableCutTests {
    @Test func gradientMatchesFiniteDifferences() {
        let toy = DifferentiableCut(seed: 3)
        for c in [0.0, 0.8, 1.7, 2.9] {
            let ad = toy.derivative(cut: c)
            let h = 1e-4
            let fd = (toy.significance(cut: c + h) - toy.significance(cut: c - h)) / (2 * h)
            #expect(abs(ad - fd) <= 1e-4 * abs(fd), "c = \(c): AD \(ad), finite difference \(fd)")
        }
    }

    @Test func optimisedCutBeatsTheStart() {
        let toy = DifferentiableCut(seed: 3)
        let path = toy.optimise(from: 0.5, steps: 30)
        let first = path.first!, last = path.last!
        #expect(last.significance > first.significance * 1.05, "Z0 \(first.significance) → \(last.significance)")
        #expect(abs(last.derivative) < abs(first.derivative) / 10, "slope \(first.derivative) → \(last.derivative)")
    }
}
