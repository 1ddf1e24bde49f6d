import KaonIO

/// One sample (or group of samples) of a plot: its legend text, its colour, its nominal
/// histogram and its systematic variations by name ("jesUp", "jesDown", …).
public struct PlotSample: Sendable {
    public var legend: String
    /// An SVG colour ("#5790fc", "red"); nil takes the next colour of the style's cycle.
    public var colour: String?
    public var nominal: BinnedHistogram
    public var variations: [String: BinnedHistogram]

    public init(legend: String, colour: String? = nil, nominal: BinnedHistogram, variations: [String: BinnedHistogram] = [:]) {
        self.legend = legend
        self.colour = colour
        self.nominal = nominal
        self.variations = variations
    }
}

/// The uncertainty of the summed prediction per bin: statistical (√ΣΣw²) and systematic
/// from up/down variation pairs, added in quadrature on each side.
///
/// Variations are paired by name: "jesUp"/"jesDown" (also "_up"/"_down") are one
/// systematic. Per systematic and bin the largest upward shift of the total among its
/// variations counts up, the largest downward one down (so a one-sided variation counts
/// once); a sample without a variation contributes its nominal to that variation's total.
public struct PredictionUncertainty: Sendable, Equatable {
    public var nominal: [Double]
    /// Lower and upper edge of the band per bin.
    public var lower: [Double], upper: [Double]

    public init(_ samples: [PlotSample]) throws {
        guard let first = samples.first else { nominal = []; lower = []; upper = []; return }
        var total = first.nominal
        for sample in samples.dropFirst() { total = try total.adding(sample.nominal) }
        let n = total.count
        var systematics: [String: [String]] = [:]
        for name in Set(samples.flatMap(\.variations.keys)).sorted() {
            systematics[Self.systematic(of: name), default: []].append(name)
        }
        var up = [Double](repeating: 0, count: n), down = [Double](repeating: 0, count: n)
        for (_, names) in systematics {
            var shiftUp = [Double](repeating: 0, count: n), shiftDown = [Double](repeating: 0, count: n)
            for name in names {
                var varied = [Double](repeating: 0, count: n)
                for sample in samples {
                    let h = sample.variations[name] ?? sample.nominal
                    guard h.edges == total.edges else { throw KaonError(.usage, "variation '\(name)' of '\(sample.legend)' has another binning than its nominal") }
                    for i in 0..<n { varied[i] += h.values[i] }
                }
                for i in 0..<n {
                    let shift = varied[i] - total.values[i]
                    shiftUp[i] = Swift.max(shiftUp[i], shift)
                    shiftDown[i] = Swift.min(shiftDown[i], shift)
                }
            }
            for i in 0..<n {
                up[i] += shiftUp[i] * shiftUp[i]
                down[i] += shiftDown[i] * shiftDown[i]
            }
        }
        nominal = total.values
        lower = (0..<n).map { total.values[$0] - (total.variances[$0] + down[$0]).squareRoot() }
        upper = (0..<n).map { total.values[$0] + (total.variances[$0] + up[$0]).squareRoot() }
    }

    /// The systematic a variation belongs to: its name without an Up/Down suffix.
    static func systematic(of variation: String) -> String {
        for suffix in ["_up", "_down", "_Up", "_Down", "Up", "Down"] where variation.hasSuffix(suffix) {
            return String(variation.dropLast(suffix.count))
        }
        return variation
    }
}
