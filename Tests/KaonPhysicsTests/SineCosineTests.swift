#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaonPhysics
import KaonTestSupport
import Testing

/// `sineCosine` (glibc's `sincos`) must give exactly the bits of separate `sin` and `cos`
/// calls — what ROOT's `pt * cos(phi)`, `pt * sin(phi)` compute — or every bin that depends
/// on a Cartesian conversion could move. (The whole float range [-π, π] of NanoAOD's φ was
/// also checked exhaustively, outside the tests: 2.16 × 10⁹ values, no difference.)
@Suite("sineCosine")
struct SineCosineTests {
    func expectSame(_ x: Double) {
        let (s, c) = sineCosine(x)
        #expect(s.bitPattern == sin(x).bitPattern || (s.isNaN && sin(x).isNaN), "sin(\(x))")
        #expect(c.bitPattern == cos(x).bitPattern || (c.isNaN && cos(x).isNaN), "cos(\(x))")
    }

    @Test("bit-identical to sin and cos: float φ values, wide doubles, special values", arguments: [testSeed(0x5EC0_51E5)])
    func sameBits(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        for _ in 0..<1_000_000 { expectSame(Double(Float.random(in: -.pi ... .pi, using: &generator))) }
        for _ in 0..<200_000 { expectSame(Double.random(in: -1e6 ... 1e6, using: &generator)) }
        for _ in 0..<50_000 { expectSame(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &generator))) }
        for x in [0.0, -0.0, .pi, -.pi, .pi / 2, 1e-300, 1e300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude] {
            expectSame(x)
        }
    }
}
