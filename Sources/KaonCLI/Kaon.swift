import ArgumentParser
import KaonIO

/// The `kaon` command: a quick-look and file tool for ROOT data.
public struct KaonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kaon",
        abstract: "Kaon: read, inspect and analyse ROOT files (TTree, histograms) without ROOT.",
        discussion: """
        Objects are named FILE:PATH, where PATH is a slash-separated path inside the file,
        optionally with ';CYCLE' (for example data.root:dir/Events or hists.root:h1;2).
        Errors name the file and object involved and make kaon exit with status 1;
        a misused command or option exits with status 64 and prints the command's usage.
        Outputs are written under a temporary name and renamed when complete: an
        interrupted or killed kaon never leaves a partial file under an output's name
        (Ctrl-C says which outputs were not written and exits with status 130).
        Sizes read from files are checked before memory is allocated for them:
        KAON_MAX_MEMORY (e.g. 4G) caps any one buffer at half its value.
        """,
        version: KaonBuild.version,
        subcommands: [ListCommand.self, ShowCommand.self, DumpCommand.self, ScanCommand.self, DrawCommand.self, CopyCommand.self,
                      MergeCommand.self, ADLCommand.self, FitCommand.self, ClsCommand.self, LimitCommand.self, RankingCommand.self,
                      WorkspaceCommand.self, DiffCutCommand.self, DemoCommand.self, RunCommand.self, NewCommand.self,
                      NanoDumpCommand.self, CorrectionCommand.self, PredictCommand.self, ProvenanceCommand.self, MetricsCommand.self, PlotCommand.self, AGCCommand.self]
    )

    public init() {}

    /// Parses the command line and runs the subcommand it names.
    ///
    /// ArgumentParser's own `main()` reports a `ValidationError` thrown from `run()` with the
    /// usage of the root command, which does not say how to call the subcommand that was
    /// misused; here such an error gets that subcommand's usage (as errors found while
    /// parsing already do). Other errors are runtime errors: their message, exit status 1.
    public static func main() {
        // First, before any thread starts: Ctrl-C then removes partial outputs and says so.
        PendingOutputs.installInterruptHandler()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            try checkHelpTopics(arguments)
            try checkEnvironment()
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            let subcommand = type(of: command)
            writeToStandardError("Error: \(error.message)\nUsage: \(usageString(for: subcommand))\n"
                                 + "  See '\(commandPath(of: subcommand)) --help' for more information.\n")
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }

    /// KAON_MAX_MEMORY, when set, must be a size: a typo must not silently leave memory
    /// unbounded (a usage error, exit 64).
    static func checkEnvironment() throws {
        do {
            try AllocationBudget.validateEnvironment()
        } catch let error as KaonError {
            throw ValidationError(error.message)
        }
    }

    /// `kaon help NAME…` must name commands that exist; ArgumentParser would print the main
    /// help with status 0 for a misspelt one, which hides the mistake from scripts.
    static func checkHelpTopics(_ arguments: [String]) throws {
        guard arguments.first == "help" else { return }
        var children = configuration.subcommands
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let names = children.map(commandName)
            guard let index = names.firstIndex(of: name) else {
                throw ValidationError("no command named '\(name)'; the commands are: \(names.joined(separator: ", "))")
            }
            children = children[index].configuration.subcommands
        }
    }
}

/// The name a command is called by.
private func commandName(_ type: ParsableCommand.Type) -> String { type._commandName }

/// The command names from the root to a subcommand ("kaon dump"), for usage hints.
private func commandPath(of subcommand: ParsableCommand.Type) -> String {
    func search(_ type: ParsableCommand.Type, _ names: [String]) -> [String]? {
        let path = names + [commandName(type)]
        if ObjectIdentifier(type) == ObjectIdentifier(subcommand) { return path }
        for child in type.configuration.subcommands {
            if let found = search(child, path) { return found }
        }
        return nil
    }
    return (search(KaonCommand.self, []) ?? [commandName(subcommand)]).joined(separator: " ")
}
