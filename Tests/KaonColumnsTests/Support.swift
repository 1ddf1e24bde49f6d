import Foundation
import KaonColumns
import KaonNano
import KaonPhysics
import KaonROOT
import KaonTestSupport
import KaonTree

// MARK: - Locations (repositoryRoot, sharedData: KaonTestSupport)

struct MissingData: Error, CustomStringConvertible {
    let description: String
}

// MARK: - The shared data's `Events` trees

/// An `Events` tree of a shared data file (read its columns with KaonNano's `tree.jagged`
/// and `tree.p4`).
struct EventsFile {
    let path: String
    let tree: Tree

    init(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            // Absent data must fail loudly, never make the tests pass vacuously.
            throw MissingData(description: "test data missing: \(path)")
        }
        self.path = path
        tree = try Tree(file: ROOTFile(path: path), path: "Events")
    }
}

// MARK: - Minimal JSON writing with exact numbers

/// Jagged arrays as JSON lists of lists (the scalar builders are KaonTestSupport's `JSON`).
extension JSON {
    static func jagged<T>(_ a: JaggedArray<T>, _ f: (T) -> String) -> String {
        "[" + (0..<a.count).map { l in "[" + a[l].map(f).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }

    static func floats(_ a: JaggedArray<Float>) -> String { jagged(a) { number($0) } }
    static func doubles(_ a: JaggedArray<Double>) -> String { jagged(a) { number($0) } }
    static func ints(_ a: JaggedArray<Int>) -> String { jagged(a) { number($0) } }
}
