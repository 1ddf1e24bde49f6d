import ArgumentParser
import Foundation
import KaonInference
import KaonIO
import KaonPlot

/// `kaon fit WS.json`: a maximum-likelihood fit of a pyhf workspace.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Maximum-likelihood fit of a HistFactory model given as a pyhf JSON workspace.",
        usage: "kaon fit <workspace> [--patch <patch> ...] [<options>]",
        discussion: """
        Builds the model of the workspace (after applying any --patch) with pyhf's modifiers, \
        constraints and defaults (normsys code4, histosys code4p) and minimises −ln L with a \
        bounded quasi-Newton method whose gradient comes from automatic differentiation. \
        Uncertainties and correlations are from the inverse Hessian of −ln L at the minimum. \
        --fix holds parameters constant (pyhf's fixed_params), the POI included.

        Prints one row per parameter (name, best-fit value, uncertainty, or "fixed"), then \
        −ln L and −2 ln L at the minimum. With --json prints {"nll", "twice_nll", "converged", \
        "iterations", "poi", "parameters": [{"name", "value", "uncertainty", "fixed"}], \
        "correlations": [[…]]} instead.

        Examples:
          kaon fit BkgOnly.json --patch patch.sbottom_1300_205_60.json
          kaon fit BkgOnly.json --patch patch.sbottom_1300_205_60.json --json
          kaon fit ws.json --fix mu=0 --normsys code1 --histosys code0
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    @Flag(name: .long, help: "Skip the Hessian (no uncertainties or correlations).")
    var noUncertainties = false

    @Option(name: .long, help: "Write an SVG of the pulls (θ̂ − θ₀)/σ₀ of the constrained parameters to this file.")
    var pullsSvg: String?

    /// The workspace as `validate()` loaded it (see ``LoadedWorkspace``).
    var loaded: LoadedWorkspace?

    enum CodingKeys: CodingKey { case input, json, noUncertainties, pullsSvg }

    mutating func validate() throws {
        if pullsSvg != nil && noUncertainties {
            throw ValidationError("--pulls-svg needs the uncertainties (drop --no-uncertainties)")
        }
        loaded = try input.load(poiMayBeHeld: true)
    }

    func run() throws {
        let loaded = try self.loaded ?? input.load(poiMayBeHeld: true)
        let (model, data) = (loaded.model, loaded.data)
        let result = try model.fit(data: data, uncertainties: !noUncertainties)
        let names = model.parameterNames
        // The --fix parameters are fixed in the model itself.
        let fixedMask = model.fixed
        if let pullsSvg {
            try OutputFile.write(InferencePlots.pulls(model.pulls(result), title: "Pulls of the constrained parameters"), to: pullsSvg)
        }
        if json {
            let parameters: [JSONValue] = names.indices.map { i in
                .object([
                    ("name", .string(names[i])), ("value", .number(result.parameters[i])),
                    ("uncertainty", result.uncertainties.isEmpty ? .null : .number(result.uncertainties[i])),
                    ("fixed", .bool(fixedMask[i])),
                ])
            }
            print(JSONValue.object([
                ("nll", .number(result.nll)), ("twice_nll", .number(2 * result.nll)),
                ("converged", .bool(result.converged)), ("iterations", .integer(Int64(result.iterations))),
                ("poi", .string(names[model.poiIndex])),
                ("parameters", .array(parameters)),
                ("correlations", .array(result.correlations.map { .array($0.map { .number($0) }) })),
            ]).text)
            return
        }
        let width = max(9, names.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        // Value ± uncertainty with the PDG-style rounding (2 digits of the uncertainty); fixed
        // parameters and fits without uncertainties show the value to 6 digits.
        print(pad("parameter", width) + "  value ± uncertainty")
        for i in names.indices {
            let value = result.parameters[i]
            let text = fixedMask[i] ? HumanFormat.number(value, digits: 6) + "  (fixed)"
                : result.uncertainties.isEmpty ? HumanFormat.number(value, digits: 6)
                : HumanFormat.measurement(value, uncertainty: result.uncertainties[i])
            print(pad(names[i], width) + "  " + text)
        }
        print("")
        // −ln L to 3 decimals: only differences between fits mean something, and 0.5 is 1σ.
        print("-ln L = \(HumanFormat.fixed(result.nll, decimals: 3))   -2 ln L = \(HumanFormat.fixed(2 * result.nll, decimals: 3))   converged: \(result.converged) (\(result.iterations) iterations)")
    }
}
