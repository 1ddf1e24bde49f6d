import KaonIO
import KaonROOT
import KaonTree

/// The object behind a `kaon_tree_open` handle.
final class OpenTree {
    let tree: Tree
    init(_ tree: Tree) { self.tree = tree }
}

/// Opens the TTree at `path` in an open file; the handle (released with `kaon_tree_free`)
/// keeps the file open.
@_cdecl("kaon_tree_open")
public func kaonTreeOpen(_ fileHandle: UnsafeMutableRawPointer, _ path: UnsafePointer<CChar>,
                         _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let file = Handle.borrow(fileHandle, as: OpenFile.self).file
        handle.pointee = Handle.retained(OpenTree(try Tree(file: file, path: String(cString: path))))
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
        let tree = Handle.borrow(handle, as: OpenTree.self).tree
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
        let document = JSONValue.object([
            ("name", .string(tree.name)), ("title", .string(tree.title)), ("entries", .integer(Int64(tree.entries))),
            ("branches", .array(branches)),
        ])
        json.pointee = newCString(document.text)
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
        let tree = Handle.borrow(handle, as: OpenTree.self).tree
        let branches = try (0..<count).map { index -> Branch in
            guard let path = paths[index] else { throw KaonError(.usage, "branch path \(index) is null") }
            let branch = try tree.branch(String(cString: path))
            let interpretation = try withContext(file: tree.file.name, object: "\(tree.path):\(branch.path)") {
                try branch.interpretation.get()
            }
            if let refusal = ArrayHandover.refusal(interpretation) {
                throw KaonError(.unsupported, refusal, file: tree.file.name, object: "\(tree.path):\(branch.path)")
            }
            return branch
        }
        guard start >= 0, stop >= start else {
            throw KaonError(.usage, "entry range \(start)..<\(stop) is not a range of entries", file: tree.file.name, object: tree.path)
        }
        // Every column is wrapped before any handle is given out, so a failure leaks nothing.
        let handovers = try tree.read(branches, entries: Int(start)..<Int(stop), threads: Int(threads)).map(ArrayHandover.init)
        for (index, handover) in handovers.enumerated() {
            arrays[index] = Handle.retained(handover)
        }
    }
}
