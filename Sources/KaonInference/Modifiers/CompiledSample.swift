// How a sample's modifiers act on its yields (HistFactory):
//   yield[b] = (nominal[b] + Σ histosys shift(α)[b]) × Π normfactor/lumi × Π normsys(α) × Π γ[b]
// with the γ of shapesys, staterror and shapefactor per bin. Additive terms first, then the
// multiplicative ones, as pyhf combines them.

/// A sample in index form: parameter offsets of each modifier kind, with interpolators.
struct CompiledSample: Sendable {
    var firstBin: Int
    var nominal: [Double]
    /// Scalar multiplicative parameters (normfactor, lumi).
    var scalarFactors: [Int] = []
    var normsys: [Int] = []
    var normsysInterpolators: [NormsysInterpolator] = []
    var histosys: [Int] = []
    /// Per histosys modifier, per bin.
    var histosysInterpolators: [[HistosysInterpolator]] = []
    /// First parameter of per-bin multiplicative sets (shapesys, staterror, shapefactor).
    var binFactors: [Int] = []
}
