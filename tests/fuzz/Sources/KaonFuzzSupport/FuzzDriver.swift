#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point for a program that has its own `main` (see Package.swift for why
/// the harnesses need it): it parses the usual libFuzzer flags from argv and calls
/// `testOneInput` once per input.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The body of the running harness; set once by `runFuzzer` before libFuzzer starts, and only
/// read afterwards (libFuzzer calls the target from one thread).
nonisolated(unsafe) private var harnessBody: (([UInt8]) throws -> Void)?

/// The symbol libFuzzer's tools know (`-runs`, crash reproduction, `-merge` all go through it).
/// A thrown error is a correctly rejected input; what the fuzzer looks for are traps, sanitizer
/// reports, timeouts and allocations beyond `-malloc_limit_mb`.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? harnessBody?(bytes)
    return 0
}

/// Runs a harness: `fuzz-x make-seeds DIR` writes the harness's seed corpus into DIR (made from
/// the shared test data, see `SharedData`); any other arguments go to libFuzzer
/// (`fuzz-x CORPUS -max_total_time=60`, `fuzz-x crash-…` to replay one input).
public func runFuzzer(makeSeeds: (SeedWriter) throws -> Void, _ body: @escaping ([UInt8]) throws -> Void) -> Never {
    let arguments = CommandLine.arguments
    if arguments.count == 3, arguments[1] == "make-seeds" {
        do {
            let writer = try SeedWriter(directory: arguments[2])
            try makeSeeds(writer)
            print("\(arguments[0]): \(writer.count) seeds in \(arguments[2])")
        } catch {
            fputs("\(arguments[0]): cannot make seeds: \(error)\n", stderr)
            exit(1)
        }
        exit(0)
    }
    harnessBody = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
}
