#if canImport(Glibc)
import Glibc
#endif
import KaonIO

// The C ABI's error convention, shared by every `kaon_*` function: it returns 0 on success or
// a status code (``statusCode(_:)``) and, when the caller passed a non-null `error`, stores
// there a message it owns and releases with `kaon_string_free`. Every Swift error is caught
// here, so that a damaged file becomes a Python exception, never a trap in the interpreter.

/// The status codes `kaon_*` functions return, one per `KaonError.Kind`; 99 for an error
/// that is not a `KaonError`. The Python package (python/kaon/_errors.py) maps them to
/// exception classes.
func statusCode(_ error: any Error) -> Int32 {
    guard let error = error as? KaonError else { return 99 }
    switch error.kind {
    case .truncated: return 1
    case .malformed: return 2
    case .corruptCompression: return 3
    case .unsupportedCompression: return 4
    case .unsupported: return 5
    case .notFound: return 6
    case .missingBranch: return 7
    case .system: return 8
    case .usage: return 9
    }
}

/// Runs `body`, turning a thrown error into its status code and message.
func catchingErrors(_ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return 0
    } catch let thrown {
        error?.pointee = newCString("\(thrown)")
        return statusCode(thrown)
    }
}

/// A copy of `text` in memory from `malloc`, which the caller frees with `kaon_string_free`.
func newCString(_ text: String) -> UnsafeMutablePointer<CChar>? {
    strdup(text)
}

/// Frees a string a `kaon_*` function handed out (a message or a JSON document).
@_cdecl("kaon_string_free")
public func kaonStringFree(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
