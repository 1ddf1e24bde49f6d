#if canImport(Glibc)
import Glibc
#endif

/// The largest buffer Kaon allocates from a size read out of a file: the one check every
/// such allocation goes through, so a hostile or corrupt length fails with a `KaonError`
/// naming the file and object instead of exhausting memory.
///
/// The rules:
/// - one allocation sized by a length field of a file (a key's or page's uncompressed size,
///   a basket's entry count) is at most `max(2 × the file's size, 64 MiB)`, unless
///   `KAON_MAX_MEMORY` is set, which then replaces this rule;
/// - no checked allocation, including one summed over many fields (a branch read whole), is
///   larger than half of ``maxMemory``: `KAON_MAX_MEMORY` when set (bytes, or with a K/M/G/T
///   suffix: `KAON_MAX_MEMORY=2G`), otherwise the memory the process may have at all (the
///   smallest of physical memory, `ulimit -v` and `ulimit -d`). A buffer beyond that could
///   not be allocated anyway; refusing it up front turns a crash into an error.
///
/// Real files stay far inside both: decompressed data, which can legitimately be larger than
/// the file, is bounded per key or basket (ROOT writes baskets of kilobytes to megabytes).
///
/// ```swift
/// let budget = AllocationBudget(fileSize: 1_000)
/// let bytes = try budget.check(1_000, of: 8, "branch values")   // 8000 bytes: allowed
/// ```
public struct AllocationBudget: Sendable, Equatable {
    /// The allowance every file gets whatever its size.
    public static let floor = 64 << 20
    /// The environment variable that caps every checked allocation.
    public static let environmentVariable = "KAON_MAX_MEMORY"

    /// The memory Kaon may allocate on behalf of files: `KAON_MAX_MEMORY` when it is set to a
    /// size, otherwise the smallest of physical memory and the address-space and data limits.
    public static let maxMemory: Int = {
        if let explicitMaxMemory { return explicitMaxMemory }
        var bound = Int.max
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, pageSize > 0 { bound = pages.multipliedReportingOverflow(by: pageSize).overflow ? bound : pages * pageSize }
        for resource in [RLIMIT_AS, RLIMIT_DATA] {
            var limit = rlimit()
            if getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {  // rlim_t.max: RLIM_INFINITY
                bound = min(bound, Int(clamping: limit.rlim_cur))
            }
        }
        return bound
    }()

    /// `KAON_MAX_MEMORY` in bytes when it is set to a size.
    public static let explicitMaxMemory: Int? = getenv(environmentVariable).flatMap { parseSize(String(cString: $0)) }

    /// What any one checked allocation may take, whatever the file: half of ``maxMemory``,
    /// leaving the other half for everything else the process holds.
    public static let anyFile = AllocationBudget(limit: maxMemory / 2)

    /// The most bytes one checked allocation may take.
    public let limit: Int

    /// The budget for allocations on behalf of a file of `fileSize` bytes. An explicit
    /// `KAON_MAX_MEMORY` replaces the per-file rule (so it can also raise the limit, for a
    /// small file holding a huge, highly compressible object).
    public init(fileSize: Int) {
        guard Self.explicitMaxMemory == nil else {
            self = Self.anyFile
            return
        }
        let (doubled, overflow) = max(fileSize, 0).multipliedReportingOverflow(by: 2)
        self.init(limit: min(overflow ? Int.max : max(doubled, Self.floor), Self.anyFile.limit))
    }

    private init(limit: Int) {
        self.limit = limit
    }

    /// Checks that `count` items of `size` bytes fit the budget and returns their bytes.
    /// `what` names the allocation in the error ("basket payload", "branch values", …).
    @discardableResult
    public func check(_ count: Int, of size: Int = 1, _ what: @autoclosure () -> String) throws -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        guard count >= 0, !overflow, bytes <= limit else {
            let amount = overflow || count < 0 ? "\(count) × \(size) bytes" : HumanFormat.bytes(bytes)
            let rule = limit == Self.anyFile.limit
                ? "half of the \(HumanFormat.bytes(Self.maxMemory)) of memory Kaon may use; see \(Self.environmentVariable)"
                : "max(2 × file size, 64 MiB)"
            throw KaonError(.malformed, "\(what()): \(amount) is over the allocation budget of \(HumanFormat.bytes(limit)) (\(rule))")
        }
        return bytes
    }

    /// A size such as `1048576`, `512M`, `2G` or `1.5T` (binary units), or nil.
    public static func parseSize(_ text: String) -> Int? {
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var digits = Substring(text.uppercased())
        if digits.hasSuffix("IB") || digits.hasSuffix("B") { digits = digits.dropLast(digits.hasSuffix("IB") ? 2 : 1) }
        var scale = 1.0
        if let last = digits.last, let unit = units[last] {
            scale = unit
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value > 0, value * scale < 0x1p62 else { return nil }
        return Int(value * scale)
    }

    /// Throws a usage error naming `KAON_MAX_MEMORY` when it is set but is not a size.
    public static func validateEnvironment() throws {
        guard let raw = getenv(environmentVariable) else { return }
        let text = String(cString: raw)
        guard parseSize(text) != nil else {
            throw KaonError(.usage, "\(environmentVariable)=\(text) is not a size (bytes, or with K, M, G or T: 2G)")
        }
    }
}
