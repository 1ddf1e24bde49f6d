import KaonIO
import KaonROOT
import KaonWrite

/// Creates a TTree at `path` (`dir/name`) of a file being written, with the branches the
/// JSON array `branches` describes, and stores its handle (a `TreeWriter`, released with
/// `kaon_tree_writer_free`) in `handle`. Each branch is an object with `name`, `dtype`
/// (`bool`, `int8` … `float64`), `kind` and an optional `title`:
///
/// - `scalar`: one number per entry;
/// - `array`: a fixed-size array per entry, of dimensions `shape`;
/// - `counted`: a variable number of items per entry (`x[n]/F`), given by the scalar integer
///   branch `counter`, with fixed inner dimensions `shape` (may be empty).
///
/// The tree is finished (its TTree key written) when the file is closed.
@_cdecl("kaon_tree_writer_create")
public func kaonTreeWriterCreate(_ fileHandle: UnsafeMutableRawPointer, _ path: UnsafePointer<CChar>, _ title: UnsafePointer<CChar>,
                                 _ branches: UnsafePointer<CChar>, _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                                 _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let file = Handle.borrow(fileHandle, as: ROOTFileWriter.self)
        let treePath = String(cString: path)
        let specs = try withContext(file: file.path, object: treePath) {
            guard let items = try JSONValue.parse(String(cString: branches)).array else {
                throw KaonError(.usage, "the branch descriptions are not a JSON array")
            }
            return try items.map(branchSpec)
        }
        handle.pointee = Handle.retained(try TreeWriter(file: file, path: treePath, title: String(cString: title), branches: specs))
    }
}

/// The branch a `kaon_tree_writer_create` description names.
func branchSpec(_ description: JSONValue) throws -> BranchSpec {
    guard let name = description["name"]?.string else { throw KaonError(.usage, "a branch description has no name") }
    let dtype = description["dtype"]?.string ?? ""
    guard let type = PrimitiveType(rawValue: dtype) else {
        throw KaonError(.usage, "branch \(name): dtype \(dtype) is not one of \(PrimitiveType.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let shape = (description["shape"]?.array ?? []).compactMap { $0.integer.map(Int.init) }
    let branchType: BranchType
    switch description["kind"]?.string {
    case "scalar": branchType = .scalar(type)
    case "array": branchType = .array(type, shape: shape)
    case "counted":
        guard let counter = description["counter"]?.string else { throw KaonError(.usage, "counted branch \(name) names no counter") }
        branchType = .counted(type, counter: counter, shape: shape)
    case let kind: throw KaonError(.usage, "branch \(name): kind \(kind ?? "null") is not scalar, array or counted")
    }
    return BranchSpec(name, branchType, title: description["title"]?.string)
}

/// Appends `entries` entries to a tree being written: for each of its `count` branches (all
/// of them, by name), `values[i]` points at `valueBytes[i]` bytes of native-order values and,
/// for a counted branch, `offsets[i]` at `offsetCounts[i]` (= entries + 1) int64 offsets in
/// items (null for other branches). The values are copied once, into the basket buffers'
/// input; the caller's buffers are not kept.
@_cdecl("kaon_tree_writer_append")
public func kaonTreeWriterAppend(_ handle: UnsafeMutableRawPointer, _ count: Int, _ names: UnsafePointer<UnsafePointer<CChar>?>,
                                 _ values: UnsafePointer<UnsafeRawPointer?>, _ valueBytes: UnsafePointer<Int>,
                                 _ offsets: UnsafePointer<UnsafePointer<Int64>?>, _ offsetCounts: UnsafePointer<Int>,
                                 _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let tree = Handle.borrow(handle, as: TreeWriter.self)
        let specs = Dictionary(tree.branches.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var batch: [String: BranchValues] = [:]
        for index in 0..<count {
            guard let namePointer = names[index] else { throw KaonError(.usage, "branch name \(index) is null", file: tree.file.path, object: tree.name) }
            let name = String(cString: namePointer)
            let type: PrimitiveType
            switch specs[name]?.type {
            case .scalar(let item)?, .array(let item, _)?, .counted(let item, _, _)?: type = item
            default: throw KaonError(.usage, "tree \(tree.name) has no numeric branch \(name)", file: tree.file.path)
            }
            let bytes = Array(UnsafeRawBufferPointer(start: values[index], count: values[index] == nil ? 0 : valueBytes[index]))
            if let offsetPointer = offsets[index] {
                let itemOffsets = UnsafeBufferPointer(start: offsetPointer, count: offsetCounts[index]).map { Int($0) }
                batch[name] = .jagged(type, offsets: itemOffsets, bytes)
            } else {
                batch[name] = .primitive(type, bytes)
            }
        }
        try tree.append(batch)
    }
}

@_cdecl("kaon_tree_writer_free")
public func kaonTreeWriterFree(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}
