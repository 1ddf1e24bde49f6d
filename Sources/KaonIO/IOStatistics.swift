import Synchronization

/// What reading cost: bytes received, requests sent and round trips waited for.
///
/// Every `ByteSource` of Kaon's counts into its own ``IOStatistics`` and into
/// ``IOStatistics/process`` (all sources of the process, for a run's summary). The counts
/// are what the transport did, not what the format code asked for:
/// - **bytes**: payload bytes received (an HTTP answer's body, multipart framing included;
///   an XRootD read's data; a local `pread`'s bytes);
/// - **requests**: HTTP requests sent (retries and range-by-range fallbacks each count),
///   XRootD requests Kaon issued (open, stat, each read or `kXR_readv`), local `pread`
///   ranges;
/// - **round trips**: the times a reader waited for an answer: one per request sent alone,
///   one per wave of requests sent in parallel, one per local vectored read.
public final class IOStatistics: Sendable {
    /// The totals of every source in this process.
    public static let process = IOStatistics(parent: nil)
    /// The totals of the remote sources in this process (a part of ``process``): a command
    /// reports I/O when these are not zero.
    public static let remote = IOStatistics(parent: process)

    private let bytes = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)
    private let roundTrips = Atomic<Int>(0)
    private let parent: IOStatistics?

    /// Counters that also add into `parent` (by default the process totals).
    public init(parent: IOStatistics? = IOStatistics.process) {
        self.parent = parent
    }

    /// Adds one exchange's cost.
    public func record(bytes: Int = 0, requests: Int = 0, roundTrips: Int = 0) {
        if bytes != 0 { self.bytes.add(bytes, ordering: .relaxed) }
        if requests != 0 { self.requests.add(requests, ordering: .relaxed) }
        if roundTrips != 0 { self.roundTrips.add(roundTrips, ordering: .relaxed) }
        parent?.record(bytes: bytes, requests: requests, roundTrips: roundTrips)
    }

    /// The counts so far.
    public var counts: IOCounts {
        IOCounts(bytes: bytes.load(ordering: .relaxed), requests: requests.load(ordering: .relaxed),
                 roundTrips: roundTrips.load(ordering: .relaxed))
    }
}

/// A snapshot of ``IOStatistics``; the difference of two is what happened in between.
public struct IOCounts: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int
    public var requests: Int
    public var roundTrips: Int

    public init(bytes: Int = 0, requests: Int = 0, roundTrips: Int = 0) {
        self.bytes = bytes
        self.requests = requests
        self.roundTrips = roundTrips
    }

    public static func - (later: IOCounts, earlier: IOCounts) -> IOCounts {
        IOCounts(bytes: later.bytes - earlier.bytes, requests: later.requests - earlier.requests,
                 roundTrips: later.roundTrips - earlier.roundTrips)
    }

    /// "I/O: 12.3 MB in 14 requests, 9 round trips".
    public var description: String {
        "I/O: \(HumanFormat.bytes(bytes)) in \(HumanFormat.count(requests, "request")), \(HumanFormat.count(roundTrips, "round trip"))"
    }
}
