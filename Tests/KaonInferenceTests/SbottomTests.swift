import Foundation
import KaonInference
import Testing

/// The published ATLAS sbottom likelihood against pyhf's own regression values
/// (pyhf `tests/test_regression.py`: RegionA, patch sbottom_1300_205_60, q̃, asymptotics, μ = 1).
@Suite struct SbottomTests {
    @Test func regionAObservedAndExpectedCLs() throws {
        let ws = try Sbottom.workspace(region: "RegionA", patch: "sbottom_1300_205_60")
        let model = try Model(workspace: ws)
        #expect(model.parameterCount == 64)
        let data = try ws.data(for: model)
        let clock = ContinuousClock()
        let start = clock.now
        let r = try model.hypotest(mu: 1, data: data)
        print("sbottom RegionA hypotest: \(clock.now - start), CLs \(r.cls), expected \(r.expected)")
        #expect(abs(r.cls - 0.24443627759085326) < 1e-3, "observed CLs \(r.cls)")
        let band = [0.0902, 0.1938, 0.3843, 0.6558, 0.8910]
        for (k, v) in band.enumerated() { #expect(abs(r.expected[k] - v) < 1e-3, "expected[\(k)] \(r.expected[k]) vs \(v)") }
    }
}
