import Foundation
import KaonIO
import KaonROOT
import KaonTestSupport
import KaonTree
import Testing

/// `Column.values(as:)`: a branch reads only as the Swift type of its stored primitive type.
/// Ground truth is uproot reading the same branches of a file that holds every primitive
/// leaf type (scalar, fixed `[3]` and counted arrays), written by ROOT 6.20.
@Suite struct ColumnValuesTests {
    static let samplePath = sharedData + "/root/uproot-sample-6.20.04-uncompressed.root"

    /// Each Swift type, the stored type it must find, the sample branches that store it,
    /// and how to read a value uproot printed.
    struct Case: Sendable {
        let prefix: String
        let check: @Sendable (_ tree: Tree, _ branch: String, _ uproot: [String]) throws -> Void
        let isType: @Sendable (Column) -> Bool
        let ask: @Sendable (Column) throws -> Void
    }

    static func `case`<T: PrimitiveValue & Equatable>(_ prefix: String, _: T.Type, _ parse: @escaping @Sendable (String) -> T?) -> Case {
        Case(prefix: prefix, check: { tree, name, expected in
            let values = try tree.read(tree.branch(name)).values(as: T.self)
            #expect(values == expected.map { parse($0) }, "\(name) as \(T.self)")
        }, isType: { column in
            if case .primitive(let type, _) = column.values { return type == T.primitiveType }
            return false
        }, ask: { column in _ = try column.values(as: T.self) })
    }

    static let cases: [Case] = [
        `case`("b", Bool.self) { ["True": true, "False": false][$0] },
        `case`("i1", Int8.self) { Int8($0) }, `case`("u1", UInt8.self) { UInt8($0) },
        `case`("i2", Int16.self) { Int16($0) }, `case`("u2", UInt16.self) { UInt16($0) },
        `case`("i4", Int32.self) { Int32($0) }, `case`("u4", UInt32.self) { UInt32($0) },
        `case`("i8", Int64.self) { Int64($0) }, `case`("u8", UInt64.self) { UInt64($0) },
        // uproot prints float32 values widened to double, exactly; narrowing them back is exact.
        `case`("f4", Float.self) { Double($0).map(Float.init) }, `case`("f8", Double.self) { Double($0) },
    ]

    /// Scalar, fixed-array and counted-array branches of one type: `i4`, `ai4`, `Ai4`.
    static func branches(_ prefix: String) -> [String] { [prefix, "a" + prefix, "A" + prefix] }

    /// Every primitive type reads back as itself, equal to uproot's values.
    @Test func everyPrimitiveTypeReadsAsItself() throws {
        let tree = try Tree(file: ROOTFile(path: Self.samplePath), path: "sample")
        let names = Self.cases.flatMap { Self.branches($0.prefix) }
        let code = """
        import sys, uproot, awkward as ak
        tree = uproot.open(sys.argv[1])["sample"]
        for name in sys.argv[2].split(","):
            values = ak.flatten(tree[name].array(), axis=None).to_list()
            print(name + "\\t" + " ".join(repr(v) for v in values))
        """
        let run = try Peers.run(code: code, Self.samplePath, names.joined(separator: ","))
        try #require(run.succeeded, "\(run.failureMessage)")
        var uproot: [String: [String]] = [:]
        for line in run.output.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            uproot[String(parts[0])] = parts[1].split(separator: " ").map(String.init)
        }
        for c in Self.cases {
            for name in Self.branches(c.prefix) {
                let expected = try #require(uproot[name], "uproot printed nothing for \(name):\n\(run.output)")
                #expect(!expected.isEmpty, "\(name) is empty: the comparison would prove nothing")
                try c.check(tree, name, expected)
            }
        }
    }

    /// Every branch refuses every Swift type but its own (no reinterpreted bits), and the
    /// string branch refuses them all.
    @Test func everyOtherTypeThrows() throws {
        let tree = try Tree(file: ROOTFile(path: Self.samplePath), path: "sample")
        let names = Self.cases.flatMap { Self.branches($0.prefix) } + ["str"]
        for name in names {
            let column = try tree.read(tree.branch(name))
            for c in Self.cases where !c.isType(column) {
                #expect(throws: KaonError.self, "\(name) with \(c.prefix)'s type") { try c.ask(column) }
            }
        }
    }

    /// A float branch asked for `Int32` throws, naming the branch and both types.
    @Test func floatBranchAsInt32Throws() throws {
        let path = sharedData + "/adl/Run2012B_SingleMu_1000.root"
        let tree = try Tree(file: ROOTFile(path: path), path: "Events")
        let column = try tree.read(tree.branch("Muon_pt"))
        let error = try #require(throws: KaonError.self) { try column.values(as: Int32.self) }
        #expect(error.kind == .usage)
        #expect(error.description == "Muon_pt: holds float32 values, not Int32")
        #expect(try column.values(as: Float.self).count == column.valueCount)
    }
}
