/// The seed of a randomised test: `fixed` unless `KAON_TEST_SEED` is set, so every run draws
/// the same data and a failure reproduces; set the variable to replay a seed a failure
/// reported or to try other data. Tests take the seed as their argument so that Swift
/// Testing names it in every issue they record.
///
/// An unreadable value stops the run: ignoring it would silently test the fixed seed.
public func testSeed(_ fixed: UInt64) -> UInt64 {
    guard let text = environment("KAON_TEST_SEED") else { return fixed }
    guard let seed = UInt64(text) else {
        fatalError("KAON_TEST_SEED must be a whole number from 0 to \(UInt64.max), got '\(text)'")
    }
    return seed
}
