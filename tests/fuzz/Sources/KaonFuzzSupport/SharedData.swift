import KaonIO
#if canImport(Glibc)
import Glibc
#endif

/// The shared test data (`$SHARED/data`, as for the tests; see the repository's README): the
/// seeds are made from it, and the harnesses that splice their input into a real file take
/// that file from it. Nothing from it is copied into the repository.
public enum SharedData {
    /// `$SHARED`, or an error naming the variable.
    public static func root() throws -> String {
        guard let shared = getenv("SHARED").map({ String(cString: $0) }), !shared.isEmpty else {
            throw KaonError(.system, "SHARED is not set: the fuzz harnesses read their seeds and templates from $SHARED/data")
        }
        return shared
    }

    /// The bytes of `$SHARED/data/<relative>`.
    public static func bytes(_ relative: String) throws -> [UInt8] {
        let source = try LocalFileSource(path: "\(try root())/data/\(relative)")
        return try source.read(at: 0, count: source.size)
    }

    /// The regular files directly in `$SHARED/data/<folder>` whose names end with `suffix`,
    /// as paths relative to `$SHARED/data`, sorted.
    public static func files(in folder: String, suffix: String) throws -> [String] {
        let path = "\(try root())/data/\(folder)"
        guard let directory = opendir(path) else {
            throw KaonError(.system, "cannot list \(path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasSuffix(suffix) && !name.hasPrefix(".") { names.append("\(folder)/\(name)") }
        }
        return names.sorted()
    }
}
