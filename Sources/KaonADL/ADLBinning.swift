import KaonHist

/// The two binnings of the ADL benchmark (100 bins everywhere).
///
/// `rootProject` is the binning of the `root-project/opendata-benchmarks` implementations
/// (the default); `paper` is the binning of the histograms published with Graur et al.
/// (PVLDB 15(2), 2022), which also differs in Q7: the paper fills a sum of 0 (it lands in
/// the underflow), root-project drops such events.
///
/// ```swift
/// ADLBinning.paper.axis(for: .q1)     // 100 bins over [0, 2000)
/// ADLBinning.rootProject.fillsZeroJetSum   // false
/// ```
public enum ADLBinning: String, CaseIterable, Sendable {
    /// root-project/opendata-benchmarks: MET up to 200 GeV, Q7 without zero sums.
    case rootProject = "root-project"
    /// The paper's published histograms: MET up to 2000 GeV, Q8 [15, 250), Q7 with zero sums.
    case paper

    /// The regular axis of histogram `key` (with under- and overflow bins).
    ///
    /// ```swift
    /// ADLBinning.rootProject.axis(for: .q8).edges.last   // 200
    /// ```
    public func axis(for key: ADLHistogramKey) -> RegularAxis {
        let range: (Double, Double)
        switch key {
        case .q1, .q4, .q5: range = self == .paper ? (0, 2000) : (0, 200)
        case .q2, .q3: range = (15, 60)
        case .q6pt: range = (15, 40)
        case .q6btag: range = (0, 1)
        case .q7: range = (15, 200)
        case .q8: range = self == .paper ? (15, 250) : (0, 200)
        }
        return RegularAxis(bins: 100, lower: range.0, upper: range.1, metadata: .init(name: key.rawValue, label: key.label))
    }

    /// Whether Q7 fills events whose selected-jet sum is 0 (the paper) or drops them
    /// (root-project).
    ///
    /// ```swift
    /// if sum != 0 || binning.fillsZeroJetSum { bins.fill(sum) }
    /// ```
    public var fillsZeroJetSum: Bool { self == .paper }
}
