import Foundation
import KaonEngine
import KaonIO

/// The value of a command's `--threads`, capped at ``RunOptions/maximumThreads`` with a
/// note on standard error when the request was larger (so "--threads 100000" runs, and says
/// how many threads it really used instead of reporting rates of 0 per thread).
func threadsToUse(_ requested: Int) -> Int {
    let (threads, note) = RunOptions.cappedThreads(requested, option: "--threads")
    if let note { writeToStandardError(note + "\n") }
    return threads
}

/// `--threads` for commands whose default is every core: nil (the option not given) is the
/// machine's active processor count. The option is optional so that the help says "all cores"
/// once rather than also printing this machine's count as the default.
func threadsToUse(_ requested: Int?) -> Int {
    threadsToUse(requested ?? ProcessInfo.processInfo.activeProcessorCount)
}
