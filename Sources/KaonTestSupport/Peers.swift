import Foundation

/// Running the peers' Python (uproot, awkward, vector, ROOT, boost-histogram) on fixtures the
/// Swift tests wrote, from `<repo>/crosschecks/peers/`.
public enum Peers {
    /// `$PEERS_PYTHON`, or the venv `make test` installs: `~/.cache/kaon/peers/bin/python`.
    public static var python: String {
        environment("PEERS_PYTHON")
            ?? (environment("HOME") ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.cache/kaon/peers/bin/python"
    }

    /// What a script printed and how it ended.
    public struct Run: Sendable {
        /// The script's file name (`nano_reference.py`).
        public var script: String
        /// Exit status.
        public var status: Int32
        /// Standard output and error, interleaved.
        public var output: String
        /// Exit status 0.
        public var succeeded: Bool { status == 0 }
        /// "`<script>` failed (`<status>`):" and the output, for an assertion's message.
        public var failureMessage: String { "\(script) failed (\(status)):\n\(output)" }
    }

    /// The peers' Python is not installed: a comparison that cannot run must fail, not pass.
    public struct PythonMissing: Error, CustomStringConvertible {
        /// Where it was looked for.
        public var path: String
        public var description: String {
            "peers' Python not found at \(path): run `make peers` or `make test` once (it installs the peers venv) or set PEERS_PYTHON"
        }
    }

    /// Runs `<repo>/crosschecks/peers/<script>` with ``python`` and `arguments`; throws
    /// ``PythonMissing`` when there is no interpreter.
    ///
    /// ```swift
    /// let run = try Peers.run("nano_reference.py", out)
    /// #expect(run.succeeded, "\(run.failureMessage)")
    /// ```
    public static func run(_ script: String, _ arguments: String...) throws -> Run {
        try launch(name: script, [repositoryRoot + "/crosschecks/peers/" + script] + arguments)
    }

    /// Runs a short Python program given as text (`python -W ignore -c CODE ARGS…`).
    ///
    /// ```swift
    /// let run = try Peers.run(code: "import sys, uproot; uproot.open(sys.argv[1])", path)
    /// ```
    public static func run(code: String, _ arguments: String...) throws -> Run {
        try launch(name: "inline Python program", ["-W", "ignore", "-c", code] + arguments)
    }

    static func launch(name: String, _ arguments: [String]) throws -> Run {
        let python = python
        guard FileManager.default.isExecutableFile(atPath: python) else { throw PythonMissing(path: python) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(script: name, status: process.terminationStatus, output: output)
    }
}

/// A directory for fixtures: `$<variable>` when set and not empty (kept, for pytest to read),
/// otherwise a fresh ``temporaryPath(_:)`` (removed by ``removeUnlessKept()``).
public struct OutputDirectory: Sendable {
    /// The directory (created).
    public let path: String
    /// Given by the environment: never removed.
    public let isKept: Bool

    /// Creates the directory named by environment variable `variable`, or `<tmp>/kaon-<name>-<pid>`.
    public init(environment variable: String, name: String) throws {
        if let given = environment(variable), !given.isEmpty {
            path = given
            isKept = true
        } else {
            path = temporaryPath(name)
            isKept = false
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes a temporary directory; keeps one the environment gave.
    public func removeUnlessKept() {
        if !isKept { try? FileManager.default.removeItem(atPath: path) }
    }
}
