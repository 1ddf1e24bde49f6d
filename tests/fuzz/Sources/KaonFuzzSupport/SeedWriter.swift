import KaonIO

/// Writes seed inputs into a corpus directory, one file per seed.
public final class SeedWriter {
    public let directory: String
    /// Seeds written so far.
    public private(set) var count = 0

    init(directory: String) throws {
        self.directory = directory
        try OutputFile.createDirectory(directory)
    }

    /// Writes one seed; `name` says where it came from (file and object), for reading a
    /// corpus by eye.
    public func write(_ name: String, _ bytes: [UInt8]) throws {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        try OutputFile.write(bytes, to: "\(directory)/seed-\(safe)")
        count += 1
    }
}
