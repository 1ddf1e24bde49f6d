import CKaonPhysics
import KaonNano

/// The reusable per-thread state of queries 5 and 8, so that their event loops allocate
/// nothing per event and call libm almost never: the chunk's muons and electrons converted to
/// Cartesian form without libm, a tile of a few hundred at a time (``Screening``;
/// see `FastTile`), from which the pairs are screened (`CKaonPhysics/lepton_pairs.h`
/// explains why the result is the exact one), and Q8's list of ``Query8/Lepton``s for the
/// events the screening cannot decide.
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
    ///
    /// ```swift
    /// LeptonBuffer(screening: .scalar).screening   // .scalar
    /// ```
    public let screening: Screening
    @usableFromInline var capacity = 16
    @usableFromInline var storage: UnsafeMutablePointer<Query8.Lepton>
    /// The fast conversions of the current chunk's muons (`tiles[0]`) and electrons
    /// (`tiles[1]`), screening only. Behind a pointer: a class's `var` would be checked for
    /// exclusive access at run time, twice per event.
    @usableFromInline let tiles: UnsafeMutablePointer<FastTile>
    /// Q8's candidate pairs (packed i | j << 16) and their lower distance bounds.
    @usableFromInline static var candidateCapacity: Int { 64 }
    @usableFromInline let candidates: UnsafeMutablePointer<UInt32>
    @usableFromInline let candidateLow: UnsafeMutablePointer<Double>

    /// An empty buffer that finds pairs with `screening` (the fastest this processor runs by
    /// default).
    ///
    /// ```swift
    /// let buffer = LeptonBuffer()
    /// let plain = LeptonBuffer(screening: .exact)
    /// ```
    public init(screening: Screening = .best) {
        precondition(screening.isAvailable, "LeptonBuffer: \(screening) does not run on this processor")
        self.screening = screening
        storage = .allocate(capacity: capacity)
        candidates = .allocate(capacity: Self.candidateCapacity)
        candidateLow = .allocate(capacity: Self.candidateCapacity)
        tiles = .allocate(capacity: 2)
        tiles.initialize(repeating: FastTile(length: 256, spaceLike: true, charges: true), count: 2)
    }

    deinit {
        storage.deallocate()
        candidates.deallocate()
        candidateLow.deallocate()
        tiles[0].deallocate()
        tiles[1].deallocate()
        tiles.deinitialize(count: 2)
        tiles.deallocate()
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

    /// The fast Cartesian form of `leptons` (converted with the leptons after them when an
    /// event needs ones not yet converted), nil without screening or when their columns did
    /// not decode.
    @inlinable @inline(__always)
    func fast<L: ChargedLepton>(_ leptons: ObjectCollection<L>, isMuon: Bool) -> FastObjects? {
        guard screening != .exact else { return nil }
        let store = leptons.store, kernel = screening.kernel
        // The tiles read charges: `charge` is never nil here.
        return tiles[isMuon ? 0 : 1].objects(at: leptons.positions, of: store, kernel: kernel)
    }

    /// The pair (i, j) packed by `kaon_sfos_candidates`.
    @inlinable
    static func unpack(_ packed: UInt32) -> (Int, Int) { (Int(packed & 0xffff), Int(packed >> 16)) }
}
