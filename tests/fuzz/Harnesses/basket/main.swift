// One basket of a real TTree replaced by the input (its key header with the TBasket fields,
// then its payload: entry data and the entry-offset table), then the basket's branch read:
// basket header parsing, offsets, and decoding into typed columns (`ColumnBuilder`).
//
// Input: one byte choosing the template file, one choosing the basket (modulo the number of
// baskets in that file), then the basket record (the record's length is the template's).
import KaonFuzzSupport
import KaonIO
import KaonROOT
import KaonTree

/// Uncompressed files (mutations reach the basket decoder, not a decompressor) with flat,
/// fixed-size array, jagged (`vector<…>` and counted) and string branches.
let templates = try! [TemplateFile("root/uproot-sample-6.20.04-uncompressed.root"), TemplateFile("root/uproot-HZZ-uncompressed.root")]

struct TemplateTree {
    let source: SplicedSource
    let tree: Tree
    let baskets: [Key]
    /// The branch each basket belongs to (a basket key is named after its branch).
    let branches: [Branch]
}

let trees: [TemplateTree] = templates.map { template in
    let source = SplicedSource(name: template.path, template: template.bytes)
    let file = try! ROOTFile(source: source)
    let (path, key) = try! template.objectKeys().first { $0.key.className == "TTree" }!
    let tree = try! Tree(file: file, path: path, object: file.readObject(key))
    var baskets: [Key] = []
    var branches: [Branch] = []
    for basket in template.basketKeys() where !basket.isCompressed {
        if let branch = tree.dataBranches.first(where: { $0.name == basket.name }) {
            baskets.append(basket)
            branches.append(branch)
        }
    }
    precondition(!baskets.isEmpty, "\(template.path): no uncompressed baskets found")
    return TemplateTree(source: source, tree: tree, baskets: baskets, branches: branches)
}

runFuzzer(makeSeeds: { seeds in
    for (index, template) in trees.enumerated() {
        for (number, basket) in template.baskets.enumerated() {
            let record = templates[index].bytes[basket.seekKey..<(basket.seekKey + basket.totalBytes)]
            try seeds.write("\(templates[index].path)-\(basket.name)-\(number)", [UInt8(index), UInt8(number % 256)] + record)
        }
    }
}) { bytes in
    guard bytes.count >= 2 else { return }
    let template = trees[Int(bytes[0]) % trees.count]
    let number = Int(bytes[1]) % template.baskets.count
    let basket = template.baskets[number]
    template.source.splice(bytes.dropFirst(2), into: basket.seekKey..<(basket.seekKey + basket.totalBytes))
    _ = try template.tree.read(template.branches[number])
}
