import Foundation
import Testing

/// Running a snippet in the child process of an exit test, and reporting why it failed. The
/// parent learns only the exit status, so the child writes what went wrong (a thrown error, a
/// failed check) to a file in the snippet's directory, which the parent then reports.
enum SnippetProcess {
    static let failureFile = "snippet-failure.txt"

    /// In the child: changes into `directory` and runs `body`; a thrown error is written down
    /// and ends the process with status 1.
    static func run(in directory: String, _ body: () throws -> Void) async {
        do {
            try SnippetDirectory.enter(directory)
            try body()
        } catch {
            fail("error: \(error)")
        }
    }

    /// The same for a snippet that awaits.
    static func run(in directory: String, _ body: () async throws -> Void) async {
        do {
            try SnippetDirectory.enter(directory)
            try await body()
        } catch {
            fail("error: \(error)")
        }
    }

    /// In the child: unless `condition` holds, writes `message` down and exits with status 1.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    static func fail(_ message: String) -> Never {
        try? message.write(toFile: failureFile, atomically: true, encoding: .utf8)
        exit(1)
    }

    /// In the parent, after the exit test: records what the child wrote down, if anything.
    static func report(_ directory: String, _ location: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let message = try? String(contentsOfFile: directory + "/" + failureFile, encoding: .utf8) else { return }
        Issue.record("\(location): \(message)", sourceLocation: sourceLocation)
    }
}
