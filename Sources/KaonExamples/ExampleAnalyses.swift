import KaonAnalysis
import KaonIO

/// The analyses compiled into Kaon, by the name `kaon run --analysis NAME` takes.
///
/// ```swift
/// let analysis = try ExampleAnalyses.make("dimuon")
/// ```
public enum ExampleAnalyses {
    /// Name, one-line summary and constructor of each example.
    public static let all: [(name: String, summary: String, make: @Sendable () throws -> Analysis)] = [
        ("dimuon", "Z → μμ: dimuon mass, Z-peak jets; muon-SF and JES systematics", DimuonAnalysis.make),
    ]

    /// The example called `name`, or an error listing the available ones.
    public static func make(_ name: String) throws -> Analysis {
        guard let entry = all.first(where: { $0.name == name }) else {
            throw KaonError(.usage, "no example analysis '\(name)'; available: \(all.map(\.name).joined(separator: ", "))")
        }
        return try entry.make()
    }
}
