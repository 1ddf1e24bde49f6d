import KaonIO
import KaonWrite

// Writing ROOT files from C: a `kaon_writer_create` handle is a `ROOTFileWriter` itself (a
// class, so it needs no wrapper). Histograms and trees are written into it by path; the file
// appears under its final name when `kaon_writer_close` succeeds (ROOTFileWriter writes a
// temporary file and renames it), and a handle released unclosed leaves no file behind.

/// Creates a ROOT file at `path` (replacing any file there on close) with the compression
/// `compression` (`zlib:4`, `lzma:9`, `lz4:1`, `zstd:5`, `none`, or ROOT's number such as
/// `505`; null or empty is `CompressionSettings.rootDefault`) and stores a handle in `handle`,
/// released with `kaon_writer_free`.
@_cdecl("kaon_writer_create")
public func kaonWriterCreate(_ path: UnsafePointer<CChar>, _ compression: UnsafePointer<CChar>?,
                             _ handle: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                             _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        let path = String(cString: path)
        let text = compression.map { String(cString: $0) } ?? ""
        let settings = try withContext(file: path) { text.isEmpty ? CompressionSettings.rootDefault : try CompressionSettings.parsed(text) }
        handle.pointee = Handle.retained(try ROOTFileWriter(path: path, compression: settings))
    }
}

/// Creates the directory `path` (`a/b`, with its parents) in a file being written.
@_cdecl("kaon_writer_mkdir")
public func kaonWriterMkdir(_ handle: UnsafeMutableRawPointer, _ path: UnsafePointer<CChar>,
                            _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        try Handle.borrow(handle, as: ROOTFileWriter.self).mkdir(String(cString: path))
    }
}

/// Finishes the file (trees still open included) and gives it its final name. Closing
/// twice is allowed; writing after closing is a usage error.
@_cdecl("kaon_writer_close")
public func kaonWriterClose(_ handle: UnsafeMutableRawPointer, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    catchingErrors(error) {
        try Handle.borrow(handle, as: ROOTFileWriter.self).close()
    }
}

/// Releases a writer handle; a file not closed before is discarded (its temporary file removed).
@_cdecl("kaon_writer_free")
public func kaonWriterFree(_ handle: UnsafeMutableRawPointer?) {
    Handle.release(handle)
}
