import Foundation
import KaonColumns
import KaonNano
import KaonROOT
import KaonTestSupport
import KaonTree

// repositoryRoot, sharedData (`<repo>/../shared/data`): KaonTestSupport.
let ttbarPath = sharedData + "/root/nanoAOD_2015_CMS_Open_Data_ttbar.root"
let adlPath = sharedData + "/adl/Run2012B_SingleMu_1000.root"

struct MissingData: Error, CustomStringConvertible {
    let description: String
}

/// Opens a file's tree, failing loudly when the shared data is absent (a skipped check
/// must never pass).
func openTree(_ path: String, _ treePath: String = "Events") throws -> Tree {
    guard FileManager.default.fileExists(atPath: path) else { throw MissingData(description: "test data missing: \(path)") }
    return try Tree(file: ROOTFile(path: path), path: treePath)
}

/// A column source that records which branches were asked for (to test laziness).
final class RecordingSource: ColumnSource {
    let inner: TreeChunk
    var requested: [String] = []
    init(_ inner: TreeChunk) { self.inner = inner }
    var count: Int { inner.count }
    func column(_ name: String) throws -> Column {
        requested.append(name)
        return try inner.column(name)
    }
}

/// A source with only `column` and `count`, like the engine's EventBlock.
final class MinimalSource: ColumnSource {
    let inner: TreeChunk
    init(_ inner: TreeChunk) { self.inner = inner }
    var count: Int { inner.count }
    func column(_ name: String) throws -> Column { try inner.column(name) }
}

