import Foundation
import KaonHist

/// How an axis maps values to positions: linearly, or by their logarithm.
public enum PlotScale: Sendable, Equatable {
    case linear
    case log

    /// The value as the axis measures it (log₁₀ for a log axis).
    func transform(_ v: Double) -> Double { self == .log ? log10(v) : v }
    func inverse(_ t: Double) -> Double { self == .log ? pow(10, t) : t }
}

/// One axis' range on a scale, with its major (labelled) and minor tick positions.
struct AxisRange {
    var scale: PlotScale
    var lower: Double, upper: Double

    /// The fraction of the axis' length at which `v` sits (0 at `lower`, 1 at `upper`).
    func fraction(_ v: Double) -> Double {
        let t0 = scale.transform(lower), t1 = scale.transform(upper)
        return (scale.transform(v) - t0) / (t1 - t0)
    }

    /// Labelled ticks: nice numbers on a linear axis, powers of ten on a log axis.
    var majorTicks: [Double] {
        switch scale {
        case .linear: return niceTicks(lower, upper, count: 6)
        case .log:
            let first = Int(floor(log10(lower) + 1e-9)), last = Int(floor(log10(upper) + 1e-9))
            let every = Swift.max(1, (last - first + 1) / 8)  // at most about eight labels
            return stride(from: first, through: last, by: every).map { pow(10, Double($0)) }.filter { $0 >= lower * (1 - 1e-9) }
        }
    }

    /// Unlabelled ticks between the major ones: a fifth (or quarter) of the step on a linear
    /// axis, 2…9 × each decade on a log axis.
    var minorTicks: [Double] {
        switch scale {
        case .linear:
            let major = majorTicks
            guard major.count > 1 else { return [] }
            let step = major[1] - major[0]
            let mantissa = step / pow(10, floor(log10(step)))
            let divisions = abs(mantissa - 2) < 1e-9 ? 4.0 : 5.0
            let minor = step / divisions
            var ticks: [Double] = []
            var k = (lower / minor).rounded(.up)
            while k * minor <= upper + minor * 1e-9 {
                let v = k * minor
                if !major.contains(where: { abs($0 - v) < minor * 1e-6 }) { ticks.append(v) }
                k += 1
            }
            return ticks
        case .log:
            let first = Int(floor(log10(lower))), last = Int(ceil(log10(upper)))
            guard last - first <= 12 else { return [] }
            return (first...last).flatMap { e in (2...9).map { Double($0) * pow(10, Double(e)) } }.filter { $0 >= lower && $0 <= upper }
        }
    }

    /// The label of a major tick: "10^3" style for log axes (drawn as a superscript), numbers
    /// with just the decimals the step needs on linear ones.
    func label(_ v: Double) -> (base: String, exponent: String?) {
        switch scale {
        case .log:
            let e = Int(log10(v).rounded())
            return ("10", "\(e)")
        case .linear:
            let major = majorTicks
            let step = major.count > 1 ? major[1] - major[0] : 1
            return (tickLabel(v, step: step), nil)
        }
    }
}

/// The lowest value a log axis shows for contents `positive` (the positive entries): half the
/// smallest, rounded down to a power of ten, and never more than six decades below the
/// largest — so empty bins and tiny tails do not squash the bulk of the distribution.
public func logAxisMinimum(_ positive: [Double]) -> Double {
    let values = positive.filter { $0 > 0 && $0.isFinite }
    guard let smallest = values.min(), let largest = values.max() else { return 0.1 }
    let floorValue = pow(10, floor(log10(smallest / 2)))
    return Swift.max(floorValue, pow(10, floor(log10(largest)) - 6))
}
