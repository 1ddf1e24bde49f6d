import Foundation
import KaonInference
import KaonIO
import Testing

@Suite struct WorkspaceTests {
    @Test func schemaErrorsNameTheJSONPath() throws {
        let text = PyhfComparisonTests.minimal.replacingOccurrences(of: #""data":[5,12]"#, with: #""data":{"hi":1}"#)
        #expect {
            _ = try Workspace(text: text)
        } throws: { error in
            "\(error)".contains("/channels/0/samples/1/modifiers/0/data") && "\(error)".contains("expected an array")
        }
        let unknown = PyhfComparisonTests.minimal.replacingOccurrences(of: #""type":"shapesys""#, with: #""type":"shapesyst""#)
        #expect(throws: KaonError.self) { try Workspace(text: unknown) }
        let extra = PyhfComparisonTests.minimal.replacingOccurrences(of: #""version":"1.0.0""#, with: #""version":"1.0.0","x":1"#)
        #expect { _ = try Workspace(text: extra) } throws: { "\($0)".contains("workspace /: unexpected key 'x'") }
    }

    @Test func patchOperations() throws {
        let doc = try JSONValue.parse(#"{"a": [1, 2], "b": {"c": 3}, "d~/e": 4}"#)
        let patch = try JSONPatch(text: #"""
        [{"op": "add", "path": "/a/1", "value": 9}, {"op": "add", "path": "/a/-", "value": 7},
         {"op": "replace", "path": "/b/c", "value": "x"}, {"op": "remove", "path": "/d~0~1e"},
         {"op": "add", "path": "/b/new", "value": null}, {"op": "test", "path": "/a/0", "value": 1}]
        """#)
        let out = try patch.apply(to: doc)
        #expect(out == (try JSONValue.parse(#"{"a": [1, 9, 2, 7], "b": {"c": "x", "new": null}}"#)))
        let bad = try JSONPatch(text: #"[{"op": "replace", "path": "/a/5", "value": 1}]"#)
        #expect { _ = try bad.apply(to: doc) } throws: { "\($0)".contains("JSON patch /0") }
    }

    @Test func parameterOrderAndDefaults() throws {
        let ws = try Workspace(text: PyhfComparisonTests.rich)
        let model = try Model(workspace: ws)
        #expect(model.parameterNames.first == "cr_shape[0]")
        #expect(model.parameterSets.map(\.name) == model.parameterSets.map(\.name).sorted())
        let mu = try #require(model.parameterIndex("mu"))
        #expect(model.poiIndex == mu && model.bounds[mu] == 0...10 && model.inits[mu] == 1)
        #expect(model.fixed[try #require(model.parameterIndex("cr_shape[1]"))])
        // The shapesys bin with zero uncertainty and the staterror bin with zero content are fixed.
        #expect(model.fixed[try #require(model.parameterIndex("fake_shape[2]"))])
        #expect(model.fixed[try #require(model.parameterIndex("staterror_CR[1]"))] == false)
        #expect(model.bounds[try #require(model.parameterIndex("lumi"))] == 0.915...1.085)
    }
}

@Suite struct NumericsTests {
    /// code4 and code4p are smooth at ±1 (value and slope continuous) and exact at ±1.
    @Test func interpolationIsSmoothAtTheJoins() throws {
        let ws = try Workspace(text: PyhfComparisonTests.rich)
        let model = try Model(workspace: ws)
        let data = try ws.data(for: model)
        let jes = try #require(model.parameterIndex("jes"))
        for joint in [-1.0, 1.0] {
            var below = model.inits, above = model.inits
            below[jes] = joint - 1e-7
            above[jes] = joint + 1e-7
            let (fb, gb) = model.nllAndGradient(below, data: data)
            let (fa, ga) = model.nllAndGradient(above, data: data)
            #expect(abs(fb - fa) < 1e-5)
            #expect(abs(gb[jes] - ga[jes]) < 1e-5)
        }
    }

    /// The AD gradient equals a central difference of the NLL away from kinks.
    @Test func gradientMatchesFiniteDifferences() throws {
        let ws = try Workspace(text: PyhfComparisonTests.rich)
        let model = try Model(workspace: ws)
        let data = try ws.data(for: model)
        var p = model.inits
        for i in p.indices { p[i] += 0.013 * Double(i % 5 + 1) }
        let g = model.nllAndGradient(p, data: data).gradient
        for i in p.indices {
            var up = p, down = p
            up[i] += 1e-6
            down[i] -= 1e-6
            let fd = (model.nll(up, data: data) - model.nll(down, data: data)) / 2e-6
            #expect(abs(fd - g[i]) < 1e-5 * max(1, abs(fd)), "\(model.parameterNames[i])")
        }
    }

    /// The same with every interpolation code, α beyond ±1 (the exponential and linear
    /// extrapolations) and the POI at 0: a factor of 0 inside a product must still give the
    /// product of the other factors as its derivative (compared with a forward difference).
    @Test func gradientMatchesFiniteDifferencesEverywhere() throws {
        let ws = try Workspace(text: PyhfComparisonTests.rich)
        for settings in [InterpolationSettings(), InterpolationSettings(normsys: .code1, histosys: .code0)] {
            let model = try Model(workspace: ws, interpolation: settings)
            let data = try ws.data(for: model)
            var p = model.inits
            for set in model.parameterSets where ["normsys", "histosys"].contains(set.type) {
                p[set.offset] = set.offset % 2 == 0 ? 1.7 : -1.4
            }
            p[model.poiIndex] = 0
            let g = model.nllAndGradient(p, data: data).gradient
            for i in p.indices {
                let h = 1e-6
                var up = p, down = p
                up[i] += h
                down[i] -= h
                let fd = i == model.poiIndex
                    ? (model.nll(up, data: data) - model.nll(p, data: data)) / h
                    : (model.nll(up, data: data) - model.nll(down, data: data)) / (2 * h)
                #expect(abs(fd - g[i]) < 1e-4 * max(1, abs(fd)), "\(settings.normsys) \(model.parameterNames[i])")
            }
            #expect(g[model.poiIndex] != 0)
        }
    }

    @Test func minimiserRespectsBounds() {
        // Rosenbrock with the unconstrained minimum (1, 1) outside the box: the minimum is on x = 0.5.
        let r = Minimiser().minimise(start: [-1, 2], lower: [-2, -2], upper: [0.5, 2], fixed: [false, false]) { x in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            return (a * a + 100 * b * b, [-2 * a - 400 * x[0] * b, 200 * b])
        }
        #expect(r.converged)
        #expect(abs(r.x[0] - 0.5) < 1e-9 && abs(r.x[1] - 0.25) < 1e-6)
    }

    /// One Gaussian-constrained parameter and one Poisson bin: the Hessian is known in closed form.
    @Test func hessianAndUncertainties() throws {
        let ws = try Workspace(text: #"""
        {"channels":[{"name":"SR","samples":[{"name":"s","data":[100],"modifiers":[{"name":"mu","type":"normfactor","data":null}]}]}],
         "observations":[{"name":"SR","data":[120]}],
         "measurements":[{"name":"m","config":{"poi":"mu","parameters":[]}}],"version":"1.0.0"}
        """#)
        let model = try Model(workspace: ws)
        let fit = try model.fit(data: try ws.data(for: model), uncertainties: true)
        // NLL = 100μ − 120 ln(100μ): μ̂ = 1.2, d²NLL/dμ² = 120/μ̂², σ = μ̂/√120.
        #expect(abs(fit.parameters[0] - 1.2) < 1e-7)
        #expect(abs(fit.uncertainties[0] - 1.2 / 120.0.squareRoot()) < 1e-6)
    }

    /// A background-only workspace: its POI is nobody's modifier, and the model says which.
    @Test func missingPOIIsATypedError() throws {
        let ws = try Workspace(text: #"""
        {"channels":[{"name":"SR","samples":[{"name":"b","data":[100],"modifiers":[{"name":"k_bkg","type":"normfactor","data":null}]}]}],
         "observations":[{"name":"SR","data":[120]}],
         "measurements":[{"name":"m","config":{"poi":"mu_SIG","parameters":[]}}],"version":"1.0.0"}
        """#)
        #expect(throws: POINotInModel(measurement: "m", poi: "mu_SIG")) { try Model(workspace: ws) }
    }

    @Test func discoveryAndUpperLimit() throws {
        let ws = try Workspace(text: PyhfComparisonTests.minimal)
        let model = try Model(workspace: ws)
        let data = try ws.data(for: model)
        let z = try model.discoverySignificance(data: data)
        #expect(z.observed >= 0 && z.expected > 0 && z.pValue <= 0.5)
        let limit = try model.upperLimit(data: data, scan: stride(from: 0.5, through: 5, by: 0.5).map { $0 })
        #expect(limit.observed > 0.5 && limit.observed < 5)
        #expect(limit.expected == limit.expected.sorted())
    }
}
