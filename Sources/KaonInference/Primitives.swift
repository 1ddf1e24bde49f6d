import _Differentiation
import Foundation

/// The vectorised differentiable primitives the likelihood is composed of: whole-array
/// operations over flat contiguous `[Double]` buffers, each with its own registered
/// reverse-mode derivative (vector–Jacobian product, VJP).
///
/// Why this is still automatic differentiation: the gradient of −ln L is not written by
/// hand anywhere. Each primitive here states only its *own* local derivative (a gather's
/// adjoint is a scatter-add, a product's is the product of the others, …), exactly as JAX's
/// `lax` primitives or PyTorch's ATen operators register theirs; Swift's compiler
/// differentiates the composition (``Model/expectedMain(_:)`` and the NLL built from these
/// calls) and chains the pullbacks in reverse. Differentiating the scalar loops directly is
/// equally exact but creates one pullback closure and one tangent per scalar operation,
/// tens of thousands per evaluation; here an evaluation has about twenty.
///
/// A cotangent may arrive as an empty array: that is Swift's zero tangent for arrays, and
/// ``dense(_:count:)`` expands it.
///
/// ```swift
/// let (v, g) = valueWithGradient(at: [1.0, 2, 3]) { x in
///     Primitives.sum(Primitives.multiply(Primitives.gather(x, [0, 2]), [4, 5]))
/// }
/// // v = 19, g = [4, 0, 5]
/// ```
enum Primitives {
    typealias Tangent = [Double].TangentVector

    /// A cotangent as a dense array (Swift's zero tangent of an array is empty).
    @inline(__always)
    static func dense(_ t: Tangent, count: Int) -> [Double] {
        t.base.count == count ? t.base : [Double](repeating: 0, count: count)
    }

    // MARK: gather / scatter

    /// `x[index[j]]` for every j.
    @differentiable(reverse, wrt: x)
    static func gather(_ x: [Double], _ index: [Int]) -> [Double] {
        index.withUnsafeBufferPointer { ix in
            x.withUnsafeBufferPointer { xs in
                [Double](unsafeUninitializedCapacity: ix.count) { out, n in
                    for j in 0..<ix.count { out[j] = xs[ix[j]] }
                    n = ix.count
                }
            }
        }
    }

    @derivative(of: gather, wrt: x)
    static func vjpGather(_ x: [Double], _ index: [Int]) -> (value: [Double], pullback: (Tangent) -> Tangent) {
        let n = x.count
        return (gather(x, index), { t in
            guard t.base.count == index.count else { return Tangent([Double](repeating: 0, count: n)) }
            return Tangent(scatterAdd(t.base, index, count: n))
        })
    }

    /// The adjoint of a gather: `out[index[j]] += t[j]`, `count` outputs.
    static func scatterAdd(_ t: [Double], _ index: [Int], count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { o in
            t.withUnsafeBufferPointer { ts in
                index.withUnsafeBufferPointer { ix in
                    for j in 0..<ix.count { o[ix[j]] += ts[j] }
                }
            }
        }
        return out
    }

    // MARK: segment reductions

    /// `out[s] = Σ_{j: segment[j] = s} x[j]`, `count` segments (empty ones are 0).
    @differentiable(reverse, wrt: x)
    static func segmentSum(_ x: [Double], _ segment: [Int], count: Int) -> [Double] {
        scatterAdd(x, segment, count: count)
    }

    @derivative(of: segmentSum, wrt: x)
    static func vjpSegmentSum(_ x: [Double], _ segment: [Int], count: Int) -> (value: [Double], pullback: (Tangent) -> Tangent) {
        (segmentSum(x, segment, count: count), { t in Tangent(gather(dense(t, count: count), segment)) })
    }

    /// `out[s] = Π_{j: segment[j] = s} x[j]`, `count` segments (empty ones are 1).
    /// `segment` must be non-decreasing: each segment is one contiguous run, which lets the
    /// derivative use prefix and suffix products (exact, and correct when a factor is 0).
    @differentiable(reverse, wrt: x)
    static func segmentProduct(_ x: [Double], _ segment: [Int], count: Int) -> [Double] {
        var out = [Double](repeating: 1, count: count)
        out.withUnsafeMutableBufferPointer { o in
            x.withUnsafeBufferPointer { xs in
                segment.withUnsafeBufferPointer { sg in
                    for j in 0..<sg.count { o[sg[j]] *= xs[j] }
                }
            }
        }
        return out
    }

    @derivative(of: segmentProduct, wrt: x)
    static func vjpSegmentProduct(_ x: [Double], _ segment: [Int], count: Int) -> (value: [Double], pullback: (Tangent) -> Tangent) {
        (segmentProduct(x, segment, count: count), { t in
            let t = dense(t, count: count)
            let m = x.count
            // ∂out[s]/∂x[j] = product of the other factors of s = (prefix before j) × (suffix after j).
            var grad = [Double](repeating: 0, count: m)
            var start = 0
            while start < m {
                var end = start + 1
                while end < m && segment[end] == segment[start] { end += 1 }
                var prefix = 1.0
                for j in start..<end { grad[j] = prefix; prefix *= x[j] }
                var suffix = t[segment[start]]
                for j in stride(from: end - 1, through: start, by: -1) { grad[j] *= suffix; suffix *= x[j] }
                start = end
            }
            return Tangent(grad)
        })
    }

    // MARK: elementwise arithmetic

    /// `a[j] + b[j]`.
    @differentiable(reverse)
    static func add(_ a: [Double], _ b: [Double]) -> [Double] {
        precondition(a.count == b.count, "add: lengths differ")
        return [Double](unsafeUninitializedCapacity: a.count) { out, n in
            for j in 0..<a.count { out[j] = a[j] + b[j] }
            n = a.count
        }
    }

    @derivative(of: add)
    static func vjpAdd(_ a: [Double], _ b: [Double]) -> (value: [Double], pullback: (Tangent) -> (Tangent, Tangent)) {
        let n = a.count
        return (add(a, b), { t in let d = Tangent(dense(t, count: n)); return (d, d) })
    }

    /// `a[j] × b[j]`.
    @differentiable(reverse)
    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        precondition(a.count == b.count, "multiply: lengths differ")
        return [Double](unsafeUninitializedCapacity: a.count) { out, n in
            for j in 0..<a.count { out[j] = a[j] * b[j] }
            n = a.count
        }
    }

    @derivative(of: multiply)
    static func vjpMultiply(_ a: [Double], _ b: [Double]) -> (value: [Double], pullback: (Tangent) -> (Tangent, Tangent)) {
        (multiply(a, b), { t in
            let t = dense(t, count: a.count)
            return (Tangent(multiply(t, b)), Tangent(multiply(t, a)))
        })
    }

    /// `Σ x[j]`.
    @differentiable(reverse)
    static func sum(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += v }
        return s
    }

    @derivative(of: sum)
    static func vjpSum(_ x: [Double]) -> (value: Double, pullback: (Double) -> Tangent) {
        (sum(x), { t in Tangent([Double](repeating: t, count: x.count)) })
    }

    // MARK: likelihood terms

    /// `Σ_b λ_b − n_b ln λ_b`: the parameter-dependent part of −ln Π Poisson(n_b | λ_b). A bin
    /// with n = 0 contributes only λ (0·ln λ is 0, as scipy's `xlogy` defines it).
    @differentiable(reverse, wrt: lambda)
    static func poissonNLL(_ lambda: [Double], observed n: [Double]) -> Double {
        var total = 0.0
        for b in 0..<n.count {
            if n[b] > 0 { total += lambda[b] - n[b] * log(lambda[b]) } else { total += lambda[b] }
        }
        return total
    }

    @derivative(of: poissonNLL, wrt: lambda)
    static func vjpPoissonNLL(_ lambda: [Double], observed n: [Double]) -> (value: Double, pullback: (Double) -> Tangent) {
        (poissonNLL(lambda, observed: n), { t in
            Tangent((0..<n.count).map { b in n[b] > 0 ? t * (1 - n[b] / lambda[b]) : t })
        })
    }

    /// `Σ_j ½((aux[i_j] − θ[i_j]) / σ_j)²` over the Gaussian-constrained parameters i_j.
    @differentiable(reverse, wrt: theta)
    static func gaussianConstraintNLL(_ theta: [Double], index: [Int], sigma: [Double], aux: [Double]) -> Double {
        var total = 0.0
        for j in 0..<index.count {
            let i = index[j]
            let r = (aux[i] - theta[i]) / sigma[j]
            total += 0.5 * r * r
        }
        return total
    }

    @derivative(of: gaussianConstraintNLL, wrt: theta)
    static func vjpGaussianConstraintNLL(_ theta: [Double], index: [Int], sigma: [Double], aux: [Double])
        -> (value: Double, pullback: (Double) -> Tangent) {
        (gaussianConstraintNLL(theta, index: index, sigma: sigma, aux: aux), { t in
            var g = [Double](repeating: 0, count: theta.count)
            for j in 0..<index.count {
                let i = index[j]
                g[i] += t * (theta[i] - aux[i]) / (sigma[j] * sigma[j])
            }
            return Tangent(g)
        })
    }

    /// `Σ_j θτ − aux ln(θτ)` over the Poisson-constrained parameters i_j with factors τ_j
    /// (the parameter-dependent part of −ln Poisson(aux | θτ)).
    @differentiable(reverse, wrt: theta)
    static func poissonConstraintNLL(_ theta: [Double], index: [Int], factor: [Double], aux: [Double]) -> Double {
        var total = 0.0
        for j in 0..<index.count {
            let i = index[j]
            let rate = theta[i] * factor[j]
            total += rate - aux[i] * log(rate)
        }
        return total
    }

    @derivative(of: poissonConstraintNLL, wrt: theta)
    static func vjpPoissonConstraintNLL(_ theta: [Double], index: [Int], factor: [Double], aux: [Double])
        -> (value: Double, pullback: (Double) -> Tangent) {
        (poissonConstraintNLL(theta, index: index, factor: factor, aux: aux), { t in
            var g = [Double](repeating: 0, count: theta.count)
            for j in 0..<index.count {
                let i = index[j]
                g[i] += t * (factor[j] - aux[i] / theta[i])
            }
            return Tangent(g)
        })
    }
}
