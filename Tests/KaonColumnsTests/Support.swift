import Foundation
import KaonColumns
import KaonPhysics
import KaonROOT
import KaonTestSupport
import KaonTree

// MARK: - Locations (repositoryRoot, sharedData: KaonTestSupport)

struct MissingData: Error, CustomStringConvertible {
    let description: String
}

// MARK: - The KaonTree.Column → KaonColumns bridge (KaonNano will own the real one)

/// An `Events` tree with helpers that wrap its columns as `JaggedArray`s.
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

    func jagged<T: BitwiseCopyable>(_ name: String, as _: T.Type = T.self) throws -> JaggedArray<T> {
        let column = try tree.read(tree.branch(name))
        guard case .primitive(let type, let bytes) = column.values, type.size == MemoryLayout<T>.size,
              column.offsets.count == 1 else {
            throw MissingData(description: "\(name) is not a jagged column of \(T.self)")
        }
        return JaggedArray(offsets: column.offsets[0], nativeBytes: bytes)
    }

    func flat<T: BitwiseCopyable>(_ name: String, as _: T.Type = T.self) throws -> [T] {
        let column = try tree.read(tree.branch(name))
        guard case .primitive(let type, let bytes) = column.values, type.size == MemoryLayout<T>.size,
              column.offsets.isEmpty else {
            throw MissingData(description: "\(name) is not a flat column of \(T.self)")
        }
        return decodeNative(bytes, as: T.self)
    }

    /// `<Prefix>_pt/_eta/_phi/_mass` as one four-vector collection.
    func p4(_ prefix: String) throws -> PtEtaPhiMColumns<Float> {
        PtEtaPhiMColumns(pt: try jagged(prefix + "_pt"), eta: try jagged(prefix + "_eta"),
                         phi: try jagged(prefix + "_phi"), mass: try jagged(prefix + "_mass"))
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
