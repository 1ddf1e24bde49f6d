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
