/// A growable buffer of ``Query8/Lepton``s reused from event to event: Q8's per-event list
/// of light leptons without an allocation per event.
///
/// ```swift
/// let buffer = LeptonBuffer()
/// let leptons = buffer.fill(muons: event.muons, electrons: event.electrons)
/// if let (i, j) = Query8.zCandidate(leptons) { … }
/// ```
public final class LeptonBuffer {
    @usableFromInline var capacity = 16
    @usableFromInline var storage: UnsafeMutablePointer<Query8.Lepton>

    /// An empty buffer.
    public init() { storage = .allocate(capacity: capacity) }

    deinit { storage.deallocate() }

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
}
