import ArgumentParser
@testable import KaonCLI
import Testing

/// Every subcommand's help, asked for both ways (`kaon NAME --help`, `kaon help NAME`).
/// ArgumentParser builds a help page from the command's declarations when it is asked for, so
/// a declaration it cannot print shows up here for every command, not only for the few whose
/// help the end-to-end tests read.
@Suite struct SubcommandHelpTests {
    /// The names that call each command below `kaon`, depth first: ["dump"], …
    static func commandPaths(below command: ParsableCommand.Type = KaonCommand.self, _ prefix: [String] = []) -> [[String]] {
        command.configuration.subcommands.flatMap { child in
            let path = prefix + [child._commandName]
            return [path] + commandPaths(below: child, path)
        }
    }

    /// Every command below `kaon`.
    static func commandTypes(below command: ParsableCommand.Type = KaonCommand.self) -> [ParsableCommand.Type] {
        command.configuration.subcommands.flatMap { [$0] + commandTypes(below: $0) }
    }

    @Test func everyCommandHasItsOwnName() {
        let paths = Self.commandPaths()
        #expect(paths.count >= 18, "\(paths)")
        #expect(Set(paths).count == paths.count, "a name calls two commands: \(paths)")
    }

    @Test(arguments: commandPaths())
    func helpParsesAndShowsTheCommandsUsage(_ path: [String]) throws {
        // ArgumentParser answers `--help` with its own help command, whose `run()` throws the
        // request; the command itself must not be what was parsed (running it here could
        // write files).
        var help = try KaonCommand.parseAsRoot(path + ["--help"])
        let parsed = ObjectIdentifier(type(of: help))
        try #require(Self.commandTypes().allSatisfy { ObjectIdentifier($0) != parsed }, "kaon \(path) --help parsed as the command")
        let request = try #require(throws: (any Error).self, "kaon \(path) --help printed nothing") { try help.run() }
        #expect(KaonCommand.exitCode(for: request) == .success, "\(request)")
        let text = KaonCommand.fullMessage(for: request)
        #expect(text.contains("USAGE: kaon \(path.joined(separator: " "))"), "\(text)")
        #expect(text.contains("OPTIONS:"), "\(text)")
        // `kaon help NAME` accepts the same names (the check KaonCommand.main makes first).
        try KaonCommand.checkHelpTopics(["help"] + path)
    }
}
