/// A bounded quasi-Newton minimiser in the spirit of L-BFGS-B: limited-memory BFGS
/// directions restricted to the parameters not held at a bound, a projected backtracking
/// (Armijo) line search, and a projected-gradient convergence test.
///
/// It needs the objective's gradient, which the likelihood supplies by automatic
/// differentiation; there are no finite differences here.
///
/// ```swift
/// let m = Minimiser()
/// let r = m.minimise(start: [3, 3], lower: [0, 0], upper: [10, 10], fixed: [false, false]) { x in
///     let f = (x[0] - 1) * (x[0] - 1) + 10 * (x[1] - 2) * (x[1] - 2)
///     return (f, [2 * (x[0] - 1), 20 * (x[1] - 2)])
/// }
/// // r.x ≈ [1, 2]
/// ```
public struct Minimiser: Sendable {
    /// Number of (s, y) pairs kept.
    public var memory = 10
    /// Converged when every projected-gradient component is below this.
    public var gradientTolerance = 1e-7
    /// Or when the objective changes by less than this relative amount twice in a row.
    public var relativeTolerance = 1e-14
    /// Iteration limit.
    public var maxIterations = 2000

    /// Creates a minimiser with default tolerances.
    public init() {}

    /// The outcome of a minimisation.
    public struct Result: Sendable {
        /// The minimum found.
        public var x: [Double]
        /// The objective there.
        public var value: Double
        /// The gradient there.
        public var gradient: [Double]
        /// Iterations used.
        public var iterations: Int
        /// Objective evaluations used.
        public var evaluations: Int
        /// Whether a convergence criterion was met (rather than the iteration limit).
        public var converged: Bool
    }

    /// Minimises `objective` (value and gradient) from `start` within `lower...upper`;
    /// parameters with `fixed[i]` stay at `start[i]`.
    public func minimise(start: [Double], lower: [Double], upper: [Double], fixed: [Bool],
                         objective: ([Double]) -> (Double, [Double])) -> Result {
        let n = start.count
        func project(_ x: [Double]) -> [Double] {
            (0..<n).map { fixed[$0] ? start[$0] : min(max(x[$0], lower[$0]), upper[$0]) }
        }
        var x = project(start)
        var (f, g) = objective(x)
        var evaluations = 1
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var smallSteps = 0
        var iteration = 0
        func dot(_ a: [Double], _ b: [Double]) -> Double { var t = 0.0; for i in 0..<n { t += a[i] * b[i] }; return t }

        while iteration < maxIterations {
            iteration += 1
            // Parameters at a bound with the gradient pushing outwards, and fixed ones, are
            // inactive this iteration; the rest form the subspace the step lives in.
            var active = [Bool](repeating: false, count: n)
            var projectedNorm = 0.0
            for i in 0..<n {
                if fixed[i] || (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) {
                    active[i] = true
                } else {
                    projectedNorm = max(projectedNorm, abs(g[i]))
                }
            }
            if projectedNorm < gradientTolerance { return Result(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, converged: true) }

            // Two-loop recursion on the free subspace.
            var q = (0..<n).map { active[$0] ? 0 : g[$0] }
            var alpha = [Double](repeating: 0, count: s.count)
            for k in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[k] = rho[k] * dot(s[k], q)
                for i in 0..<n { q[i] -= alpha[k] * y[k][i] }
            }
            if let last = s.indices.last {
                let gamma = dot(s[last], y[last]) / dot(y[last], y[last])
                for i in 0..<n { q[i] *= gamma }
            } else {
                // First step: a unit-length move, not a unit-gradient one, so a steep start
                // does not jump across the whole box.
                let norm = dot(q, q).squareRoot()
                if norm > 0 { for i in 0..<n { q[i] /= max(norm, 1) } }
            }
            for k in 0..<s.count {
                let beta = rho[k] * dot(y[k], q)
                for i in 0..<n { q[i] += s[k][i] * (alpha[k] - beta) }
            }
            var d = (0..<n).map { active[$0] ? 0 : -q[$0] }
            if dot(d, g) >= 0 {
                // Not a descent direction (curvature information went stale): restart.
                d = (0..<n).map { active[$0] ? 0 : -g[$0] }
                s.removeAll(); y.removeAll(); rho.removeAll()
            }

            // Projected backtracking line search.
            var t = 1.0
            var accepted: (x: [Double], f: Double, g: [Double])?
            for _ in 0..<60 {
                let trial = project((0..<n).map { x[$0] + t * d[$0] })
                let step = (0..<n).map { trial[$0] - x[$0] }
                let decrease = dot(g, step)
                if dot(step, step) == 0 { break }
                let (ft, gt) = objective(trial)
                evaluations += 1
                if ft.isFinite && ft <= f + 1e-4 * decrease {
                    accepted = (trial, ft, gt)
                    break
                }
                t *= 0.5
            }
            guard let (xn, fn, gn) = accepted else {
                if !s.isEmpty { s.removeAll(); y.removeAll(); rho.removeAll(); continue }
                return Result(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, converged: projectedNorm < 1e-4)
            }
            let sk = (0..<n).map { xn[$0] - x[$0] }
            let yk = (0..<n).map { gn[$0] - g[$0] }
            let sy = dot(sk, yk)
            if sy > 1e-12 * dot(yk, yk).squareRoot() * dot(sk, sk).squareRoot() && sy > 0 {
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            let change = abs(f - fn)
            x = xn; f = fn; g = gn
            smallSteps = change <= relativeTolerance * max(1, abs(f)) ? smallSteps + 1 : 0
            if smallSteps >= 3 { return Result(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, converged: true) }
        }
        return Result(x: x, value: f, gradient: g, iterations: iteration, evaluations: evaluations, converged: false)
    }
}
