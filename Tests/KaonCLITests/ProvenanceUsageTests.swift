@testable import KaonCLI
import Testing

/// The options of provenance and metrics fail as usage errors (exit 64) naming the option,
/// before any file is read — as every other option (``UsageErrorTests``, whose check these
/// cases go through).
@Suite struct ProvenanceUsageTests {
    static let cases: [UsageErrorTests.Case] = [
        .init(["run", "--reproduce", "out/results.root", "--analysis", "dimuon"], names: "--reproduce"),
        .init(["run", "--reproduce", "out/results.root", "samples.yml"], names: "--reproduce"),
        .init(["run", "--threads", "2"], names: "samples file", "--reproduce"),
        .init(["run", "q1.adl", "--files", "a.root", "--metrics-format", "openmetrics"], names: "--metrics-format", "--metrics"),
        .init(["draw", "f.root", "x", "--metrics", "m.json", "--metrics-format", "yaml"], names: "--metrics-format", "openmetrics"),
        .init(["copy", "in.root", "out.root", "--metrics-format", "json"], names: "--metrics-format", "--metrics"),
        .init(["metrics", "compare", "a.json", "b.json", "--tolerance", "-1"], names: "--tolerance"),
    ]

    @Test(arguments: cases)
    func usageErrorNamesTheOption(_ c: UsageErrorTests.Case) throws {
        try UsageErrorTests().usageErrorNamesTheOption(c)
    }
}
