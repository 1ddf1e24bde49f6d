// pyhf workspaces and JSON patches: parsing, patch application, workspace validation, model
// building (modifiers, interpolation settings, constraints) and one likelihood evaluation.
//
// Input: a workspace's JSON text, optionally followed by a line "%%" and a patch (a JSON
// Patch array, or a patchset with one patch).
import KaonFuzzSupport
import KaonInference
import KaonIO

let separator = "\n%%\n"

// Seeds: tests/fuzz/seeds/pyhf and the repository's peer fixture (run.sh copies them).
runFuzzer(makeSeeds: { _ in }) { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    let parts = text.components(separatedBy: separator)
    let patches = try parts.dropFirst().prefix(1).map { try JSONPatch(text: $0) }
    let workspace = try Workspace(text: parts[0], patches: patches)
    let model = try Model(workspace: workspace)
    let data = try workspace.data(for: model)
    _ = model.nll(model.inits, data: data)
}
