import ArgumentParser
import KaonEngine
import KaonIO

/// `--io-stats`: what a command's reads cost (bytes, requests, round trips; see
/// `IOStatistics`). Run summaries (`adl`, `run`, `scan`) report it whenever a remote source
/// was read; `show` only with the flag, its output staying the same for a file and its URL.
struct IOStatsOption: ParsableArguments {
    @Flag(name: .customLong("io-stats"), help: "Report bytes read, requests and round trips (adl, run and scan always do for remote files).")
    var enabled = false

    /// The counts when the command started reading (see ``report(since:toStandardError:)``).
    static func start() -> (all: IOCounts, remote: IOCounts) { (IOStatistics.process.counts, IOStatistics.remote.counts) }

    /// Prints the I/O since `start` when asked to or (`whenRemote`, for run summaries) when
    /// remote sources were read: on standard error when standard output carries
    /// machine-readable output.
    func report(since start: (all: IOCounts, remote: IOCounts), toStandardError: Bool = false, whenRemote: Bool = true) {
        let remote = IOStatistics.remote.counts - start.remote
        guard enabled || (whenRemote && remote.requests > 0) else { return }
        let line = (IOStatistics.process.counts - start.all).description
        if toStandardError { writeToStandardError(line + "\n") } else { print(line) }
    }
}

extension IOStatsOption {
    /// `{"bytes": …, "requests": …, "round_trips": …}`, exact, for JSON outputs.
    static func json(_ counts: IOCounts) -> JSONValue {
        .object([("bytes", .integer(Int64(counts.bytes))), ("requests", .integer(Int64(counts.requests))),
                 ("round_trips", .integer(Int64(counts.roundTrips)))])
    }
}

extension ReadPlanning: ExpressibleByArgument {}
