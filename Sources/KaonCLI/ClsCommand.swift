import ArgumentParser
import Foundation
import KaonInference
import KaonIO

extension TestStatistic: ExpressibleByArgument {}

/// `kaon cls WS.json --poi 1`: an asymptotic CLs hypothesis test, upper limits and significance.
struct ClsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cls",
        abstract: "Asymptotic CLs hypothesis test (and upper limits, discovery significance) of a pyhf workspace.",
        usage: "kaon cls <workspace> [--patch <patch> ...] [--poi <poi>] [<options>]",
        discussion: """
        Tests the signal strength --poi with the profile-likelihood test statistic (q̃μ by \
        default) in the asymptotic approximation (Cowan, Cranmer, Gross, Vitells, \
        arXiv:1007.1727), as `pyhf cls --test-poi MU --test-stat qtilde --calctype \
        asymptotics` does: the statistic is evaluated on the data and on background-only \
        Asimov data, giving the observed CLs and the expected CLs band (−2σ … +2σ). The \
        tested value must lie within the POI's bounds in the workspace. --fix holds \
        nuisance parameters constant in every fit (pyhf's fixed_params).

        With --scan LO:HI:N, CLs is computed at N evenly spaced POI values and the \
        1 − --alpha CL observed and expected upper limits are found by linear interpolation; \
        a limit the scan does not reach is reported as "> HI (outside the scan)" (or \
        "< LO …"). With --test-stat q0 the POI is tested at 0: the discovery p-value and \
        significance.

        Prints a table; with --json, {"CLs_obs", "CLs_exp": [5 values], "CLsb", "CLb", \
        "test_stat", "poi", "qmu", "qmu_A"}, plus "upper_limit": {"observed", "expected", \
        "observed_outside_scan", "expected_outside_scan", "scan"} with --scan (a limit \
        outside the scan is null, its flag true) and "significance": {"observed", \
        "expected", "p_value"} with q0.

        Examples:
          kaon cls BkgOnly.json --patch patch.sbottom_1300_205_60.json --poi 1
          kaon cls BkgOnly.json --patch patch.sbottom_1300_205_60.json --scan 0:5:26 --json
          kaon cls ws.json --test-stat q0 --fix lumi=1
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Option(name: .long, help: "The POI value to test, within the POI's bounds (ignored by q0, which tests 0).")
    var poi: Double = 1

    @Option(name: .long, help: "The test statistic: q̃μ, qμ, or q₀ for discovery.")
    var testStat: TestStatistic = .qtilde

    @Option(name: .long, help: ArgumentHelp("Scan N evenly spaced POI values from LO to HI for upper limits.", valueName: "lo:hi:n"))
    var scan: String?

    @Option(name: .long, help: "Size of the test for upper limits, in (0, 1); 0.05 is 95% CL.")
    var alpha: Double = 0.05

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    /// The workspace as `validate()` loaded it (see ``LoadedWorkspace``).
    var loaded: LoadedWorkspace?

    enum CodingKeys: CodingKey { case input, poi, testStat, scan, alpha, json }

    mutating func validate() throws {
        guard poi.isFinite else { throw ValidationError("--poi must be a finite number, got \(poi)") }
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must lie in (0, 1), got \(alpha)") }
        let points = try scanPoints()
        let loaded = try input.load()
        self.loaded = loaded
        let model = loaded.model
        let poiName = model.parameterNames[model.poiIndex], poiBounds = model.bounds[model.poiIndex]
        func withinBounds(_ value: Double, _ option: String) throws {
            guard poiBounds.contains(value) else {
                throw ValidationError("\(option) \(value) is outside the bounds [\(poiBounds.lowerBound), \(poiBounds.upperBound)] of the POI '\(poiName)' in \(input.workspace)")
            }
        }
        if testStat != .q0 { try withinBounds(poi, "--poi") }
        if let points { try withinBounds(points[0], "--scan's LO"); try withinBounds(points[points.count - 1], "--scan's HI") }
    }

    /// The POI values of --scan LO:HI:N, or nil without --scan.
    private func scanPoints() throws -> [Double]? {
        guard let scan else { return nil }
        let parts = scan.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let n = Int(parts[2]),
              lo.isFinite, hi.isFinite, n >= 2, hi > lo else {
            throw ValidationError("--scan expects LO:HI:N with finite HI > LO and N >= 2, got '\(scan)'")
        }
        return (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
    }

    func run() throws {
        let loaded = try self.loaded ?? input.load()
        let (model, data) = (loaded.model, loaded.data)
        let poiName = model.parameterNames[model.poiIndex]
        let points = try scanPoints()
        let mu = testStat == .q0 ? 0 : poi
        let r = try model.hypotest(mu: mu, data: data, statistic: testStat)
        var members: [(String, JSONValue)] = [
            ("poi", .number(mu)), ("test_stat", .string(testStat.rawValue)),
            ("CLs_obs", .number(r.cls)), ("CLs_exp", .array(r.expected.map { .number($0) })),
            ("CLsb", .number(r.clsb)), ("CLb", .number(r.clb)),
            ("qmu", .number(r.statistic)), ("qmu_A", .number(r.asimovStatistic)),
        ]
        var lines = [
            "test statistic   \(testStat.rawValue) at \(poiName) = \(format(mu))",
            testStat == .q0 ? "p-value (obs)    \(format(r.cls))" : "CLs (obs)        \(format(r.cls))",
            "expected band    " + r.expected.map(format).joined(separator: "  ") + "   (−2σ −1σ median +1σ +2σ)",
            "CLs+b, CLb       \(format(r.clsb))  \(format(r.clb))",
            "q, q_A           \(format(resolved(r.statistic)))  \(format(resolved(r.asimovStatistic)))",
        ]
        if testStat == .q0 {
            let z = r.statistic.squareRoot(), zA = r.asimovStatistic.squareRoot()
            members.append(("significance", .object([("observed", .number(z)), ("expected", .number(zA)), ("p_value", .number(r.cls))])))
            lines.append("significance     \(format(resolved(r.statistic).squareRoot())) σ observed, \(format(resolved(r.asimovStatistic).squareRoot())) σ expected")
        }
        if let points {
            let limit = try model.upperLimit(data: data, scan: points, alpha: alpha)
            // A limit the scan does not reach is NaN: CLs stays on one side of alpha over the
            // whole scan, above it (the limit lies beyond HI) or below it (before LO).
            func describe(_ value: Double, _ cls: [Double]) -> String {
                if value.isFinite { return format(value) }
                return cls.last.map { $0 > alpha } ?? true
                    ? "> \(format(points[points.count - 1])) (outside the scan)" : "< \(format(points[0])) (outside the scan)"
            }
            let observedCLs = limit.results.map(\.cls)
            let expectedCLs = (0..<5).map { band in limit.results.map { $0.expected[band] } }
            func number(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }
            members.append(("upper_limit", .object([
                ("observed", number(limit.observed)), ("expected", .array(limit.expected.map(number))),
                ("observed_outside_scan", .bool(!limit.observed.isFinite)),
                ("expected_outside_scan", .array(limit.expected.map { .bool(!$0.isFinite) })),
                ("scan", .array(limit.results.map { .object([("poi", .number($0.mu)), ("CLs_obs", .number($0.cls)), ("CLs_exp", .array($0.expected.map { .number($0) }))]) })),
            ])))
            let expected = zip(limit.expected, expectedCLs).map { describe($0, $1) }
            lines.append("upper limit      \(describe(limit.observed, observedCLs)) observed; expected " + expected.joined(separator: "  ")
                         + "   (\(Int(((1 - alpha) * 100).rounded()))% CL)")
        }
        if json {
            print(JSONValue.object(members).text)
        } else {
            print(lines.joined(separator: "\n"))
        }
    }

    private func format(_ x: Double) -> String { HumanFormat.number(x, digits: 6) }

    /// A test statistic for the table: 0 when it is below what the two fits can resolve.
    ///
    /// q = 2 (−ln L(μ) − −ln L(μ̂)) is a difference of two minima, each accepted once the
    /// projected gradient is below the minimiser's gradientTolerance (1e-7): −ln L is only
    /// settled to about that level, so a q below it is rounding of the two fits, not a
    /// measurement (with μ̂ = 0, q0 came out as 2^-40 and printed as "9.53674e-07 σ").
    /// The JSON keeps the raw values.
    private func resolved(_ q: Double) -> Double {
        q < Minimiser().gradientTolerance ? 0 : q
    }
}
