import ArgumentParser
import Foundation
import KaonInference
import KaonIO

/// `kaon limit WS.json`: observed and expected upper limits on the POI by root finding.
struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit",
        abstract: "Observed and expected CLs upper limits on the POI of a pyhf workspace.",
        discussion: """
        Finds the POI values where the asymptotic CLs (q̃μ, as `kaon cls`)
        crosses --alpha, for the observed CLs and for each expected band
        (−2σ … +2σ), by bracketing root finding as pyhf's
        `pyhf.infer.intervals.upper_limits.upper_limit(data, model)` does
        without a scan. The bracket starts at the POI's bounds and is widened
        until it contains every crossing.

        Prints the limits; with --json, {"poi", "alpha", "observed",
        "expected": [5 values], "tests": [{"poi", "CLs_obs", "CLs_exp"}]}
        (every hypothesis test made, by increasing POI; CLs_obs is null where
        only the expected CLs was needed). --json OUT writes
        that JSON to a file as well as printing the table.

        Examples:
          kaon limit BkgOnly.json --patch patch.sbottom_1300_205_60.json
          kaon limit ws.json --alpha 0.1 --json limits.json
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Option(name: .long, help: "Size of the test (0.05: 95% CL).")
    var alpha: Double = 0.05

    @Option(name: .long, help: "Initial bracket LO:HI for the root finding (default: the POI's bounds).")
    var bracket: String?

    @Option(name: .long, help: "Relative tolerance on the limits.")
    var tolerance: Double = 1e-6

    @Option(name: .long, help: "Write the JSON result to this file ('-' prints JSON instead of the table).")
    var json: String?

    func run() throws {
        let (_, model, data, fixing) = try input.load()
        guard fixing.isEmpty else { throw ValidationError("--fix is supported by `kaon fit` only") }
        var range: ClosedRange<Double>?
        if let bracket {
            let parts = bracket.split(separator: ":").map(String.init)
            guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]), hi > lo else {
                throw ValidationError("--bracket expects LO:HI with HI > LO")
            }
            range = lo...hi
        }
        let limit = try model.upperLimit(data: data, alpha: alpha, bracket: range, relativeTolerance: tolerance)
        let poi = model.parameterNames[model.poiIndex]
        let document = JSONValue.object([
            ("poi", .string(poi)), ("alpha", .number(alpha)),
            ("observed", .number(limit.observed)), ("expected", .array(limit.expected.map { .number($0) })),
            ("tests", .array(limit.tests.map {
                .object([("poi", .number($0.mu)), ("CLs_obs", $0.cls.isFinite ? .number($0.cls) : .null), ("CLs_exp", .array($0.expected.map { .number($0) }))])
            })),
        ])
        if json == "-" {
            print(document.text)
            return
        }
        if let json { try document.text.write(toFile: json, atomically: true, encoding: .utf8) }
        // Limits to 4 digits: the asymptotic approximation is not better than that.
        func g(_ x: Double) -> String { HumanFormat.number(x, digits: 4) }
        let labels = ["expected −2σ", "expected −1σ", "expected", "expected +1σ", "expected +2σ"]
        print("\(Int(((1 - alpha) * 100).rounded()))% CL upper limits on \(poi) (CLs, q̃μ, asymptotic)")
        print("observed       " + g(limit.observed))
        for (label, value) in zip(labels, limit.expected) { print(label.padding(toLength: 15, withPad: " ", startingAt: 0) + g(value)) }
        print("(\(limit.tests.count) hypothesis tests)")
    }
}
