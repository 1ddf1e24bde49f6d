#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What produced an output: the inputs read, the Kaon build, the analysis and a digest of its
/// configuration, the command line, the threads, the date and the host.
///
/// Every output of a run carries one (`results.root` as a `provenance` directory, the JSON
/// outputs as a `provenance` member); `kaon provenance FILE` prints it and
/// `kaon run --reproduce FILE` reruns it. Its JSON form (``json``) is the one stored
/// everywhere, so every output reads back to the same record.
///
/// ```swift
/// var configuration = Provenance.Configuration()
/// configuration.add("samples.yml", Array("samples: {}".utf8))
/// let record = Provenance(inputs: [.init(path: "a.root", uuid: nil, size: 1024, entries: 10)],
///                         kaonVersion: "0.1.0", gitCommit: "unknown", analysis: "dimuon",
///                         configuration: configuration, commandLine: ["kaon", "run"], threads: 1)
/// record.json["analysis"]?.string   // "dimuon"
/// ```
public struct Provenance: Sendable, Equatable, CustomStringConvertible {
    /// One input file: where it was read from, what it was, and how much of it was read.
    public struct Input: Sendable, Equatable {
        /// The path or URL as the run was given it (globs expanded).
        public var path: String
        /// The file's UUID from its ROOT header (`uuid.UUID` form, as uproot's
        /// `ReadOnlyFile.uuid` prints it); nil for a file that has none.
        public var uuid: String?
        /// The file's size in bytes.
        public var size: Int
        /// The entries the run read from it.
        public var entries: Int

        public init(path: String, uuid: String?, size: Int, entries: Int) {
            self.path = path
            self.uuid = uuid
            self.size = size
            self.entries = entries
        }
    }

    /// An analysis' configuration and code as named parts (the ADL text, a samples file,
    /// the options that change results), each hashed with SHA-256, and the digest of them all.
    public struct Configuration: Sendable, Equatable {
        /// Each part's name and SHA-256, in the order added.
        public fileprivate(set) var parts: [(name: String, sha256: String)] = []

        public init() {}

        /// Adds a part (a file's bytes, or an option as text).
        public mutating func add(_ name: String, _ bytes: [UInt8]) {
            parts.append((name, SHA256.hexDigest(of: bytes)))
        }

        /// The SHA-256 of the parts' names and digests, one `name\tdigest\n` line each: it
        /// changes when any part, its name or the set of parts does.
        public var sha256: String {
            SHA256.hexDigest(of: parts.map { "\($0.name)\t\($0.sha256)\n" }.joined().utf8)
        }

        /// The names of the parts that differ between two configurations (present in one only,
        /// or with different digests).
        public func differences(from other: Configuration) -> [String] {
            let mine = Dictionary(parts.map { ($0.name, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            let theirs = Dictionary(other.parts.map { ($0.name, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            return (parts.map(\.name) + other.parts.map(\.name).filter { mine[$0] == nil }).filter { mine[$0] != theirs[$0] }
        }

        public static func == (a: Configuration, b: Configuration) -> Bool {
            a.parts.count == b.parts.count && zip(a.parts, b.parts).allSatisfy { $0.name == $1.name && $0.sha256 == $1.sha256 }
        }
    }

    /// The name under which outputs hold their record: the directory of a ROOT file, the
    /// member of a JSON output (next to the samples).
    public static let outputName = "provenance"

    public var inputs: [Input]
    /// Kaon's version (`kaon --version`).
    public var kaonVersion: String
    /// The git commit Kaon was built from, "unknown" when built outside a git checkout.
    public var gitCommit: String
    /// The analysis' name (an example analysis' name, or the ADL file's).
    public var analysis: String
    public var configuration: Configuration
    /// The command's arguments, the program first.
    public var commandLine: [String]
    /// The directory the command ran in (relative paths on its command line start there).
    public var workingDirectory: String
    public var threads: Int
    /// When the run finished: ISO 8601, UTC (`2026-12-07T21:53:06Z`).
    public var date: String
    /// The host's name.
    public var host: String

    /// A record of a run that ends now, on this host, in the current directory (unless given).
    public init(inputs: [Input], kaonVersion: String, gitCommit: String, analysis: String, configuration: Configuration,
                commandLine: [String], threads: Int, workingDirectory: String? = nil, date: String? = nil, host: String? = nil) {
        self.inputs = inputs
        self.kaonVersion = kaonVersion
        self.gitCommit = gitCommit
        self.analysis = analysis
        self.configuration = configuration
        self.commandLine = commandLine
        self.threads = threads
        self.workingDirectory = workingDirectory ?? Self.currentDirectory()
        self.date = date ?? Self.utcNow()
        self.host = host ?? Self.hostName()
    }

    /// The record as JSON: the form stored in every output.
    public var json: JSONValue {
        .object([
            ("kaon_version", .string(kaonVersion)),
            ("git_commit", .string(gitCommit)),
            ("analysis", .string(analysis)),
            ("configuration_sha256", .string(configuration.sha256)),
            ("configuration", .array(configuration.parts.map { .object([("name", .string($0.name)), ("sha256", .string($0.sha256))]) })),
            ("command_line", .array(commandLine.map { .string($0) })),
            ("working_directory", .string(workingDirectory)),
            ("threads", .integer(Int64(threads))),
            ("date", .string(date)),
            ("host", .string(host)),
            ("inputs", .array(inputs.map { input in
                .object([("path", .string(input.path)), ("uuid", input.uuid.map { .string($0) } ?? .null),
                         ("size", .integer(Int64(input.size))), ("entries", .integer(Int64(input.entries)))])
            })),
        ])
    }

    /// Reads a record back from its JSON form (`source` names where it came from, for errors).
    public init(json: JSONValue, source: String) throws {
        func fail(_ what: String) -> KaonError { KaonError(.malformed, "provenance: \(what)", file: source) }
        func string(_ key: String) throws -> String {
            guard let value = json[key]?.string else { throw fail("missing or non-string \"\(key)\"") }
            return value
        }
        var configuration = Configuration()
        for part in json["configuration"]?.array ?? [] {
            guard let name = part["name"]?.string, let digest = part["sha256"]?.string else { throw fail("a configuration part without name or sha256") }
            configuration.parts.append((name, digest))
        }
        guard configuration.sha256 == (try string("configuration_sha256")) else {
            throw fail("configuration_sha256 does not match its parts")
        }
        var inputs: [Input] = []
        for input in json["inputs"]?.array ?? [] {
            guard let path = input["path"]?.string, let size = input["size"]?.integer, let entries = input["entries"]?.integer else {
                throw fail("an input without path, size or entries")
            }
            inputs.append(Input(path: path, uuid: input["uuid"]?.string, size: Int(size), entries: Int(entries)))
        }
        guard let threads = json["threads"]?.integer else { throw fail("missing \"threads\"") }
        self.init(inputs: inputs, kaonVersion: try string("kaon_version"), gitCommit: try string("git_commit"),
                  analysis: try string("analysis"), configuration: configuration,
                  commandLine: try (json["command_line"]?.array ?? []).map {
                      guard let argument = $0.string else { throw fail("a non-string argument in \"command_line\"") }
                      return argument
                  },
                  threads: Int(threads), workingDirectory: try string("working_directory"), date: try string("date"),
                  host: try string("host"))
    }

    /// The record of two outputs merged into one (`kaon merge`, a distributed run's partial
    /// results): every input of both, in order, an input listed by both (same path, UUID and
    /// size) once with the entries of both added; the rest from `self`.
    public func merged(with other: Provenance) -> Provenance {
        var merged = self
        merged.inputs = Self.union(inputs, other.inputs)
        return merged
    }

    /// The inputs of `first` then those of `second` not in it; an input in both (same path,
    /// UUID and size) once, with the entries of both added.
    public static func union(_ first: [Input], _ second: [Input]) -> [Input] {
        var inputs = first
        for input in second {
            if let k = inputs.firstIndex(where: { $0.path == input.path && $0.uuid == input.uuid && $0.size == input.size }) {
                inputs[k].entries += input.entries
            } else {
                inputs.append(input)
            }
        }
        return inputs
    }

    /// A human-readable rendering (`kaon provenance FILE`).
    public var description: String {
        var lines = [
            "analysis:      \(analysis)",
            "configuration: sha256 \(configuration.sha256)",
        ]
        lines += configuration.parts.map { "  \($0.name): \($0.sha256)" }
        lines += [
            "kaon:          \(kaonVersion) (commit \(gitCommit))",
            "command:       \(commandLine.joined(separator: " "))",
            "directory:     \(workingDirectory)",
            "threads:       \(threads)",
            "date:          \(date)",
            "host:          \(host)",
            "inputs:        \(inputs.count) file(s), \(inputs.reduce(0) { $0 + $1.entries }) entries read",
        ]
        lines += inputs.map { "  \($0.path)  uuid \($0.uuid ?? "none")  \($0.size) bytes  \($0.entries) entries" }
        return lines.joined(separator: "\n")
    }

    /// Now, as ISO 8601 UTC to the second.
    public static func utcNow() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func currentDirectory() -> String {
        guard let path = getcwd(nil, 0) else { return "" }
        defer { free(path) }
        return String(cString: path)
    }
}
