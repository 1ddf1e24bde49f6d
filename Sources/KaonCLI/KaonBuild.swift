/// What this `kaon` is: its version and the git commit it was built from (written before
/// each build by Plugins/GitCommit; "unknown" outside a git checkout).
enum KaonBuild {
    static let version = "0.1.0"
    static let gitCommit = kaonGitCommit
}
