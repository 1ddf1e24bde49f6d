import _Differentiation
import Foundation

/// How a systematic's ±1σ variations are interpolated (and extrapolated) in its nuisance
/// parameter α. The names are HistFactory's interpolation codes.
///
/// pyhf's `Model` defaults to ``code4`` for normsys and ``code4p`` for histosys; ``code1`` and
/// ``code0`` are the piecewise exponential/linear forms ROOT's older defaults used.
///
/// ```swift
/// let settings = InterpolationSettings(normsys: .code1, histosys: .code0)
/// let model = try Model(workspace: ws, interpolation: settings)
/// ```
public enum InterpolationCode: String, Sendable, CaseIterable {
    /// Piecewise linear (histosys): α·(hi − nom) above zero, α·(nom − lo) below.
    case code0
    /// Piecewise exponential (normsys): hi^α above zero, lo^(−α) below.
    case code1
    /// Exponential outside |α| ≥ 1, a 6th-order polynomial inside matching value, slope and
    /// curvature at ±1 (normsys). Smooth at α = 0, unlike code1.
    case code4
    /// Linear outside |α| ≥ 1, a polynomial inside matching value, slope and curvature (histosys).
    case code4p
}

/// The interpolation used per modifier type.
public struct InterpolationSettings: Sendable {
    /// For normsys: ``InterpolationCode/code1`` or ``InterpolationCode/code4`` (default).
    public var normsys: InterpolationCode
    /// For histosys: ``InterpolationCode/code0`` or ``InterpolationCode/code4p`` (default).
    public var histosys: InterpolationCode

    /// pyhf's defaults (code4, code4p).
    public init(normsys: InterpolationCode = .code4, histosys: InterpolationCode = .code4p) {
        self.normsys = normsys
        self.histosys = histosys
    }
}

/// The normsys interpolation of a model in flat form, one entry per normsys modifier of a
/// sample: ln hi, ln lo and (code4) the polynomial's coefficients, six per entry.
struct NormsysTable: Sendable {
    var logHi: [Double] = []
    var logLo: [Double] = []
    /// a1…a6 of 1 + Σ aᵢ αⁱ per entry (code4), flat.
    var coefficients: [Double] = []
    /// code4 (polynomial inside |α| < 1) or code1.
    let polynomial: Bool

    init(code: InterpolationCode) { polynomial = code == .code4 }

    mutating func append(hi: Double, lo: Double) {
        logHi.append(log(hi))
        logLo.append(log(lo))
        coefficients += polynomial ? Self.code4Coefficients(hi: hi, lo: lo) : [Double](repeating: 0, count: 6)
    }

    /// Solves for the polynomial that joins the two exponentials at α = ±1 with continuous
    /// value, first and second derivative (six conditions, six unknowns). Solving the linear
    /// system at build time keeps the derivation visible rather than hard-coding an inverse.
    static func code4Coefficients(hi: Double, lo: Double) -> [Double] {
        let lh = log(hi), ll = log(lo)
        var rows: [[Double]] = []
        var rhs: [Double] = []
        for (x, value, slope, curvature) in [(1.0, hi, hi * lh, hi * lh * lh), (-1.0, lo, -lo * ll, lo * ll * ll)] {
            rows.append((1...6).map { pow(x, Double($0)) }); rhs.append(value - 1)
            rows.append((1...6).map { Double($0) * pow(x, Double($0 - 1)) }); rhs.append(slope)
            rows.append((1...6).map { Double($0 * ($0 - 1)) * pow(x, Double($0 - 2)) }); rhs.append(curvature)
        }
        return LinearAlgebra.solve(rows, rhs) ?? [Double](repeating: 0, count: 6)
    }

    /// Factor and its derivative for entry `j` at `alpha`.
    @inline(__always)
    func factorAndSlope(_ j: Int, _ alpha: Double) -> (Double, Double) {
        if alpha >= 1 || (!polynomial && alpha >= 0) { let f = exp(alpha * logHi[j]); return (f, f * logHi[j]) }
        if alpha <= -1 || !polynomial { let f = exp(-alpha * logLo[j]); return (f, -f * logLo[j]) }
        // Horner's rule for 1 + a1 α + … + a6 α⁶ and for its derivative.
        let a = 6 * j
        var p = coefficients[a + 5]
        var dp = 6 * coefficients[a + 5]
        for k in stride(from: 4, through: 0, by: -1) {
            p = p * alpha + coefficients[a + k]
            if k > 0 { dp = dp * alpha + Double(k + 1) * coefficients[a + k] }
        }
        return (1 + p * alpha, dp * alpha + coefficients[a])
    }
}

/// The histosys interpolation in flat form, one entry per (histosys modifier, bin) of a
/// sample: the shifts hi − nominal and nominal − lo.
struct HistosysTable: Sendable {
    var up: [Double] = []
    var down: [Double] = []
    /// code4p (polynomial inside |α| < 1) or code0.
    let polynomial: Bool

    init(code: InterpolationCode) { polynomial = code == .code4p }

    mutating func append(nominal: Double, hi: Double, lo: Double) {
        up.append(hi - nominal)
        down.append(nominal - lo)
    }

    /// Additive shift and its derivative for entry `j` at `alpha`.
    @inline(__always)
    func shiftAndSlope(_ j: Int, _ alpha: Double) -> (Double, Double) {
        if alpha >= 1 || (!polynomial && alpha >= 0) { return (alpha * up[j], up[j]) }
        if alpha <= -1 || !polynomial { return (alpha * down[j], down[j]) }
        // Inside |α| < 1: the odd part is the mean slope S, the even part a polynomial that
        // vanishes at 0 and makes value, slope and curvature continuous at ±1:
        // S α + A (15α² − 10α⁴ + 3α⁶) with A = (up − down)/16.
        let s = 0.5 * (up[j] + down[j])
        let asym = 0.0625 * (up[j] - down[j])
        let a2 = alpha * alpha
        let value = alpha * (s + alpha * asym * (15 + a2 * (3 * a2 - 10)))
        let slope = s + asym * alpha * (30 + a2 * (18 * a2 - 40))
        return (value, slope)
    }
}

extension Primitives {
    /// The normsys factors of all entries of `table` at their α (one α per entry): an
    /// elementwise primitive with its own derivative.
    @differentiable(reverse, wrt: alpha)
    static func normsysFactors(_ alpha: [Double], _ table: NormsysTable) -> [Double] {
        (0..<alpha.count).map { table.factorAndSlope($0, alpha[$0]).0 }
    }

    @derivative(of: normsysFactors, wrt: alpha)
    static func vjpNormsysFactors(_ alpha: [Double], _ table: NormsysTable) -> (value: [Double], pullback: (Tangent) -> Tangent) {
        var value = [Double](repeating: 0, count: alpha.count)
        var slope = value
        for j in 0..<alpha.count { (value[j], slope[j]) = table.factorAndSlope(j, alpha[j]) }
        return (value, { t in Tangent(multiply(dense(t, count: slope.count), slope)) })
    }

    /// The histosys shifts of all entries of `table` at their α (one α per entry).
    @differentiable(reverse, wrt: alpha)
    static func histosysShifts(_ alpha: [Double], _ table: HistosysTable) -> [Double] {
        (0..<alpha.count).map { table.shiftAndSlope($0, alpha[$0]).0 }
    }

    @derivative(of: histosysShifts, wrt: alpha)
    static func vjpHistosysShifts(_ alpha: [Double], _ table: HistosysTable) -> (value: [Double], pullback: (Tangent) -> Tangent) {
        var value = [Double](repeating: 0, count: alpha.count)
        var slope = value
        for j in 0..<alpha.count { (value[j], slope[j]) = table.shiftAndSlope(j, alpha[j]) }
        return (value, { t in Tangent(multiply(dense(t, count: slope.count), slope)) })
    }
}
