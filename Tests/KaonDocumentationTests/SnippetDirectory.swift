import Foundation
import KaonTestSupport

/// The working directory a documentation snippet runs in: the short paths the documents use,
/// as symbolic links to real files in `$SHARED/data`, and the samples file they read.
///
/// A snippet runs in a child process (an exit test) that changes into this directory, so the
/// documents keep readable relative paths and the test process's working directory never
/// changes under other tests.
enum SnippetDirectory {
    /// Document path → file in `$SHARED/data`.
    static let links: [(name: String, target: String)] = [
        // NanoAOD format, with the trigger bits, tight-ID flags and b-tag discriminant the
        // snippets read.
        ("nano.root", "adl/Run2012B_SingleMu_1000.root"),
        ("Run2012B_SingleMu_1000.root", "adl/Run2012B_SingleMu_1000.root"),
        ("data/Run2012B_SingleMu_1000.root", "adl/Run2012B_SingleMu_1000.root"),
        ("histograms.root", "root/root-6.40-histograms.root"),
        ("staff.root", "rntuple/ntpl001_staff_rntuple_v1-0-0-0.root"),
        ("muons-rntuple.root", "rntuple/Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root"),
    ]

    /// Events in `data/*.root`, for the tests that check what a snippet computed.
    static let dataEntries = 1000

    /// The samples file of the analysis snippets. None of the shared files is simulation
    /// with both the trigger bits and `genWeight` the snippets read, so the set is the real
    /// data alone (`mcOnly` weights and variations then do not apply, as documented).
    static let samplesFile = """
        luminosity: 4400
        tree: Events
        samples:
          SingleMuon:
            files: [data/*.root]
            type: data
        """

    /// A fresh directory holding the links and `samples.yml`; its path.
    static func prepare() throws -> String {
        let files = FileManager.default
        let directory = temporaryPath("snippets")
        try files.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        for link in links {
            let target = sharedData + "/" + link.target
            guard files.fileExists(atPath: target) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: target])
            }
            try files.createSymbolicLink(atPath: directory + "/" + link.name, withDestinationPath: target)
        }
        try samplesFile.write(toFile: directory + "/samples.yml", atomically: true, encoding: .utf8)
        return directory
    }

    /// Makes `directory` the working directory (in the child process only).
    static func enter(_ directory: String) throws {
        guard FileManager.default.changeCurrentDirectoryPath(directory) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: directory])
        }
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
