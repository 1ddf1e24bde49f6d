import ArgumentParser
import Foundation
import KaonInference
import KaonIO

/// `kaon limit WS.json`: observed and expected upper limits on the POI by root finding.
struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit",
        abstract: "Observed and expected CLs upper limits on the POI of a pyhf workspace.",
        usage: "kaon limit <workspace> [--patch <patch> ...] [<options>]",
        discussion: """
        Finds the POI values where the asymptotic CLs (q̃μ, as `kaon cls`) crosses --alpha, \
        for the observed CLs and for each expected band (−2σ … +2σ), by bracketing root \
        finding as pyhf's `pyhf.infer.intervals.upper_limits.upper_limit(data, model)` does \
        without a scan. The bracket starts at the POI's bounds (or --bracket) and is widened \
        until it contains every crossing. --fix holds nuisance parameters constant in every \
        fit (pyhf's fixed_params).

        Prints the limits; with --json prints {"poi", "alpha", "observed", "expected": \
        [5 values], "tests": [{"poi", "CLs_obs", "CLs_exp"}]} instead: every hypothesis test \
        made, by increasing POI (CLs_obs is null where only the expected CLs was needed).

        Examples:
          kaon limit BkgOnly.json --patch patch.sbottom_1300_205_60.json
          kaon limit ws.json --alpha 0.1 --json > limits.json
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Option(name: .long, help: "Size of the test, in (0, 1); 0.05 is 95% CL.")
    var alpha: Double = 0.05

    @Option(name: .long, help: ArgumentHelp("Initial bracket of the root finding (default: the POI's bounds).", valueName: "lo:hi"))
    var bracket: String?

    @Option(name: .long, help: "Relative tolerance on the limits, in (0, 1).")
    var tolerance: Double = 1e-6

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    /// The workspace as `validate()` loaded it (see ``LoadedWorkspace``).
    var loaded: LoadedWorkspace?

    enum CodingKeys: CodingKey { case input, alpha, bracket, tolerance, json }

    mutating func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must lie in (0, 1), got \(alpha)") }
        guard tolerance > 0 && tolerance < 1 else { throw ValidationError("--tolerance must lie in (0, 1), got \(tolerance)") }
        let range = try bracketRange()
        let loaded = try input.load()
        self.loaded = loaded
        // The root finding may widen the bracket upwards past the POI's upper bound (as
        // pyhf's does), but q̃μ is not defined below the POI's lower bound.
        let model = loaded.model, lower = model.bounds[model.poiIndex].lowerBound
        if let range, range.lowerBound < lower {
            throw ValidationError("--bracket's LO \(range.lowerBound) is below the lower bound \(lower) of the POI '\(model.parameterNames[model.poiIndex])' in \(input.workspace)")
        }
    }

    /// The --bracket LO:HI, or nil without it.
    private func bracketRange() throws -> ClosedRange<Double>? {
        guard let bracket else { return nil }
        let parts = bracket.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]), lo.isFinite, hi.isFinite, hi > lo else {
            throw ValidationError("--bracket expects LO:HI with finite HI > LO, got '\(bracket)'")
        }
        return lo...hi
    }

    func run() throws {
        let loaded = try self.loaded ?? input.load()
        let (model, data) = (loaded.model, loaded.data)
        let limit = try model.upperLimit(data: data, alpha: alpha, bracket: try bracketRange(), relativeTolerance: tolerance)
        let poi = model.parameterNames[model.poiIndex]
        if json {
            print(JSONValue.object([
                ("poi", .string(poi)), ("alpha", .number(alpha)),
                ("observed", .number(limit.observed)), ("expected", .array(limit.expected.map { .number($0) })),
                ("tests", .array(limit.tests.map {
                    .object([("poi", .number($0.mu)), ("CLs_obs", $0.cls.isFinite ? .number($0.cls) : .null), ("CLs_exp", .array($0.expected.map { .number($0) }))])
                })),
            ]).text)
            return
        }
        // Limits to 4 digits: the asymptotic approximation is not better than that.
        func g(_ x: Double) -> String { HumanFormat.number(x, digits: 4) }
        let labels = ["expected −2σ", "expected −1σ", "expected", "expected +1σ", "expected +2σ"]
        print("\(Int(((1 - alpha) * 100).rounded()))% CL upper limits on \(poi) (CLs, q̃μ, asymptotic)")
        print("observed       " + g(limit.observed))
        for (label, value) in zip(labels, limit.expected) { print(label.padding(toLength: 15, withPad: " ", startingAt: 0) + g(value)) }
        print("(\(limit.tests.count) hypothesis tests)")
    }
}
