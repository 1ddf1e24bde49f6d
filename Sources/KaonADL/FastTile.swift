import CKaonPhysics
import KaonNano

/// A run of consecutive objects of one chunk's collection (jets, muons or electrons) in fast
/// Cartesian form (`CKaonPhysics/fast_cartesian.h`, column-wise, 4 per AVX2 instruction):
/// what queries 5, 6 and 8 screen their combinations from.
///
/// The tile is converted on demand, `length` objects from the first one an event asks for,
/// so that the values are still in the cache when the event loop reads them (converting a
/// whole chunk at once wrote megabytes that came back from memory, into freshly faulted
/// pages). Objects the fast conversion does not accept have a NaN energy, which sends their
/// events to the exact path. Each column has 8 values of padding after the tile: the vector
/// screenings read whole vectors past an event's last object.
///
/// ```swift
/// var tile = FastTile(length: 256, spaceLike: true, charges: true)
/// if let muons = tile.objects(at: event.muons.positions, of: event.muons.store, kernel: kernel) { muons.e[0] }
/// ```
@usableFromInline
struct FastTile {
    /// Objects converted from the first one asked for (more when one event has more).
    @usableFromInline let length: Int
    /// Whether objects with a small negative mass are converted too
    /// (`kaon_fast_cartesian_space_like`; otherwise they take the exact path).
    @usableFromInline let spaceLike: Bool
    /// Whether the objects' charges are read (`charge`, for the opposite-charge pairs).
    @usableFromInline let charges: Bool
    /// The store the tile is from, and its columns (nil when a field did not decode: the
    /// exact path's property reads then report the failure).
    @usableFromInline var store: ObjectIdentifier?
    /// Keeps the store alive: its columns are read, and no other store may take its identity.
    var owner: CollectionStore?
    @usableFromInline var columns: (pt: UnsafePointer<Float>, eta: UnsafePointer<Float>, phi: UnsafePointer<Float>,
                                    mass: UnsafePointer<Float>, charge: UnsafePointer<Int32>?)?
    @usableFromInline var total = 0
    /// The converted store positions `start ..< end`: px, py, pz, E, `capacity + 8` values each.
    @usableFromInline var start = 0, end = 0
    @usableFromInline var capacity = 0
    @usableFromInline var storage: UnsafeMutablePointer<Double>?

    @inlinable init(length: Int, spaceLike: Bool, charges: Bool) {
        self.length = length
        self.spaceLike = spaceLike
        self.charges = charges
    }

    /// Frees the storage (the owner's deinit).
    func deallocate() { storage?.deallocate() }

    /// The fast form of the objects at `positions` of `store`, nil when its columns did not
    /// decode.
    @inlinable @inline(__always)
    mutating func objects(at positions: Range<Int>, of store: CollectionStore, kernel: Int32) -> FastObjects? {
        if positions.lowerBound < start || positions.upperBound > end || ObjectIdentifier(store) != self.store {
            convert(from: positions, of: store, kernel: kernel)
        }
        guard let columns, let storage else { return nil }
        let r = positions.lowerBound &- start, w = capacity &+ 8
        return FastObjects(px: storage + r, py: storage + (w &+ r), pz: storage + (2 &* w &+ r), e: storage + (3 &* w &+ r),
                           charge: columns.charge.map { $0 + positions.lowerBound }, count: positions.count)
    }

    /// Converts the objects from `positions`' start on (a new chunk's columns looked up first).
    @usableFromInline
    mutating func convert(from positions: Range<Int>, of store: CollectionStore, kernel: Int32) {
        if ObjectIdentifier(store) != self.store {
            self.store = ObjectIdentifier(store)
            owner = store
            total = store.total
            columns = nil
            if let pt = (try? store.buffer("pt", as: Float.self))?.baseAddress,
               let eta = (try? store.buffer("eta", as: Float.self))?.baseAddress,
               let phi = (try? store.buffer("phi", as: Float.self))?.baseAddress,
               let mass = (try? store.buffer("mass", as: Float.self))?.baseAddress {
                if !charges {
                    columns = (pt, eta, phi, mass, nil)
                } else if let charge = (try? store.buffer("charge", as: Int32.self))?.baseAddress {
                    columns = (pt, eta, phi, mass, charge)
                }
            }
        }
        start = positions.lowerBound
        end = Swift.min(total, start + Swift.max(length, positions.count))
        guard let columns, end >= positions.upperBound else { (start, end) = (0, 0); return }
        let n = end - start
        if n > capacity || storage == nil {
            storage?.deallocate()
            capacity = Swift.max(n, length)
            // Defined values everywhere, padding included (it is read, never used).
            storage = .allocate(capacity: 4 * (capacity + 8))
            storage?.initialize(repeating: 0, count: 4 * (capacity + 8))
        }
        guard let storage else { return }
        let w = capacity + 8, px = storage, py = storage + w, pz = storage + 2 * w, e = storage + 3 * w
        let pt = columns.pt + start, eta = columns.eta + start, phi = columns.phi + start, mass = columns.mass + start
        kaon_fast_cartesian_column(kernel, pt, eta, phi, mass, n, px, py, pz, e)
        if spaceLike { kaon_fast_cartesian_space_like(pt, eta, phi, mass, n, px, py, pz, e) }
    }
}

/// One event's objects of one collection in fast Cartesian form, with their charges when the
/// tile reads them.
@usableFromInline
struct FastObjects {
    @usableFromInline let px, py, pz, e: UnsafePointer<Double>
    @usableFromInline let charge: UnsafePointer<Int32>?
    @usableFromInline let count: Int

    @inlinable
    init(px: UnsafePointer<Double>, py: UnsafePointer<Double>, pz: UnsafePointer<Double>, e: UnsafePointer<Double>,
         charge: UnsafePointer<Int32>?, count: Int) {
        (self.px, self.py, self.pz, self.e, self.charge, self.count) = (px, py, pz, e, charge, count)
    }
}
