import ArgumentParser
import Foundation
import KaonInference
import KaonIO

extension InterpolationCode: ExpressibleByArgument {}

/// Options shared by `kaon fit` and `kaon cls`: the workspace, its patches and the model settings.
struct WorkspaceOptions: ParsableArguments {
    @Argument(help: "A pyhf JSON workspace (schema 1.0.0).")
    var workspace: String

    @Option(name: [.short, .long], help: "A JSON patch (RFC 6902 list of operations, or a one-patch pyhf patchset) applied to the workspace first. Repeatable; applied in order.")
    var patch: [String] = []

    @Option(name: .long, help: "The patch to use when a --patch file is a patchset with several patches (its metadata.name).")
    var patchName: String?

    @Option(name: .long, help: "The measurement to use (default: the first).")
    var measurement: String?

    @Option(name: .long, help: "normsys interpolation: code1 (piecewise exponential) or code4 (default, as pyhf).")
    var normsys: InterpolationCode = .code4

    @Option(name: .long, help: "histosys interpolation: code0 (piecewise linear) or code4p (default, as pyhf).")
    var histosys: InterpolationCode = .code4p

    @Option(name: .long, help: "Hold a parameter at a value in every fit: NAME=VALUE (for example --fix 'lumi=1'). Repeatable.")
    var fix: [String] = []

    /// The patched workspace, the model and its observed data, and the extra fixed parameters.
    func load() throws -> (workspace: Workspace, model: Model, data: ModelData, fixing: [Int: Double]) {
        guard [.code1, .code4].contains(normsys) else { throw ValidationError("--normsys must be code1 or code4") }
        guard [.code0, .code4p].contains(histosys) else { throw ValidationError("--histosys must be code0 or code4p") }
        let text = try readText(workspace)
        let patches = try patch.map { path in
            try withContext(file: path) { try JSONPatch(json: try JSONValue.parse(try readText(path)), patchName: patchName) }
        }
        let ws = try withContext(file: workspace) { try Workspace(text: text, patches: patches) }
        let model = try withContext(file: workspace) {
            try Model(workspace: ws, measurement: measurement, interpolation: InterpolationSettings(normsys: normsys, histosys: histosys))
        }
        var fixing: [Int: Double] = [:]
        for item in fix {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { throw ValidationError("--fix expects NAME=VALUE, got '\(item)'") }
            guard let index = model.parameterIndex(parts[0]) else {
                throw ValidationError("--fix: no parameter '\(parts[0])' in the model")
            }
            fixing[index] = value
        }
        return (ws, model, try ws.data(for: model), fixing)
    }

    private func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read file", file: path) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `kaon fit WS.json`: a maximum-likelihood fit of a pyhf workspace.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Maximum-likelihood fit of a HistFactory model given as a pyhf JSON workspace.",
        discussion: """
        Builds the model of the workspace (after applying any --patch) with
        pyhf's modifiers, constraints and defaults (normsys code4, histosys
        code4p) and minimises −ln L with a bounded quasi-Newton method whose
        gradient comes from automatic differentiation. Uncertainties and
        correlations are from the inverse Hessian of −ln L at the minimum.

        Prints one row per parameter (name, best-fit value, uncertainty, or
        "fixed"), then −ln L and −2 ln L at the minimum. With --json prints
        {"nll", "twice_nll", "converged", "iterations", "poi", "parameters":
        [{"name", "value", "uncertainty", "fixed"}], "correlations": [[…]]}.

        Examples:
          kaon fit BkgOnly.json
          kaon fit BkgOnly.json --patch patch.sbottom_1300_205_60.json --json
          kaon fit ws.json --fix mu=0 --normsys code1 --histosys code0
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .long, help: "Skip the Hessian (no uncertainties or correlations).")
    var noUncertainties = false

    @Option(name: .long, help: "Write an SVG of the pulls (θ̂ − θ₀)/σ₀ of the constrained parameters to this file.")
    var pullsSvg: String?

    func run() throws {
        let (_, model, data, fixing) = try input.load()
        let result = try model.fit(data: data, fixing: fixing, uncertainties: !noUncertainties)
        let names = model.parameterNames
        var fixedMask = model.fixed
        for i in fixing.keys { fixedMask[i] = true }
        if let pullsSvg {
            guard !noUncertainties else { throw ValidationError("--pulls-svg needs the uncertainties (drop --no-uncertainties)") }
            let pulls = model.pulls(result).filter { !fixedMask[$0.index] }
            try InferenceSVG.pulls(pulls, title: "Pulls of the constrained parameters").write(toFile: pullsSvg, atomically: true, encoding: .utf8)
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
