import KaonROOT
import KaonTree
import Testing

/// Every TTree of `local` read through `remote` gives the same columns bit for bit: entries,
/// and each branch Kaon can read locally. Returns the remote trees, for checks of their own.
@discardableResult
func expectTreesReadAlike(remote: ROOTFile, local: ROOTFile, name: String) throws -> [(tree: Tree, readable: [Branch])] {
    var trees: [(tree: Tree, readable: [Branch])] = []
    for entry in try local.root.walk() where entry.key.className == "TTree" {
        let localTree = try Tree(file: local, path: entry.path)
        let remoteTree = try Tree(file: remote, path: entry.path)
        #expect(remoteTree.entries == localTree.entries)
        var readable: [Branch] = []
        for branch in localTree.dataBranches {
            guard let expected = try? localTree.read(branch) else { continue }
            let column = try remoteTree.read(remoteTree.branch(branch.path))
            #expect(column.isBitIdentical(to: expected), "\(name): \(entry.path):\(branch.path)")
            readable.append(branch)
        }
        #expect(!readable.isEmpty || localTree.dataBranches.isEmpty, "\(name): no branch compared")
        trees.append((remoteTree, readable))
    }
    return trees
}
