extension Model {
    /// The Hessian of −ln L at `p`: central finite differences of the exact (AD) gradient,
    /// symmetrised. Differencing a gradient costs 2n gradient evaluations and is accurate to
    /// O(h²) with h ~ 1e-5, ample for uncertainties and correlations.
    ///
    /// Rows and columns of fixed parameters are zero.
    ///
    /// ```swift
    /// let h = model.hessian(fit.parameters, data: data)
    /// ```
    public func hessian(_ p: [Double], data: ModelData, fixed: [Bool]? = nil) -> [[Double]] {
        let n = p.count
        let fixed = fixed ?? self.fixed
        var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n where !fixed[j] {
            let step = 1e-5 * max(1, abs(p[j]))
            var up = p, down = p
            up[j] += step
            down[j] -= step
            let gu = nllAndGradient(up, data: data).gradient
            let gd = nllAndGradient(down, data: data).gradient
            for i in 0..<n where !fixed[i] { h[i][j] = (gu[i] - gd[i]) / (2 * step) }
        }
        for i in 0..<n { for j in 0..<i { let m = 0.5 * (h[i][j] + h[j][i]); h[i][j] = m; h[j][i] = m } }
        return h
    }

    /// The covariance matrix of the free parameters: the inverse Hessian of −ln L (zero for
    /// fixed parameters); nil when the Hessian is singular.
    public func covariance(_ p: [Double], data: ModelData, fixed: [Bool]? = nil) -> [[Double]]? {
        let fixed = fixed ?? self.fixed
        let free = p.indices.filter { !fixed[$0] }
        let h = hessian(p, data: data, fixed: fixed)
        guard let inv = LinearAlgebra.inverse(free.map { i in free.map { j in h[i][j] } }) else { return nil }
        var c = [[Double]](repeating: [Double](repeating: 0, count: p.count), count: p.count)
        for (a, i) in free.enumerated() { for (b, j) in free.enumerated() { c[i][j] = inv[a][b] } }
        return c
    }
}
