#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `ByteSource` over a local file, read with `pread` so that many threads can share one
/// open descriptor without seeking.
public final class LocalFileSource: ByteSource {
    public let name: String
    public let size: Int
    public let statistics: IOStatistics? = IOStatistics()
    private let descriptor: Int32

    /// Opens `path` for reading.
    public init(path: String) throws {
        name = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw KaonError(.system, "cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw KaonError(.system, "cannot stat: \(String(cString: strerror(errno)))", file: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw KaonError(.usage, "not a regular file", file: path)
        }
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    public func read(_ ranges: [Range<Int>]) throws -> [[UInt8]] {
        statistics?.record(bytes: ranges.reduce(0) { $0 + $1.count }, requests: ranges.count, roundTrips: 1)
        return try ranges.map { range in
            guard range.lowerBound >= 0, range.upperBound <= size else {
                throw KaonError(.truncated, "range \(range) lies outside the file (\(size) bytes)", file: name)
            }
            if range.isEmpty { return [] }
            return try [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                var done = 0
                while done < range.count {
                    let n = pread(descriptor, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw KaonError(.system, "read failed: \(String(cString: strerror(errno)))", file: name)
                    }
                    if n == 0 {
                        throw KaonError(.truncated, "file ended while reading \(range)", file: name)
                    }
                    done += n
                }
                initialized = range.count
            }
        }
    }
}
