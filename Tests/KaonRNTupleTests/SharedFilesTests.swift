import Foundation
import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// Every field of every RNTuple in `../shared/data/rntuple` reads as uproot 5.7 reads it
/// (compared leaf by leaf through `crosschecks/peers/rntuple_reference.py`).
@Suite struct SharedFilesTests {
    static let folder = sharedData + "/rntuple"

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".root") }.sorted()
    }

    /// The RNTuple anchors of a file.
    static func anchors(_ file: ROOTFile) -> [Key] { file.root.keys.filter(RNTuple.isAnchor) }

    @Test func theSharedFolderHoldsRNTuples() {
        #expect(Self.files.count >= 8, "expected the shared RNTuple files in \(Self.folder)")
    }

    @Test(arguments: files)
    func everyFieldEqualsUproot(_ name: String) throws {
        let path = Self.folder + "/" + name
        let file = try ROOTFile(path: path)
        let keys = Self.anchors(file)
        #expect(keys.count == 1, "\(name): one RNTuple expected")
        for key in keys {
            let ntuple = try RNTuple(file: file, key: key)
            let run = try Peers.run("rntuple_reference.py", path, key.name)
            try #require(run.succeeded, "\(run.failureMessage)")
            let reference = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: [String: Any]]])
            let fields = ntuple.topLevelFields
            #expect(Set(fields.map(\.name)) == Set(reference.keys), "\(name): top-level fields")
            for field in fields {
                let leaves = CanonicalLeaf.leaves(of: try ntuple.read(field))
                let expected = try #require(reference[field.name], "\(name): uproot has no field \(field.name)")
                #expect(Set(leaves.keys) == Set(expected.keys), "\(name) \(field.name): leaves")
                for (leaf, canonical) in leaves.sorted(by: { $0.key < $1.key }) {
                    guard let theirs = expected[leaf] else { continue }
                    let mismatch = canonical.mismatch(with: theirs)
                    #expect(mismatch == nil, "\(name) \(field.name) \(leaf): \(mismatch ?? "")")
                }
            }
        }
    }
}
