import Dispatch
import KaonEngine
import KaonIO
import KaonRNTuple
import KaonROOT
import KaonTree
import Synchronization

/// The object behind a `kaon_tree_open` handle: a TTree or an RNTuple (its key's class
/// decides), read through the same calls, so that the Python package's `Tree` serves both as
/// uproot's TTree and RNTuple objects do.
final class OpenTree {
    let entries: OpenedEntries
    init(_ entries: OpenedEntries) { self.entries = entries }

    /// The file's name, for messages.
    var fileName: String {
        switch entries {
        case .tree(let tree): tree.file.name
        case .rntuple(let ntuple): ntuple.file.name
        }
    }

    /// The columns `names` (branch paths or unique names; RNTuple field names or dotted paths)
    /// for `range`, spread over `threads` threads. A branch the C interface cannot hand over
    /// (maps) fails the call before anything is read, naming the branch and its type.
    func read(_ names: [String], entries range: Range<Int>, threads: Int) throws -> [Column] {
        guard range.lowerBound >= 0 else {
            throw KaonError(.usage, "entry range \(range) is not a range of entries", file: fileName, object: entries.path)
        }
        switch entries {
        case .tree(let tree):
            let branches = try names.map { name -> Branch in
                let branch = try tree.branch(name)
                let interpretation = try withContext(file: tree.file.name, object: "\(tree.path):\(branch.path)") {
                    try branch.interpretation.get()
                }
                if let refusal = ArrayHandover.refusal(interpretation) {
                    throw KaonError(.unsupported, refusal, file: tree.file.name, object: "\(tree.path):\(branch.path)")
                }
                return branch
            }
            return try tree.read(branches, entries: range, threads: threads)
        case .rntuple(let ntuple):
            let paths = try names.map { name in try withContext(file: ntuple.file.name, object: ntuple.name) { try ntuple.resolvedName(name) } }
            let results = Mutex<[Result<Column, any Error>?]>(Array(repeating: nil, count: paths.count))
            let readOne: @Sendable (Int) -> Void = { i in
                let result = Result { try withContext(file: ntuple.file.name, object: "\(ntuple.name):\(paths[i])") {
                    try ntuple.readColumn(paths[i], entries: range)
                } }
                results.withLock { $0[i] = result }
            }
            if threads > 1 {
                DispatchQueue.concurrentPerform(iterations: paths.count, execute: readOne)
            } else {
                paths.indices.forEach(readOne)
            }
            return try results.withLock { $0 }.map { try $0!.get() }
        }
    }

    /// Name, title, entries, the object's class and its columns as JSON (`kaon_tree_json`).
    var description: JSONValue {
        switch entries {
        case .tree(let tree):
            let branches = tree.allBranches.map { branch -> JSONValue in
                let interpretation = branch.interpretation
                let typeName: JSONValue = (try? interpretation.get()).map { .string($0.typeName) } ?? .null
                let unreadable: JSONValue
                if case .failure(let reason) = interpretation { unreadable = .string(reason.message) } else { unreadable = .null }
                let handover: JSONValue = (try? interpretation.get()).flatMap(ArrayHandover.refusal).map(JSONValue.string) ?? .null
                return .object([
                    ("path", .string(branch.path)), ("name", .string(branch.name)), ("typename", typeName),
                    ("unreadable", unreadable), ("handover", handover), ("subbranches", .integer(Int64(branch.branches.count))),
                ])
            }
            return .object([
                ("name", .string(tree.name)), ("title", .string(tree.title)), ("entries", .integer(Int64(tree.entries))),
                ("classname", .string("TTree")), ("branches", .array(branches)),
            ])
        case .rntuple(let ntuple):
            // Top-level fields are the columns (records come whole, as awkward records).
            let fields = ntuple.topLevelFields.map { field -> JSONValue in
                .object([
                    ("path", .string(field.name)), ("name", .string(field.name)), ("typename", .string(field.typeName)),
                    ("unreadable", .null), ("handover", .null), ("subbranches", .integer(0)),
                ])
            }
            return .object([
                ("name", .string(ntuple.name)), ("title", .string(ntuple.ntupleDescription)),
                ("entries", .integer(Int64(ntuple.entryCount))), ("classname", .string("ROOT::RNTuple")), ("branches", .array(fields)),
            ])
        }
    }
}

/// Opens the TTree or RNTuple at `path` in an open file; the handle (released with
/// `kaon_tree_free`) keeps the file open.
@_cdecl("kaon_tree_open")
public func kaonTreeOpen(_ fileHandle: UnsafeMutableRawPointer, _ path: UnsafePointer<CChar>,
                         _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let file = Handle.borrow(fileHandle, as: OpenFile.self).file
        handle.pointee = Handle.retained(OpenTree(try OpenedEntries.open(file, path: String(cString: path))))
    }
}

@_cdecl("kaon_tree_free")
public func kaonTreeFree(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}

/// The tree's name, title, entries and every branch (depth first) as JSON: each branch's
/// `path`, `name`, `typename` (null when Kaon cannot interpret it), `unreadable` (why, or
/// null) and `handover` (why the C interface cannot hand it over, or null).
@_cdecl("kaon_tree_json")
public func kaonTreeJSON(_ handle: UnsafeMutableRawPointer, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        json.pointee = newCString(Handle.borrow(handle, as: OpenTree.self).description.text)
    }
}

/// Reads `count` branches (paths or unique names) for entries `start..<stop`, spreading
/// the branches over threads when `threads` > 1 (`Tree.read(_:entries:threads:)`), and
/// stores one array handle per branch in `arrays` (each released with `kaon_array_free`).
/// A branch the C interface cannot hand over (maps) fails the whole call before anything is
/// read, naming the branch and its type.
@_cdecl("kaon_tree_read")
public func kaonTreeRead(_ handle: UnsafeMutableRawPointer, _ paths: UnsafePointer<UnsafePointer<CChar>?>, _ count: Int,
                         _ start: Int64, _ stop: Int64, _ threads: Int32,
                         _ arrays: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let opened = Handle.borrow(handle, as: OpenTree.self)
        let names = try (0..<count).map { index -> String in
            guard let path = paths[index] else { throw KaonError(.usage, "branch path \(index) is null") }
            return String(cString: path)
        }
        guard start >= 0, stop >= start else {
            throw KaonError(.usage, "entry range \(start)..<\(stop) is not a range of entries", file: opened.fileName, object: opened.entries.path)
        }
        // Every column is wrapped before any handle is given out, so a failure leaks nothing.
        let handovers = try opened.read(names, entries: Int(start)..<Int(stop), threads: Int(threads)).map(ArrayHandover.init)
        for (index, handover) in handovers.enumerated() {
            arrays[index] = Handle.retained(handover)
        }
    }
}
