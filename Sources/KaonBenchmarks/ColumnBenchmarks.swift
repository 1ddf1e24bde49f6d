import KaonColumns
import KaonPhysics

/// Kernel throughput benchmarks, timed in-process so that `kaon-bench columns` measures exactly the kernels, not file reading.
///
/// Each function runs its kernel `repetitions` times on already-loaded columns and returns
/// the *fastest* run in seconds (the least disturbed by other load on a shared machine).
/// Results are passed to an opaque sink so the optimiser cannot drop the work.
///
/// ```swift
/// let seconds = ColumnBenchmarks.sumPerList(jetPt, repetitions: 5)
/// ```
public enum ColumnBenchmarks {
    /// Per-list sum of a jagged column (`ak.sum(a, axis=1)`).
    ///
    /// ```swift
    /// let seconds = ColumnBenchmarks.sumPerList(jetPt, repetitions: 5)
    /// ```
    public static func sumPerList(_ values: JaggedArray<Float>, repetitions: Int = 5) -> Double {
        best(of: repetitions) { blackHole(values.sum()) }
    }

    /// All pairs within each list and their invariant masses
    /// (`(p["0"] + p["1"]).mass` for `p = ak.combinations(jets, 2)`), with the fused
    /// ``PtEtaPhiMColumns/mass(over:)``.
    ///
    /// ```swift
    /// let seconds = ColumnBenchmarks.pairMass(jets)
    /// ```
    public static func pairMass(_ objects: PtEtaPhiMColumns<Float>, repetitions: Int = 5) -> Double {
        best(of: repetitions) { blackHole(objects.mass(over: objects.pt.argcombinations(2))) }
    }

    /// The ΔR table between two collections per event (cartesian product, then ΔR).
    ///
    /// ```swift
    /// let seconds = ColumnBenchmarks.deltaRMatrix(muons, jets)
    /// ```
    public static func deltaRMatrix(_ first: PtEtaPhiMColumns<Float>, _ second: PtEtaPhiMColumns<Float>, repetitions: Int = 5) -> Double {
        best(of: repetitions) { blackHole(first.deltaRTable(second).deltaR) }
    }

    /// Descending argsort within each list (`ak.argsort(a, axis=1, ascending=False)`).
    ///
    /// ```swift
    /// let seconds = ColumnBenchmarks.argsort(jetPt)
    /// ```
    public static func argsort(_ values: JaggedArray<Float>, repetitions: Int = 5) -> Double {
        best(of: repetitions) { blackHole(values.argsort(ascending: false)) }
    }

    /// ADL query 6 (trijet closest to 172.5 GeV, its pt and max b-tag) from loaded columns.
    ///
    /// ```swift
    /// let seconds = ColumnBenchmarks.adlQuery6(jets, btag: jetBtag)
    /// ```
    public static func adlQuery6(_ jets: PtEtaPhiMColumns<Float>, btag: JaggedArray<Float>, repetitions: Int = 3) -> Double {
        best(of: repetitions) { blackHole(ADLQuery6.bestTrijet(jets: jets, btag: btag)) }
    }

    /// Every kernel above, each `repetitions` times, as (name, fastest seconds) in the order
    /// `kaon-bench columns` and `benchmarks/columns/run.py` report them.
    ///
    /// ```swift
    /// for (name, seconds) in ColumnBenchmarks.all(jets: jets, muons: muons, btag: btag, repetitions: 5) { … }
    /// ```
    public static func all(jets: PtEtaPhiMColumns<Float>, muons: PtEtaPhiMColumns<Float>, btag: JaggedArray<Float>,
                           repetitions: Int) -> [(name: String, seconds: Double)] {
        [
            ("sum_per_list", sumPerList(jets.pt, repetitions: repetitions)),
            ("pair_mass", pairMass(jets, repetitions: repetitions)),
            ("delta_r_matrix", deltaRMatrix(muons, jets, repetitions: repetitions)),
            ("argsort", argsort(jets.pt, repetitions: repetitions)),
            ("adl_q6", adlQuery6(jets, btag: btag, repetitions: repetitions)),
        ]
    }

}
