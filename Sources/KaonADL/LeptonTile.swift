import CKaonPhysics
import KaonNano

/// A run of consecutive leptons of one chunk (muons, or electrons) in fast Cartesian form
/// (`CKaonPhysics/fast_cartesian.h`, column-wise, 4 per instruction with AVX2; a small
/// negative mass by `kaon_fast_cartesian_space_like`), with their charges: what queries 5 and
/// 8 screen their pairs from (see ``LeptonBuffer``).
///
/// The tile is converted on demand, a few hundred leptons ahead of the event that asks, so
/// that the values are still in the cache when the event loop reads them (converting a
/// whole chunk at once wrote megabytes that came back from memory event by event). Leptons
/// the fast conversion does not accept have a NaN energy, which sends their events to the
/// exact path.
///
/// ```swift
/// var tile = LeptonTile()
/// if let muons = tile.leptons(at: event.muons.positions, of: event.muons.store, kernel: kernel) { muons.e[0] }
/// ```
@usableFromInline
struct LeptonTile {
    /// Leptons converted ahead of the event asking (more when one event has more).
    @usableFromInline static var length: Int { 256 }
    /// The store the tile is from, and its columns (nil when a field did not decode: the
    /// exact path's property reads then report the failure).
    @usableFromInline var store: ObjectIdentifier?
    /// Keeps the store alive: its columns are read, and no other store may take its identity.
    var owner: CollectionStore?
    @usableFromInline var columns: (pt: UnsafePointer<Float>, eta: UnsafePointer<Float>, phi: UnsafePointer<Float>,
                                    mass: UnsafePointer<Float>, charge: UnsafePointer<Int32>)?
    @usableFromInline var total = 0
    /// The converted store positions `start ..< end`: px, py, pz, E, `capacity` values each.
    @usableFromInline var start = 0, end = 0
    @usableFromInline var capacity = 0
    @usableFromInline var storage: UnsafeMutablePointer<Double>?

    @inlinable init() {}

    /// Frees the storage (the owner's deinit).
    func deallocate() { storage?.deallocate() }

    /// The fast form of the leptons at `positions` of `store`, nil when its columns did not
    /// decode.
    @inlinable @inline(__always)
    mutating func leptons(at positions: Range<Int>, of store: CollectionStore, kernel: Int32) -> FastLeptons? {
        if positions.lowerBound < start || positions.upperBound > end || ObjectIdentifier(store) != self.store {
            convert(from: positions, of: store, kernel: kernel)
        }
        guard let columns, let storage else { return nil }
        let r = positions.lowerBound &- start, w = capacity
        return FastLeptons(px: storage + r, py: storage + (w &+ r), pz: storage + (2 &* w &+ r), e: storage + (3 &* w &+ r),
                           charge: columns.charge + positions.lowerBound, count: positions.count)
    }

    /// Converts the leptons from `positions`' start on (a new chunk's columns looked up first).
    @usableFromInline
    mutating func convert(from positions: Range<Int>, of store: CollectionStore, kernel: Int32) {
        if ObjectIdentifier(store) != self.store {
            self.store = ObjectIdentifier(store)
            owner = store
            total = store.total
            if let pt = (try? store.buffer("pt", as: Float.self))?.baseAddress,
               let eta = (try? store.buffer("eta", as: Float.self))?.baseAddress,
               let phi = (try? store.buffer("phi", as: Float.self))?.baseAddress,
               let mass = (try? store.buffer("mass", as: Float.self))?.baseAddress,
               let charge = (try? store.buffer("charge", as: Int32.self))?.baseAddress {
                columns = (pt, eta, phi, mass, charge)
            } else {
                columns = nil
            }
        }
        start = positions.lowerBound
        end = Swift.min(total, start + Swift.max(Self.length, positions.count))
        guard let columns, end >= positions.upperBound else { (start, end) = (0, 0); return }
        let n = end - start
        if n > capacity || storage == nil {
            storage?.deallocate()
            capacity = Swift.max(n, Self.length)
            storage = .allocate(capacity: 4 * capacity)
        }
        guard let storage else { return }
        let w = capacity, px = storage, py = storage + w, pz = storage + 2 * w, e = storage + 3 * w
        let pt = columns.pt + start, eta = columns.eta + start, phi = columns.phi + start, mass = columns.mass + start
        kaon_fast_cartesian_column(kernel, pt, eta, phi, mass, n, px, py, pz, e)
        kaon_fast_cartesian_space_like(pt, eta, phi, mass, n, px, py, pz, e)
    }
}

/// Leptons of one flavour in fast Cartesian form, with their charges (one event's).
@usableFromInline
struct FastLeptons {
    @usableFromInline let px, py, pz, e: UnsafePointer<Double>
    @usableFromInline let charge: UnsafePointer<Int32>
    @usableFromInline let count: Int

    @inlinable
    init(px: UnsafePointer<Double>, py: UnsafePointer<Double>, pz: UnsafePointer<Double>, e: UnsafePointer<Double>,
         charge: UnsafePointer<Int32>, count: Int) {
        (self.px, self.py, self.pz, self.e, self.charge, self.count) = (px, py, pz, e, charge, count)
    }
}
