import CKaonPhysics
import KaonPhysics
import KaonTestSupport
import Testing

/// The fast conversion's promise (`CKaonPhysics/fast_cartesian.h`): every component within
/// `KAON_FAST_CARTESIAN_ERROR` × E of the libm conversion ROOT computes, for every accepted
/// input; the scalar and AVX2 kernels bit-identical; refused inputs marked by a NaN energy.
@Suite("fast Cartesian conversion")
struct FastCartesianTests {
    struct Objects {
        var pt: [Float] = [], eta: [Float] = [], phi: [Float] = [], mass: [Float] = []
        mutating func append(_ a: Float, _ b: Float, _ c: Float, _ d: Float) { pt.append(a); eta.append(b); phi.append(c); mass.append(d) }
    }

    func convert(_ o: Objects, kernel: Int32) -> [[Double]] {
        let n = o.pt.count
        var px = [Double](repeating: 0, count: n), py = px, pz = px, e = px
        kaon_fast_cartesian_column(kernel, o.pt, o.eta, o.phi, o.mass, n, &px, &py, &pz, &e)
        return [px, py, pz, e]
    }

    /// Random inputs over the whole accepted range, and the points where the reductions switch
    /// (φ near multiples of π/2, η near multiples of ln 2), zero, tiny and limit values.
    func inputs(seed: UInt64) -> Objects {
        var o = Objects()
        var generator = SplitMix64(state: seed)
        for _ in 0..<400_000 {
            o.append(Float.random(in: 0...2000, using: &generator), Float.random(in: -30...30, using: &generator),
                     Float.random(in: -6.5...6.5, using: &generator), Float.random(in: 0...200, using: &generator))
        }
        for q in -4...4 {
            for phi in [Float(Double(q) * .pi / 4)] {
                var v = phi
                for _ in 0..<40 { v = v.nextDown }
                for _ in 0..<80 { o.append(50, 0.5, v, 5); v = v.nextUp }
            }
        }
        for j in -43...43 {
            var v = Float(Double(j) * 0.6931471805599453 / 2)
            for _ in 0..<20 { v = v.nextDown }
            for _ in 0..<40 { if abs(v) <= 30 { o.append(80, v, 1, 10) }; v = v.nextUp }
        }
        for (pt, eta, phi, m) in [(Float(0), Float(0), Float(0), Float(0)), (1e15, 30, 6.5, 1e15), (1e-30, -30, -6.5, 0),
                                  (3, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 0), (-40, 2, 3, 1), (40, -0.0, -0.0, -0.0)] {
            o.append(pt, eta, phi, m)
        }
        return o
    }

    @Test("every component within KAON_FAST_CARTESIAN_ERROR × E of libm's; scalar and AVX2 bit-identical",
          arguments: [testSeed(0xCA27_E51A)])
    func errorBound(seed: UInt64) {
        let o = inputs(seed: seed)
        let scalar = convert(o, kernel: Int32(kaon_fast_kernel_scalar))
        var worst = 0.0, failures = 0
        for i in o.pt.indices {
            let exact = PtEtaPhiMVector(pt: o.pt[i], eta: o.eta[i], phi: o.phi[i], mass: o.mass[i]).cartesian
            let e = exact.e
            for (c, value) in [exact.px, exact.py, exact.pz, exact.e].enumerated() {
                let error = abs(scalar[c][i] - value)
                if e > 0 { worst = max(worst, error / e) }
                if !(error <= KAON_FAST_CARTESIAN_ERROR * e) { failures += 1 }
            }
        }
        #expect(failures == 0, "largest error \(worst) E")
        // The bound has a safety factor: the measured error stays well below it.
        #expect(worst < KAON_FAST_CARTESIAN_ERROR / 2)
        for kernel in [kaon_fast_kernel_avx2, kaon_fast_kernel_avx512] where kaon_fast_kernel_usable(Int32(kernel)) != 0 {
            let vector = convert(o, kernel: Int32(kernel))
            for c in 0..<4 {
                let identical = zip(vector[c], scalar[c]).allSatisfy { $0.bitPattern == $1.bitPattern }
                #expect(identical, "kernel \(kernel), component \(c)")
            }
        }
    }

    @Test("inputs outside the proven range get a NaN energy")
    func refused() {
        var o = Objects()
        for (pt, eta, phi, m) in [(Float(40), Float(1), Float(1), Float(-1)), (.nan, 1, 1, 1), (40, 31, 1, 1), (40, 1, 6.6, 1),
                                  (2e15, 1, 1, 1), (40, 1, 1, .infinity), (40, .nan, 1, 1), (40, 1, -.infinity, 1)] {
            o.append(pt, eta, phi, m)
        }
        for _ in 0..<5 { o.append(40, 1, 1, 1) }  // whole vectors and a scalar tail
        o.append(40, 1, 1, -0.5)
        for kernel in [kaon_fast_kernel_scalar, kaon_fast_kernel_avx2] where kaon_fast_kernel_usable(Int32(kernel)) != 0 {
            let e = convert(o, kernel: Int32(kernel))[3]
            let refused = e[0..<8].allSatisfy(\.isNaN), accepted = e[8..<13].allSatisfy(\.isFinite)
            #expect(refused && accepted, "kernel \(kernel): \(e)")
            #expect(e[13].isNaN, "kernel \(kernel)")
        }
    }
}
