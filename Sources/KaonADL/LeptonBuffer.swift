import CKaonPhysics
import KaonNano

/// The reusable per-thread state of queries 5 and 8, so that their event loops allocate
/// nothing per event and call libm almost never: the chunk's muons and electrons converted to
/// Cartesian form once, without libm (``TrijetSearch/Screening``), from which the pairs are
/// screened (`CKaonPhysics/lepton_pairs.h` explains why the result is the exact one), and
/// Q8's list of ``Query8/Lepton``s for the events the screening cannot decide.
///
/// ```swift
/// let buffer = LeptonBuffer()                     // one per thread, reused for every event
/// try events.forEachEvent { event in
///     if let met = Query5.value(event, leptons: buffer) { q5.fill(met) }
///     if let mt = Query8.value(event, leptons: buffer) { q8.fill(mt) }
/// }
/// let plain = LeptonBuffer(screening: .exact)     // libm for every lepton (for comparisons)
/// ```
public final class LeptonBuffer {
    /// How pairs are found; every choice gives the same results, bit for bit.
    public let screening: TrijetSearch.Screening
    @usableFromInline var capacity = 16
    @usableFromInline var storage: UnsafeMutablePointer<Query8.Lepton>
    /// The fast conversions of the current chunk's muons and electrons (screening only): the
    /// owners, their stores' identities and their columns (plain values, read per event
    /// without reference counting).
    @usableFromInline var muonChunk: ChunkLeptons?, electronChunk: ChunkLeptons?
    @usableFromInline var muonStore: ObjectIdentifier?, electronStore: ObjectIdentifier?
    @usableFromInline var muonColumns: FastLeptons?, electronColumns: FastLeptons?
    /// Q8's candidate pairs (packed i | j << 16) and their lower distance bounds.
    @usableFromInline static var candidateCapacity: Int { 64 }
    @usableFromInline let candidates: UnsafeMutablePointer<UInt32>
    @usableFromInline let candidateLow: UnsafeMutablePointer<Double>

    /// An empty buffer that finds pairs with `screening` (the fastest this processor runs by
    /// default).
    public init(screening: TrijetSearch.Screening = .best) {
        precondition(screening.isAvailable, "LeptonBuffer: \(screening) does not run on this processor")
        self.screening = screening
        storage = .allocate(capacity: capacity)
        candidates = .allocate(capacity: Self.candidateCapacity)
        candidateLow = .allocate(capacity: Self.candidateCapacity)
    }

    deinit {
        storage.deallocate()
        candidates.deallocate()
        candidateLow.deallocate()
    }

    /// Storage for at least `count` leptons (contents not kept: it is refilled per event).
    @usableFromInline
    func reserve(_ count: Int) -> UnsafeMutablePointer<Query8.Lepton> {
        if count > capacity {
            storage.deallocate()
            capacity = Swift.max(count, 2 * capacity)
            storage = .allocate(capacity: capacity)
        }
        return storage
    }

    /// The fast Cartesian form of `leptons` (converted with the rest of their chunk when a new
    /// chunk comes), nil without screening or when their columns did not decode.
    @inlinable @inline(__always)
    func fast<L: ChargedLepton>(_ leptons: ObjectCollection<L>, isMuon: Bool) -> FastLeptons? {
        let store = ObjectIdentifier(leptons.store)
        if store != (isMuon ? muonStore : electronStore) { convert(leptons.store, isMuon: isMuon) }
        return (isMuon ? muonColumns : electronColumns)?.event(at: leptons.positions)
    }

    /// Converts the leptons of a new chunk (nothing without screening).
    @usableFromInline
    func convert(_ store: CollectionStore, isMuon: Bool) {
        let chunk = screening == .exact ? nil : ChunkLeptons(store: store, kernel: screening.kernel)
        if isMuon {
            (muonChunk, muonStore, muonColumns) = (chunk, ObjectIdentifier(store), chunk?.columns)
        } else {
            (electronChunk, electronStore, electronColumns) = (chunk, ObjectIdentifier(store), chunk?.columns)
        }
    }

    /// The pair (i, j) packed by `kaon_sfos_candidates`.
    @inlinable
    static func unpack(_ packed: UInt32) -> (Int, Int) { (Int(packed & 0xffff), Int(packed >> 16)) }
}
