import ArgumentParser
import Foundation
import KaonBenchmarks
import KaonInference
import KaonIO

/// `kaon-bench inference WS.json --patch P.json`: in-process timings of Kaon's fit and CLs,
/// for benchmarks/inference/run.py (pyhf is timed in-process there too, so the two compare
/// without process start-up or JSON parsing).
struct InferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Time Kaon's MLE fit, CLs test and per-patch CLs in-process (medians, JSON).",
        discussion: """
        Builds the model of WS.json with --patch once, then times `repeat` times
        each: building the model (parse + patch), one MLE fit without the Hessian,
        one with uncertainties, and one q̃ CLs test at μ = 1 with the expected band.
        With --each-patch P (repeatable) also times, per patch, applying it to the
        parsed workspace, building the model and the CLs test at μ = 1 (each patch
        once per repeat; the per-patch time is total / number of patches).

        Prints one JSON object of median wall and thread-CPU seconds, with the
        CLs results so the runner can check they are the answers it expects.

        Example:
          kaon-bench inference RegionA/BkgOnly.json --patch RegionA/patch.sbottom_1300_205_60.json
        """)

    @Argument(help: "A pyhf JSON workspace.") var workspace: String
    @Option(help: "The signal patch for the fit and CLs rows.") var patch: String
    @Option(name: .customLong("each-patch"), help: "Patches for the per-patch CLs row (repeatable).") var eachPatch: [String] = []
    @Option(help: "Timed repeats; medians are reported.") var `repeat`: Int = 5

    func run() throws {
        let baseText = try read(workspace)
        let signal = try JSONPatch(json: try JSONValue.parse(try read(patch)))
        func build(_ base: JSONValue, _ p: JSONPatch) throws -> (Model, ModelData) {
            let ws = try Workspace(json: try p.apply(to: base))
            let model = try Model(workspace: ws)
            return (model, try ws.data(for: model))
        }
        let base = try JSONValue.parse(baseText)
        let (model, data) = try build(base, signal)
        let patchTexts = try eachPatch.map(read)

        var rows: [(String, Timing)] = []
        rows.append(("build", try time { _ = try build(try JSONValue.parse(baseText), signal) }))
        var fit: FitResult?
        rows.append(("fit", try time { fit = try model.fit(data: data) }))
        rows.append(("fit_hessian", try time { _ = try model.fit(data: data, uncertainties: true) }))
        var cls: HypoTestResult?
        rows.append(("cls", try time { cls = try model.hypotest(mu: 1, data: data) }))
        var perPatch: [Double] = []
        if !patchTexts.isEmpty {
            rows.append(("cls_each_patch", try time {
                perPatch = []
                for text in patchTexts {
                    let (m, d) = try build(base, try JSONPatch(json: try JSONValue.parse(text)))
                    perPatch.append(try m.hypotest(mu: 1, data: d).cls)
                }
            }.scaled(by: 1 / Double(patchTexts.count))))
        }
        var members: [(String, JSONValue)] = rows.map { name, t in
            (name, .object([("wall", .number(t.wall)), ("cpu", .number(t.cpu))]))
        }
        members += [
            ("repeat", .number(Double(self.repeat))), ("patches", .number(Double(patchTexts.count))),
            ("fit_iterations", .number(Double(fit?.iterations ?? 0))), ("fit_nll", .number(fit?.nll ?? .nan)),
            ("CLs_obs", .number(cls?.cls ?? .nan)), ("CLs_exp", .array((cls?.expected ?? []).map { .number($0) })),
            ("CLs_obs_each_patch", .array(perPatch.map { .number($0) })),
        ]
        print(JSONValue.object(members).text)
    }

    /// Median wall and thread-CPU seconds.
    struct Timing {
        var wall: Double
        var cpu: Double
        func scaled(by f: Double) -> Timing { Timing(wall: wall * f, cpu: cpu * f) }
    }

    private func time(_ body: () throws -> Void) throws -> Timing {
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<max(1, self.repeat) {
            let c0 = threadCPUSeconds(), w0 = DispatchTime.now().uptimeNanoseconds
            try body()
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - w0) * 1e-9)
            cpu.append(threadCPUSeconds() - c0)
        }
        return Timing(wall: median(wall), cpu: median(cpu))
    }

    private func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw KaonError(.notFound, "cannot read file", file: path) }
        return String(decoding: data, as: UTF8.self)
    }
}
