import Foundation
import KaonInference
import KaonIO
import KaonTestSupport

/// The published ATLAS sbottom likelihoods (ins1748602), unpacked once per process.
enum Sbottom {
    static let archive = sharedData + "/likelihoods/pyhf-ins1748602-probability-models.tar.gz"

    /// `<tmp>/kaon-sbottom-<pid>`, holding `RegionA/BkgOnly.json` and the patches.
    static let directory: String = {
        let dir = temporaryPath("sbottom")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["xzf", archive, "-C", dir]
        try? tar.run()
        tar.waitUntilExit()
        return dir
    }()

    static func workspace(region: String, patch: String) throws -> Workspace {
        let base = try String(contentsOfFile: "\(directory)/\(region)/BkgOnly.json", encoding: .utf8)
        let p = try String(contentsOfFile: "\(directory)/\(region)/patch.\(patch).json", encoding: .utf8)
        return try Workspace(text: base, patches: [JSONPatch(text: p)])
    }
}
