import KaonIO

/// A `ByteSource` over bytes in memory: each fuzz input is read as a file without touching
/// the disk.
public struct MemorySource: ByteSource {
    public let name: String
    public let bytes: [UInt8]
    public var size: Int { bytes.count }

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    public func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        try ranges.map { range in
            guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
                throw KaonError(.truncated, "range \(range) lies outside the file (\(bytes.count) bytes)", file: name)
            }
            return Array(bytes[range])
        }
    }
}
