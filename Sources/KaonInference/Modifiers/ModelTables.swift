// How a sample's modifiers act on its yields (HistFactory):
//   yield[b] = (nominal[b] + Σ histosys shift(α)[b]) × Π normfactor/lumi × Π normsys(α) × Π γ[b]
// with the γ of shapesys, staterror and shapefactor per bin. Additive terms first, then the
// multiplicative ones, as pyhf combines them.

/// The model's samples and modifiers compiled once into flat index tables (structure of
/// arrays), the form the vectorised ``Primitives`` evaluate without per-term dispatch.
///
/// A *sample-bin* is one bin of one sample (samples in channel order, bins in order); each
/// table row says which parameter acts on which sample or sample-bin. Rows feeding a
/// ``Primitives/segmentProduct(_:_:count:)`` are sorted by their segment.
struct ModelTables: Sendable {
    /// Number of samples and of sample-bins.
    var sampleCount = 0
    var sampleBinCount = 0
    /// Per sample-bin: nominal yield, its sample, its main bin.
    var nominal: [Double] = []
    var sampleOfBin: [Int] = []
    var mainBinOfSampleBin: [Int] = []
    /// Scalar multiplicative parameters (normfactor, lumi): parameter and sample per row.
    var scalarParameter: [Int] = []
    var scalarSample: [Int] = []
    /// normsys: parameter and sample per row, with the interpolation constants.
    var normsysParameter: [Int] = []
    var normsysSample: [Int] = []
    var normsys: NormsysTable
    /// histosys: parameter and sample-bin per (modifier, bin) row, with the shifts.
    var histosysParameter: [Int] = []
    var histosysSampleBin: [Int] = []
    var histosys: HistosysTable
    /// Per-bin multiplicative parameters (shapesys, staterror, shapefactor): parameter and
    /// sample-bin per row.
    var binFactorParameter: [Int] = []
    var binFactorSampleBin: [Int] = []

    init(interpolation: InterpolationSettings) {
        normsys = NormsysTable(code: interpolation.normsys)
        histosys = HistosysTable(code: interpolation.histosys)
    }

    /// Adds one sample whose bins are the main bins `bins`; `parameter` maps a modifier name
    /// to its first parameter.
    mutating func append(_ sample: Workspace.Sample, bins: Range<Int>, parameter: [String: Int]) {
        let k = sampleCount
        let first = sampleBinCount
        sampleCount += 1
        sampleBinCount += bins.count
        nominal += sample.data
        sampleOfBin += Array(repeating: k, count: bins.count)
        mainBinOfSampleBin += Array(bins)
        var binRows: [(sampleBin: Int, parameter: Int)] = []
        for m in sample.modifiers {
            let p = parameter[m.name]!
            switch m.kind {
            case .normfactor, .lumi:
                scalarParameter.append(p); scalarSample.append(k)
            case .normsys(let hi, let lo):
                normsysParameter.append(p); normsysSample.append(k)
                normsys.append(hi: hi, lo: lo)
            case .histosys(let hi, let lo):
                for b in 0..<bins.count {
                    histosysParameter.append(p); histosysSampleBin.append(first + b)
                    histosys.append(nominal: sample.data[b], hi: hi[b], lo: lo[b])
                }
            case .shapesys, .staterror, .shapefactor:
                for b in 0..<bins.count { binRows.append((first + b, p + b)) }
            }
        }
        // Stable sort by sample-bin: one contiguous segment per sample-bin, modifier order kept.
        for row in binRows.enumerated().sorted(by: { ($0.element.sampleBin, $0.offset) < ($1.element.sampleBin, $1.offset) }) {
            binFactorSampleBin.append(row.element.sampleBin); binFactorParameter.append(row.element.parameter)
        }
    }
}
