import ArgumentParser
import Foundation
import KaonInference
import KaonIO

/// The normsys interpolations `--normsys` accepts (pyhf's choices for that modifier).
enum NormsysInterpolation: String, CaseIterable, ExpressibleByArgument {
    case code1, code4
    var code: InterpolationCode { self == .code1 ? .code1 : .code4 }
}

/// The histosys interpolations `--histosys` accepts (pyhf's choices for that modifier).
enum HistosysInterpolation: String, CaseIterable, ExpressibleByArgument {
    case code0, code4p
    var code: InterpolationCode { self == .code0 ? .code0 : .code4p }
}

/// A workspace loaded for an inference command: the model of the patched workspace (with
/// the `--fix` parameters already held) and its observed data.
///
/// The commands load it in `validate()`, not in `run()`: values that can only be checked
/// against the model (a --fix name, a POI within its bounds) are then usage errors that
/// ArgumentParser reports with the subcommand's usage, as those it finds while parsing.
/// `run()` takes what `validate()` stored.
struct LoadedWorkspace: Sendable {
    var model: Model
    var data: ModelData
}

/// Options shared by the inference commands (`fit`, `cls`, `limit`, `ranking`): the
/// workspace, its patches and the model settings.
struct WorkspaceOptions: ParsableArguments {
    @Argument(help: "A pyhf JSON workspace (schema 1.0.0).")
    var workspace: String

    @Option(name: [.short, .long], help: "A JSON patch applied to the workspace first: an RFC 6902 list of operations, or a pyhf patchset. Repeatable; applied in order.")
    var patch: [String] = []

    @Option(name: .long, help: "The patch to use when a --patch file is a patchset with several patches (its metadata.name).")
    var patchName: String?

    @Option(name: .long, help: "The measurement to use (default: the first).")
    var measurement: String?

    @Option(name: .long, help: "How normsys modifiers interpolate: piecewise exponential (code1) or smooth (code4, as pyhf).")
    var normsys: NormsysInterpolation = .code4

    @Option(name: .long, help: "How histosys modifiers interpolate: piecewise linear (code0) or smooth (code4p, as pyhf).")
    var histosys: HistosysInterpolation = .code4p

    @Option(name: .long, help: ArgumentHelp("Hold a parameter constant at a value in every fit, for example --fix lumi=1. Repeatable.", valueName: "name=value"))
    var fix: [String] = []

    /// Reads, patches and models the workspace. The POI may be held by `--fix` only when
    /// `poiMayBeHeld` (a fit may fix it; a test or limit on it cannot).
    func load(poiMayBeHeld: Bool = false) throws -> LoadedWorkspace {
        let text = try readText(workspace)
        let patches = try patch.map { path in
            try withContext(file: path) { try JSONPatch(json: try JSONValue.parse(try readText(path)), patchName: patchName) }
        }
        let ws = try withContext(file: workspace) { try Workspace(text: text, patches: patches) }
        let interpolation = InterpolationSettings(normsys: normsys.code, histosys: histosys.code)
        let model: Model
        do {
            model = try withContext(file: workspace) { try Model(workspace: ws, measurement: measurement, interpolation: interpolation) }
        } catch let missing as POINotInModel {
            // Kaon's model says what is missing; only the CLI knows how a signal is added.
            let hint = patch.isEmpty ? "add the signal with --patch SIGNAL_PATCH.json" : "do the --patch files add the signal?"
            throw KaonError(.notFound, "\(missing): \(hint)", file: workspace)
        }
        var held: [Int: Double] = [:]
        for item in fix {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--fix expects NAME=VALUE, got '\(item)'")
            }
            guard let index = model.parameterIndex(parts[0]) else {
                throw ValidationError("--fix \(item): the model of \(workspace) has no parameter '\(parts[0])'")
            }
            guard poiMayBeHeld || index != model.poiIndex else {
                throw ValidationError("--fix \(item): '\(parts[0])' is the POI, which this command tests; only `kaon fit` can hold it")
            }
            held[index] = value
        }
        let heldModel: Model
        do {
            heldModel = try model.holding(held)
        } catch let error as KaonError where error.kind == .usage {
            throw ValidationError("--fix: \(error.message) in \(workspace)")
        }
        return LoadedWorkspace(model: heldModel, data: try ws.data(for: heldModel))
    }

    private func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read file", file: path) }
        return String(decoding: data, as: UTF8.self)
    }
}
