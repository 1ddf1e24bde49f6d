import KaonIO
import KaonROOT

/// The object behind a `kaon_file_open` handle.
final class OpenFile {
    let file: ROOTFile
    init(_ file: ROOTFile) { self.file = file }
}

/// Opens a ROOT file by local path or URL (`https://…`, `root://…`) and stores a handle
/// in `handle`, to be released with `kaon_file_close`.
@_cdecl("kaon_file_open")
public func kaonFileOpen(_ path: UnsafePointer<CChar>, _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        handle.pointee = Handle.retained(OpenFile(try ROOTFile(path: String(cString: path))))
    }
}

@_cdecl("kaon_file_close")
public func kaonFileClose(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}

/// Every key of the file, depth first, as a JSON array of `{"path", "cycle", "classname"}`
/// (paths joined by `/` from the top directory), in `json` (freed with `kaon_string_free`).
@_cdecl("kaon_file_keys")
public func kaonFileKeys(_ handle: UnsafeMutableRawPointer, _ json: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                         _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let file = Handle.borrow(handle, as: OpenFile.self).file
        let keys = try withContext(file: file.name) { try file.root.walk() }
        let items = keys.map { path, key in
            JSONValue.object([("path", .string(path)), ("cycle", .integer(Int64(key.cycle))), ("classname", .string(key.className))])
        }
        json.pointee = newCString(JSONValue.array(items).text)
    }
}
