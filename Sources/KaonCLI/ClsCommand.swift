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
        discussion: """
        Tests the signal strength --poi with the profile-likelihood test
        statistic (q̃μ by default) in the asymptotic approximation (Cowan,
        Cranmer, Gross, Vitells, arXiv:1007.1727), as pyhf does with
        `pyhf cls --test-poi MU --test-stat qtilde --calctype asymptotics`:
        the statistic is evaluated on the data and on background-only Asimov
        data, giving the observed CLs and the expected CLs band (−2σ … +2σ).

        With --scan LO:HI:N, CLs is computed at N evenly spaced POI values and
        the 95% CL (1 − --alpha) observed and expected upper limits are found
        by linear interpolation. With --test-stat q0 the POI is tested at 0:
        the discovery p-value and significance.

        Prints a table; with --json, {"CLs_obs", "CLs_exp": [5 values],
        "CLsb", "CLb", "test_stat", "poi", "qmu", "qmu_A"}, plus
        "upper_limit": {"observed", "expected", "scan"} with --scan and
        "significance": {"observed", "expected", "p_value"} with q0.

        Examples:
          kaon cls BkgOnly.json --patch patch.sbottom_1300_205_60.json --poi 1
          kaon cls ws.json --scan 0.1:5:50 --json
          kaon cls ws.json --test-stat q0
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Option(name: .long, help: "The POI value to test (ignored by q0, which tests 0).")
    var poi: Double = 1

    @Option(name: .long, help: "Test statistic: qtilde (default), q or q0.")
    var testStat: TestStatistic = .qtilde

    @Option(name: .long, help: "Scan LO:HI:N for upper limits (CLs at N POI values).")
    var scan: String?

    @Option(name: .long, help: "Size of the test for upper limits (0.05: 95% CL).")
    var alpha: Double = 0.05

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let (_, model, data, fixing) = try input.load()
        guard fixing.isEmpty else { throw ValidationError("--fix is supported by `kaon fit` only") }
        let mu = testStat == .q0 ? 0 : poi
        let r = try model.hypotest(mu: mu, data: data, statistic: testStat)
        var members: [(String, JSONValue)] = [
            ("poi", .number(mu)), ("test_stat", .string(testStat.rawValue)),
            ("CLs_obs", .number(r.cls)), ("CLs_exp", .array(r.expected.map { .number($0) })),
            ("CLsb", .number(r.clsb)), ("CLb", .number(r.clb)),
            ("qmu", .number(r.statistic)), ("qmu_A", .number(r.asimovStatistic)),
        ]
        var lines = [
            "test statistic   \(testStat.rawValue) at \(model.parameterNames[model.poiIndex]) = \(format(mu))",
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
        if let scan {
            let parts = scan.split(separator: ":").map(String.init)
            guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let n = Int(parts[2]), n >= 2, hi > lo else {
                throw ValidationError("--scan expects LO:HI:N with HI > LO and N >= 2")
            }
            let points = (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
            let limit = try model.upperLimit(data: data, scan: points, alpha: alpha)
            members.append(("upper_limit", .object([
                ("observed", .number(limit.observed)), ("expected", .array(limit.expected.map { .number($0) })),
                ("scan", .array(limit.results.map { .object([("poi", .number($0.mu)), ("CLs_obs", .number($0.cls)), ("CLs_exp", .array($0.expected.map { .number($0) }))]) })),
            ])))
            lines.append("upper limit      \(format(limit.observed)) observed; expected " + limit.expected.map(format).joined(separator: "  ") + "   (\(Int((1 - alpha) * 100))% CL)")
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
