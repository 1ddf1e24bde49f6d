import CKaonCodecs
import Foundation

/// The deterministic pseudo-random numbers of correctionlib's `hashprng` node, bit for bit.
///
/// correctionlib (C++) packs the chosen inputs as 64-bit words (an int's two's complement, a
/// real's IEEE bits), hashes them with XXH64 (seed 0), seeds a PCG32 generator (`pcg32_oneseq`
/// of pcg-cpp) with the hash, and draws with libstdc++'s distributions: `stdflat` is
/// `std::uniform_real_distribution<double>` (two 32-bit outputs per draw through
/// `std::generate_canonical`), `stdnormal` is `std::normal_distribution<double>` (Marsaglia's
/// polar method over such uniforms, returning the second coordinate), and `normal` is
/// correctionlib's own polar method over `ldexp(output, -31) - 1`. All three are reproduced here.
enum HashPRNG {
    /// PCG32 with one stream (pcg-cpp's `pcg32_oneseq`): 64-bit LCG state, XSH-RR output of the old state.
    struct PCG32 {
        static let multiplier: UInt64 = 6_364_136_223_846_793_005
        static let increment: UInt64 = 1_442_695_040_888_963_407
        var state: UInt64

        init(seed: UInt64) {
            state = (seed &+ Self.increment) &* Self.multiplier &+ Self.increment
        }

        mutating func next() -> UInt32 {
            let old = state
            state = old &* Self.multiplier &+ Self.increment
            let rotation = UInt32(truncatingIfNeeded: old >> 59)
            let xorShifted = UInt32(truncatingIfNeeded: (old ^ (old >> 18)) >> 27)
            return xorShifted >> rotation | xorShifted << ((32 &- rotation) & 31)
        }

        /// `std::generate_canonical<double, 53>`: two outputs as one base-2³² number in [0, 1).
        mutating func canonical() -> Double {
            let low = Double(next())
            let high = Double(next())
            let sum = low + high * 4_294_967_296.0
            let value = sum / 18_446_744_073_709_551_616.0
            return value >= 1 ? 1.0.nextDown : value
        }
    }

    static func seed(_ words: UnsafeBufferPointer<UInt64>) -> UInt64 {
        XXH64(words.baseAddress, words.count * MemoryLayout<UInt64>.size, 0)
    }

    static func draw(seed: UInt64, _ distribution: CorrectionProgram.Distribution) -> Double {
        var generator = PCG32(seed: seed)
        switch distribution {
        case .stdflat:
            return generator.canonical()
        case .stdnormal:
            while true {
                let x = 2 * generator.canonical() - 1
                let y = 2 * generator.canonical() - 1
                let r2 = x * x + y * y
                if r2 > 1 || r2 == 0 { continue }
                return y * (-2 * log(r2) / r2).squareRoot()
            }
        case .normal:
            while true {
                let u = Double(sign: .plus, exponent: -31, significand: Double(generator.next())) - 1
                let v = Double(sign: .plus, exponent: -31, significand: Double(generator.next())) - 1
                let s = u * u + v * v
                if s >= 1 || s == 0 { continue }
                return u * (-2 * log(s) / s).squareRoot()
            }
        }
    }
}
