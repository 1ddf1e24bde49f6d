/// Small dense linear algebra for the fits: models have tens to hundreds of parameters, so
/// plain Gaussian elimination is both fast enough and dependency-free.
enum LinearAlgebra {
    /// Solves A x = b by Gaussian elimination with partial pivoting; nil when A is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var x = b
        for col in 0..<n {
            var pivot = col
            for r in col + 1..<max(col + 1, n) where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard m[pivot][col] != 0, m[pivot][col].isFinite else { return nil }
            if pivot != col { m.swapAt(pivot, col); x.swapAt(pivot, col) }
            for r in col + 1..<max(col + 1, n) {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for c in col..<n { m[r][c] -= f * m[col][c] }
                x[r] -= f * x[col]
            }
        }
        for col in stride(from: n - 1, through: 0, by: -1) {
            var s = x[col]
            for c in col + 1..<max(col + 1, n) { s -= m[col][c] * x[c] }
            x[col] = s / m[col][col]
        }
        return x
    }

    /// The inverse of a square matrix; nil when singular.
    static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            guard let c = solve(a, e) else { return nil }
            columns.append(c)
        }
        return (0..<n).map { i in (0..<n).map { j in columns[j][i] } }
    }
}
