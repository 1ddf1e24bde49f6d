import CKaonPhysics
import KaonNano

/// Every lepton of one chunk (all its muons, or all its electrons) in fast Cartesian form
/// (`CKaonPhysics/fast_cartesian.h`, converted column-wise, 4 per instruction with AVX2; a
/// small negative mass by `kaon_fast_cartesian_space_like`) with its charge: what queries 5
/// and 8 screen their pairs from (see ``LeptonBuffer``).
///
/// Leptons the fast conversion does not accept have a NaN energy, which sends their events
/// to the exact path.
///
/// ```swift
/// let chunk = ChunkLeptons(store: event.muons.store, kernel: TrijetSearch.Screening.best.kernel)
/// if let muons = chunk.columns?.event(at: event.muons.positions) { muons.e[0] }   // first muon's energy
/// ```
@usableFromInline
final class ChunkLeptons {
    /// The store these are from: kept alive, so that its buffers stay valid and no other
    /// store takes its identity while these are cached.
    let store: CollectionStore
    /// px, py, pz, E of every lepton (padded).
    let storage: UnsafeMutablePointer<Double>
    /// The columns, nil when a field did not decode (the exact path's property reads then
    /// report the failure).
    @usableFromInline let columns: FastLeptons?

    @usableFromInline
    init(store: CollectionStore, kernel: Int32) {
        self.store = store
        let n = store.total, stride = n + 8
        // Not zeroed: the kernels write every energy, and the components of every lepton
        // whose energy is finite (no other component is read).
        storage = .allocate(capacity: 4 * stride)
        let px = storage, py = storage + stride, pz = storage + 2 * stride, e = storage + 3 * stride
        guard let pt = (try? store.buffer("pt", as: Float.self))?.baseAddress,
              let eta = (try? store.buffer("eta", as: Float.self))?.baseAddress,
              let phi = (try? store.buffer("phi", as: Float.self))?.baseAddress,
              let mass = (try? store.buffer("mass", as: Float.self))?.baseAddress,
              let charge = (try? store.buffer("charge", as: Int32.self))?.baseAddress
        else {
            columns = nil
            return
        }
        kaon_fast_cartesian_column(kernel, pt, eta, phi, mass, n, px, py, pz, e)
        kaon_fast_cartesian_space_like(pt, eta, phi, mass, n, px, py, pz, e)
        columns = FastLeptons(px: px, py: py, pz: pz, e: e, charge: charge, count: n)
    }

    deinit { storage.deallocate() }
}

/// Leptons of one flavour in fast Cartesian form, with their charges: a chunk's columns, or
/// one event's part of them.
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

    /// The leptons at `positions` of a chunk's columns.
    @inlinable @inline(__always)
    func event(at positions: Range<Int>) -> FastLeptons {
        let r = positions.lowerBound
        return FastLeptons(px: px + r, py: py + r, pz: pz + r, e: e + r, charge: charge + r, count: positions.count)
    }
}
