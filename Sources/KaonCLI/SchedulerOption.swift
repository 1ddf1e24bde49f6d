import ArgumentParser
import Foundation
import KaonIO

/// `--scheduler tcp://HOST:PORT` of `kaon run` and `kaon adl`: the run goes to a Dask cluster
/// through the Python package (`python -m kaon.dask`), which plans the work items with this
/// engine's planning, runs each as a task and merges the partial results on the cluster; the
/// command then writes and prints them with the same code as a local run.
struct SchedulerOption: ParsableArguments {
    @Option(name: .long, help: "Run on a Dask cluster: its scheduler, tcp://HOST:PORT (needs a Python with kaon and dask: $KAON_PYTHON, ~/.cache/kaon/peers/bin/python or python3).")
    var scheduler: String?

    func validate() throws {
        if let scheduler, !scheduler.contains("://") || scheduler.hasSuffix("://") {
            throw ValidationError("--scheduler must be a scheduler address like tcp://HOST:PORT, got '\(scheduler)'")
        }
    }
}

/// Running `python -m kaon.dask` for a command and collecting what it produced.
enum DaskDelegation {
    /// The merged partial results (`KAONRSLT` bytes) of the job, and the Dask run report
    /// (work items, events/s, per-worker throughput). Progress and errors of the Python side
    /// go to standard error; a failed run throws `ExitCode.failure` after its message.
    static func run(_ command: String, _ arguments: [String], scheduler: String) throws -> (results: [UInt8], report: String) {
        let python = try findPython()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kaon-dask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let resultsPath = folder.appendingPathComponent("results.kaonresults").path
        let reportPath = folder.appendingPathComponent("report.txt").path
        let status = try launch(python, ["-m", "kaon.dask", command] + arguments
                                + ["--scheduler", scheduler, "--partials-out", resultsPath, "--report", reportPath])
        guard status == 0 else { throw ExitCode.failure }
        guard let results = FileManager.default.contents(atPath: resultsPath) else {
            throw KaonError(.system, "python -m kaon.dask (\(python)) finished without writing its results", file: resultsPath)
        }
        let report = (try? String(contentsOfFile: reportPath, encoding: .utf8)) ?? ""
        return (Array(results), report.hasSuffix("\n") ? String(report.dropLast()) : report)
    }

    /// The first Python that imports the kaon package and Dask's distributed: $KAON_PYTHON
    /// when set (and then only it), else the peers' venv, else python3 on PATH.
    static func findPython() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String]
        if let chosen = environment["KAON_PYTHON"], !chosen.isEmpty {
            candidates = [chosen]
        } else {
            candidates = [NSHomeDirectory() + "/.cache/kaon/peers/bin/python"]
            candidates += (environment["PATH"] ?? "").split(separator: ":").map { $0 + "/python3" }
        }
        var tried: [String] = []
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let check = try capture(candidate, ["-c", "import kaon.dask, distributed"])
            if check.status == 0 { return candidate }
            let reason = check.error.split(separator: "\n").last.map(String.init) ?? "exit status \(check.status)"
            tried.append("\(candidate): \(reason)")
        }
        let found = tried.isEmpty ? "no Python interpreter found (\(candidates.joined(separator: ", ")))" : tried.joined(separator: "; ")
        throw KaonError(.usage, "--scheduler needs Python with the kaon package and Dask (pip install ./python dask distributed, "
                        + "or set KAON_PYTHON): \(found)")
    }

    /// Runs `executable` with standard output and error passed through; its exit status.
    private static func launch(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `executable` and collects its standard error.
    private static func capture(_ executable: String, _ arguments: [String]) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
