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

/// A normsys factor as a function of α with its precomputed interpolation constants.
struct NormsysInterpolator: Sendable {
    let logHi: Double
    let logLo: Double
    let hi: Double
    let lo: Double
    let polynomial: Bool
    /// Coefficients a1…a6 of 1 + Σ aᵢ αⁱ (code4).
    let a: [Double]

    init(hi: Double, lo: Double, code: InterpolationCode) {
        self.hi = hi
        self.lo = lo
        logHi = log(hi)
        logLo = log(lo)
        polynomial = code == .code4
        a = code == .code4 ? Self.code4Coefficients(hi: hi, lo: lo) : []
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

    @differentiable(reverse, wrt: alpha)
    func factor(_ alpha: Double) -> Double {
        if alpha >= 1 || (!polynomial && alpha >= 0) { return exp(alpha * logHi) }
        if alpha <= -1 || !polynomial { return exp(-alpha * logLo) }
        // Horner's rule for 1 + a1 α + … + a6 α⁶.
        var p = a[5]
        p = p * alpha + a[4]
        p = p * alpha + a[3]
        p = p * alpha + a[2]
        p = p * alpha + a[1]
        p = p * alpha + a[0]
        return 1 + p * alpha
    }
}

/// A histosys additive shift for one bin as a function of α.
struct HistosysInterpolator: Sendable {
    /// hi − nominal.
    let up: Double
    /// nominal − lo.
    let down: Double
    let polynomial: Bool

    init(nominal: Double, hi: Double, lo: Double, code: InterpolationCode) {
        up = hi - nominal
        down = nominal - lo
        polynomial = code == .code4p
    }

    @differentiable(reverse, wrt: alpha)
    func delta(_ alpha: Double) -> Double {
        if alpha >= 1 || (!polynomial && alpha >= 0) { return alpha * up }
        if alpha <= -1 || !polynomial { return alpha * down }
        // Inside |α| < 1: the odd part is the mean slope S, the even part a polynomial that
        // vanishes at 0 and makes value, slope and curvature continuous at ±1.
        let s = 0.5 * (up + down)
        let asym = 0.0625 * (up - down)
        let a2 = alpha * alpha
        return alpha * (s + alpha * asym * (15 + a2 * (3 * a2 - 10)))
    }
}
