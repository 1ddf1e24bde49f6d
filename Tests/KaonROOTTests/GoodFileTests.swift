import KaonIO
import KaonROOT
import KaonTree
import Testing

@Suite("Good files read completely")
struct GoodFileTests {
    static let treeFiles = [
        "root-6.40-adl-2000-zlib.root",
        "root-6.40-adl-2000-lzma.root",
        "root-6.40-adl-2000-lz4.root",
        "root-6.40-adl-2000-zstd.root",
        "nanoAOD_2015_CMS_Open_Data_ttbar.root",
    ]

    @Test("the shared test data is present")
    func dataPresent() throws {
        for name in Self.treeFiles + ["uproot-HZZ.root", "root-6.40-histograms.root"] {
            let bytes = try TestData.shared.bytes(name)
            #expect(bytes.count > 1000, "\(name) is suspiciously small")
            #expect(Array(bytes.prefix(4)) == Array("root".utf8), "\(name) is not a ROOT file")
        }
    }

    @Test("every data branch reads without error, with entryCount == tree.entries", arguments: treeFiles)
    func everyBranch(_ name: String) throws {
        let path = dataDirectory + "/" + name
        _ = try TestData.shared.bytes(name)  // a clear message if the data is missing
        let file = try ROOTFile(path: path)
        let trees = try file.root.walk().filter { $0.key.className == "TTree" }
        try #require(trees.count == 1, "\(name) should hold one tree")
        let tree = try Tree(file: file, path: trees[0].path)
        #expect(tree.entries > 0)
        let branches = tree.dataBranches
        #expect(branches.count > 50, "\(name): only \(branches.count) data branches")
        var totalValues = 0
        for branch in branches {
            let column: Column
            do {
                column = try tree.read(branch)
            } catch {
                Issue.record("\(name): branch \(branch.path) failed: \(error)")
                continue
            }
            #expect(column.entryCount == tree.entries, "\(name): \(branch.path) has \(column.entryCount) entries, the tree \(tree.entries)")
            if let first = column.offsets.first {
                #expect(first.count == tree.entries + 1, "\(name): \(branch.path) offsets")
                #expect(first.last == column.valueCount || column.offsets.count > 1 || column.innerShape != [],
                        "\(name): \(branch.path) offsets end at \(first.last ?? -1), \(column.valueCount) values")
            }
            totalValues += column.valueCount
        }
        #expect(totalValues > tree.entries)
    }

    @Test("the four ADL files decode to identical columns")
    func codecsAgree() throws {
        var reference: [String: [UInt8]] = [:]
        for (index, name) in Self.treeFiles.prefix(4).enumerated() {
            _ = try TestData.shared.bytes(name)
            let file = try ROOTFile(path: dataDirectory + "/" + name)
            let tree = try Tree(file: file, path: "Events")
            for branch in tree.dataBranches {
                let column = try tree.read(branch)
                guard case .primitive(_, let raw) = column.values else { continue }
                let digest = raw + column.offsets.flatMap { $0.flatMap { withUnsafeBytes(of: $0) { Array($0) } } }
                if index == 0 {
                    reference[branch.path] = digest
                } else {
                    #expect(reference[branch.path] == digest, "\(name): \(branch.path) differs from the zlib file")
                }
            }
        }
        #expect(reference.count > 50)
    }

    @Test("the baseline files used for mutation read without any error",
          arguments: ["uproot-HZZ.root", "root-6.40-histograms.root"])
    func baselines(_ name: String) throws {
        let report = readEverything(MemorySource(name: name, bytes: try TestData.shared.bytes(name)))
        #expect(report.opened)
        #expect(report.errors.isEmpty, "\(report.errors.map(\.description))")
        #expect(report.foreignErrors.isEmpty)
        #expect(report.branchesRead + report.histogramsRead > 0)
        if name.contains("histograms") { #expect(report.histogramsRead == 10) }
    }
}
