#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import KaonIO
import KaonRemote

/// A `FILE:PATH` argument naming an object inside a ROOT file (public for `kaon-bench`).
public struct ObjectSpec {
    /// The file part.
    public var file: String
    /// The path inside the file, nil when the argument names only a file.
    public var path: String?

    /// Splits at the last `:` unless the whole argument names an existing file (paths
    /// containing `:` still work) — `data.root:dir/Events` → (`data.root`, `dir/Events`).
    /// In a URL only a `:` after the host counts, so neither `https://` nor a `:port` is
    /// taken for the separator: `https://host:8443/data.root:Events` →
    /// (`https://host:8443/data.root`, `Events`).
    public init(_ argument: String) {
        let searchStart: String.Index
        if let url = RemoteURL(argument) {
            searchStart = argument.index(argument.endIndex, offsetBy: -url.pathAndQuery.count)
        } else if access(argument, F_OK) == 0 {
            searchStart = argument.endIndex
        } else {
            searchStart = argument.startIndex
        }
        if let colon = argument[searchStart...].lastIndex(of: ":") {
            file = String(argument[..<colon])
            let rest = String(argument[argument.index(after: colon)...])
            path = rest.isEmpty ? nil : rest
        } else {
            file = argument
            path = nil
        }
    }
}

/// Parses `START:STOP` (either side may be empty) into a range of entries.
struct EntryRange: ExpressibleByArgument {
    var start: Int?
    var stop: Int?

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if !parts[0].isEmpty { guard let v = Int(parts[0]), v >= 0 else { return nil }; start = v }
        if !parts[1].isEmpty { guard let v = Int(parts[1]), v >= 0 else { return nil }; stop = v }
    }

    /// A reversed range is a usage error (an empty one, START:START, is allowed).
    func validate() throws {
        if let start, let stop, start > stop {
            throw ValidationError("--entries \(start):\(stop) is reversed: START must not exceed STOP")
        }
    }

    /// Warns on standard error when the range starts past a tree's last entry, so that the
    /// empty output that follows is not mistaken for an empty tree.
    func warnIfPastEnd(entries: Int, of tree: String) {
        if let start, start > 0, start >= entries {
            writeToStandardError("Warning: --entries starts at \(start) but \(tree) has \(entries) entries; nothing selected\n")
        }
    }

    func resolve(entries: Int) -> Range<Int> {
        let lower = min(start ?? 0, entries)
        return lower..<max(lower, min(stop ?? entries, entries))
    }
}
