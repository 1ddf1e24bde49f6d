/// The reusable per-event buffers of the ADL queries (jets in Cartesian form for Q6, the
/// muons and electrons for Q5 and Q8), so that the event loop allocates nothing after its first events.
///
/// A scratch belongs to one thread: ``ADLAnalysis`` makes one per engine block.
///
/// ```swift
/// let scratch = ADLScratch()
/// for i in 0..<view.count { analysis.fill(&histograms, from: view[i], scratch: scratch) }
/// ```
public final class ADLScratch {
    /// Q6's trijet search.
    public let trijets = TrijetSearch()
    /// Q5's and Q8's leptons.
    public let leptons = LeptonBuffer()

    /// Empty buffers (they grow to the largest event seen).
    public init() {}
}
