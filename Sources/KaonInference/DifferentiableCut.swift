import KaonIO
import _Differentiation
import Foundation

/// A differentiable analysis in miniature: the expected discovery significance of a toy
/// search as a function of a selection cut, differentiated by Swift's automatic
/// differentiation and optimised by gradient ascent.
///
/// Each toy event has a discriminating variable `x` (signal peaks high, background falls
/// off) and an observable `m` that is histogrammed (signal is a peak, background flat). A
/// hard cut `x > c` has no useful derivative, so the selection is smooth: each event enters
/// the histograms with weight σ((x − c)/τ), the logistic sigmoid. The expected signal and
/// background per bin of `m` are then differentiable functions of `c`, and so is the
/// Asimov discovery significance summed over the bins,
///
///     Z₀(c)² = Σ_bins 2 ((s + b) ln(1 + s/b) − s),
///
/// whose gradient `dZ₀/dc` comes from `gradient(at:of:)`.
///
/// ```swift
/// let toy = DifferentiableCut(seed: 7)
/// let z = toy.significance(cut: 1)
/// let slope = toy.derivative(cut: 1)               // reverse-mode AD
/// let path = toy.optimise(from: 1, steps: 40)      // gradient ascent on the cut
/// print(z, slope, path.last!.cut, path.last!.significance)
/// ```
public struct DifferentiableCut: Sendable {
    /// Bin edges of the observable `m`.
    public let edges: [Double]
    /// Per bin of `m`, the `x` of the signal events in it (bin membership does not depend
    /// on the cut, only the weights do).
    let signalX: [[Double]]
    /// The same for the background.
    let backgroundX: [[Double]]
    /// Weight of one signal event (expected yield / generated events).
    public let signalWeight: Double
    /// Weight of one background event.
    public let backgroundWeight: Double
    /// The sigmoid's width τ.
    public let width: Double

    /// Generates the toy sample: signal x ~ N(3, 1), m ~ N(5, 0.6); background x ~ Exp(1),
    /// m uniform in [0, 10]; 10 bins of m. The generator is SplitMix64 from `seed`, with
    /// normal deviates by the Box–Muller transform, so a seed fixes the sample everywhere.
    public init(seed: UInt64 = 1, signalEvents: Int = 4000, backgroundEvents: Int = 16000,
                expectedSignal: Double = 60, expectedBackground: Double = 3000, width: Double = 0.25) {
        var rng = SplitMix64(state: seed)
        func normal() -> Double { rng.gaussian() }
        let bins = 10
        edges = (0...bins).map { Double($0) }
        func bin(_ m: Double) -> Int? { m >= 0 && m < Double(bins) ? Int(m) : nil }
        var s = [[Double]](repeating: [], count: bins), b = [[Double]](repeating: [], count: bins)
        for _ in 0..<signalEvents {
            let x = 3 + normal(), m = 5 + 0.6 * normal()
            if let k = bin(m) { s[k].append(x) }
        }
        for _ in 0..<backgroundEvents {
            let x = rng.exponential(mean: 1), m = rng.uniform(0, 10)
            if let k = bin(m) { b[k].append(x) }
        }
        signalX = s
        backgroundX = b
        signalWeight = expectedSignal / Double(signalEvents)
        backgroundWeight = expectedBackground / Double(backgroundEvents)
        self.width = width
    }

    /// The logistic sigmoid 1/(1 + e^(−z)).
    @differentiable(reverse)
    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// A histogram of `m` filled with the events' sigmoid weights, as a differentiable array.
    @differentiable(reverse, wrt: cut)
    func histogram(_ events: [[Double]], weight: Double, cut: Double) -> [Double] {
        var out: [Double] = []
        for k in 0..<withoutDerivative(at: events.count) {
            var sum = 0.0
            for x in events[k] { sum = sum + Self.sigmoid((x - cut) / width) }
            out.append(weight * sum)
        }
        return out
    }

    /// Expected signal per bin of `m` after the smooth cut at `cut`.
    @differentiable(reverse, wrt: cut)
    public func signalHistogram(cut: Double) -> [Double] { histogram(signalX, weight: signalWeight, cut: cut) }

    /// Expected background per bin of `m` after the smooth cut at `cut`.
    @differentiable(reverse, wrt: cut)
    public func backgroundHistogram(cut: Double) -> [Double] { histogram(backgroundX, weight: backgroundWeight, cut: cut) }

    /// The Asimov discovery significance √(Σ 2((s+b) ln(1+s/b) − s)) over the bins of `m`
    /// (bins without background are skipped: the formula has no finite limit there).
    @differentiable(reverse, wrt: cut)
    public func significance(cut: Double) -> Double {
        let s = signalHistogram(cut: cut), b = backgroundHistogram(cut: cut)
        var z2 = 0.0
        for k in 0..<withoutDerivative(at: s.count) where b[k] > 0 {
            z2 = z2 + 2 * ((s[k] + b[k]) * log(1 + s[k] / b[k]) - s[k])
        }
        return sqrt(z2)
    }

    /// dZ₀/dc by reverse-mode automatic differentiation.
    public func derivative(cut: Double) -> Double {
        gradient(at: cut) { c in significance(cut: c) }
    }

    /// One step of an optimisation.
    public struct Step: Sendable {
        public var cut: Double
        public var significance: Double
        public var derivative: Double
    }

    /// Gradient ascent on the cut: c ← c + η dZ₀/dc, accepting a step only when Z₀ grows
    /// and halving η otherwise; stops after `steps` steps or when η or the slope vanish.
    /// Returns every accepted point, the start first.
    public func optimise(from start: Double, stepSize: Double = 2, steps: Int = 50) -> [Step] {
        var (z, g) = valueWithGradient(at: start) { c in significance(cut: c) }
        var path = [Step(cut: start, significance: z, derivative: g)]
        var cut = start, eta = stepSize
        for _ in 0..<steps {
            guard abs(g) > 1e-10, eta > 1e-8 else { break }
            let trial = cut + eta * g
            let (zt, gt) = valueWithGradient(at: trial) { c in significance(cut: c) }
            if zt > z {
                (cut, z, g) = (trial, zt, gt)
                path.append(Step(cut: cut, significance: z, derivative: g))
            } else {
                eta /= 2
            }
        }
        return path
    }
}
