import ArgumentParser

/// The `kaon` command: a quick-look and file tool for ROOT data.
public struct KaonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kaon",
        abstract: "Kaon: read, inspect and analyse ROOT files (TTree, histograms) without ROOT.",
        discussion: """
        Objects are named FILE:PATH, where PATH is a slash-separated path inside the file,
        optionally with ';CYCLE' (for example data.root:dir/Events or hists.root:h1;2).
        Errors name the file and object involved and make kaon exit with status 1.
        """,
        version: "0.1.0",
        subcommands: [ListCommand.self, ShowCommand.self, DumpCommand.self, ScanCommand.self, DrawCommand.self, CopyCommand.self,
                      MergeCommand.self, ADLCommand.self, FitCommand.self, ClsCommand.self, LimitCommand.self, RankingCommand.self,
                      WorkspaceCommand.self, DiffCutCommand.self, DemoCommand.self, RunCommand.self, NewCommand.self,
                      NanoDumpCommand.self, BenchHistCommand.self, BenchColumnsCommand.self, BenchEngineCommand.self,
                      BenchInferenceCommand.self]
    )

    public init() {}
}
