import Foundation
import KaonInference
import KaonIO
import KaonTestSupport

/// The published ATLAS sbottom likelihoods (ins1748602).
enum Sbottom {
    static let archive = sharedData + "/likelihoods/pyhf-ins1748602-probability-models.tar.gz"

    /// The patched workspace: only the two files needed are unpacked, into a temporary
    /// directory removed again once they are read (the whole archive is 36 MB unpacked).
    static func workspace(region: String, patch: String) throws -> Workspace {
        let dir = temporaryPath("sbottom-\(region)-\(patch)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let members = ["\(region)/BkgOnly.json", "\(region)/patch.\(patch).json"]
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["xzf", archive, "-C", dir] + members
        try tar.run()
        tar.waitUntilExit()
        let base = try String(contentsOfFile: "\(dir)/\(members[0])", encoding: .utf8)
        let p = try String(contentsOfFile: "\(dir)/\(members[1])", encoding: .utf8)
        return try Workspace(text: base, patches: [JSONPatch(text: p)])
    }
}
