#if canImport(Glibc)
import Glibc
#endif
import KaonIO
import KaonROOT
import KaonRemote

/// Several files' trees of the same name read as one sequence of entries.
public final class Chain: Sendable {
    /// The trees in order, with the global entry each one starts at.
    public let trees: [Tree]
    public let starts: [Int]
    public let entries: Int

    /// Opens `treePath` in every file matching `patterns` (shell globs; plain paths too).
    public convenience init(patterns: [String], treePath: String) throws {
        let paths = try patterns.flatMap { try Self.expand($0) }
        guard !paths.isEmpty else { throw KaonError(.notFound, "no input files") }
        try self.init(trees: paths.map { try Tree(file: ROOTFile(path: $0), path: treePath) })
    }

    /// A chain of trees already open (a caller that opened the file for another look need
    /// not open it again: on a remote file every open costs round trips).
    public init(trees: [Tree]) throws {
        guard !trees.isEmpty else { throw KaonError(.notFound, "no input files") }
        var starts: [Int] = []
        var total = 0
        for tree in trees {
            starts.append(total)
            total += tree.entries
        }
        self.trees = trees
        self.starts = starts
        entries = total
    }

    /// Expands a glob; a pattern without wildcards is returned as is (so that a missing file
    /// gives its own clear error on open), a wildcard matching nothing is an error. A URL is
    /// never a pattern (remote directories cannot be listed, and `?` starts its query).
    public static func expand(_ pattern: String) throws -> [String] {
        guard RemoteURL(pattern) == nil, pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else {
            throw KaonError(.notFound, "no files match \(pattern)")
        }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// Reads the branch at `branchPath` for global entries `range`, concatenating files.
    public func read(_ branchPath: String, entries range: Range<Int>? = nil) throws -> Column {
        let wanted = (range ?? 0..<entries).clamped(to: 0..<entries)
        var parts: [Column] = []
        for (tree, start) in zip(trees, starts) {
            // A file wholly before or after the wanted range contributes nothing (its clipped
            // bounds would cross).
            let lower = max(wanted.lowerBound, start) - start
            let upper = min(wanted.upperBound, start + tree.entries) - start
            guard lower < upper else { continue }
            parts.append(try tree.read(tree.branch(branchPath), entries: lower..<upper))
        }
        if parts.isEmpty {
            return try trees[0].read(trees[0].branch(branchPath), entries: 0..<0)
        }
        return try Column.concatenate(parts)
    }
}

extension Column {
    /// Joins columns of the same type end to end.
    public static func concatenate(_ parts: [Column]) throws -> Column {
        guard var result = parts.first else { throw KaonError(.usage, "nothing to concatenate") }
        for part in parts.dropFirst() {
            guard part.offsets.count == result.offsets.count, part.innerShape == result.innerShape else {
                throw KaonError(.malformed, "cannot join columns of different shapes")
            }
            for level in result.offsets.indices {
                let base = result.offsets[level].last!
                result.offsets[level].append(contentsOf: part.offsets[level].dropFirst().map { $0 + base })
            }
            switch (result.values, part.values) {
            case (.primitive(let type, var bytes), .primitive(let other, let more)) where type == other:
                bytes.append(contentsOf: more)
                result.values = .primitive(type, bytes)
            case (.strings(var strings), .strings(let more)):
                strings.append(contentsOf: more)
                result.values = .strings(strings)
            case (.pairs(let keys, let values), .pairs(let moreKeys, let moreValues)):
                result.values = .pairs(keys: try concatenate([keys, moreKeys]), values: try concatenate([values, moreValues]))
            case (.record(let names, let fields), .record(let otherNames, let more)) where names == otherNames:
                result.values = .record(names, try zip(fields, more).map { try concatenate([$0, $1]) })
            default:
                throw KaonError(.malformed, "cannot join columns of different types")
            }
            result.entryCount += part.entryCount
        }
        return result
    }
}
