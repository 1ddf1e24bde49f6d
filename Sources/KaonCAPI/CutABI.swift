import KaonColumns
import KaonEngine
import KaonIO
import KaonROOT
import KaonTree

/// Evaluates the cut `expression` (Kaon's expression language, `Expression(parsing:)`) over
/// entries `start..<stop` of a tree and stores in `mask` an array handle (the same kind as
/// `kaon_tree_read`'s, released with `kaon_array_free`) of `bool`: one per entry for a
/// per-entry cut, or one per object (with one offsets level) when the cut is a list, such as
/// `Muon_pt > 20`. A value that is none (`Jet_pt[2]` with two jets) does not pass. The
/// branches the cut reads are read here, `threads` at a time, and not handed out.
@_cdecl("kaon_tree_cut")
public func kaonTreeCut(_ handle: UnsafeMutableRawPointer, _ expression: UnsafePointer<CChar>, _ start: Int64, _ stop: Int64,
                        _ threads: Int32, _ mask: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                        _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let opened = Handle.borrow(handle, as: OpenTree.self)
        let text = String(cString: expression)
        guard start >= 0, stop >= start else {
            throw KaonError(.usage, "entry range \(start)..<\(stop) is not a range of entries", file: opened.fileName, object: opened.entries.path)
        }
        let column = try withContext(file: opened.fileName, object: opened.entries.path) {
            try cutMask(Expression(parsing: text), text: text, from: opened, entries: Int(start)..<Int(stop), threads: Int(threads))
        }
        mask.pointee = Handle.retained(try ArrayHandover(column))
    }
}

/// The pass/fail column of `cut` over `entries` of `tree` (see `kaon_tree_cut`).
func cutMask(_ cut: Expression, text: String, from opened: OpenTree, entries: Range<Int>, threads: Int) throws -> Column {
    let names = cut.branches
    let columns = try opened.read(names, entries: entries, threads: threads)
    let byName = Dictionary(zip(names, columns), uniquingKeysWith: { first, _ in first })
    let evaluator = Evaluator(expressionText: text, count: entries.count) { name in
        guard let column = byName[name] else { throw KaonError(.missingBranch, "no branch \(name)") }
        return column
    }
    func bools(_ flags: [Bool]) -> Column.Values { .primitive(.bool, flags.map { $0 ? 1 : 0 }) }
    switch try evaluator.evaluate(cut) {
    case .constant(let value):
        return Column(values: bools(Array(repeating: value != 0, count: entries.count)), entryCount: entries.count, branch: text)
    case .events(let values, let valid):
        let pass = values.indices.map { values[$0] != 0 && (valid?[$0] ?? true) }
        return Column(values: bools(pass), entryCount: entries.count, branch: text)
    case .lists(let lists):
        return Column(values: bools(lists.values.map { $0 != 0 }), offsets: [lists.offsets], entryCount: entries.count, branch: text)
    }
}
