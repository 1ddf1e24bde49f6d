import KaonNano

/// A per-event quantity defined once on an ``Analysis`` and shared by every selection,
/// weight and result that uses it: computed at most once per event (and per variation, since
/// an object variation changes what it is computed from).
///
/// Read it from an event with `event[definition]`.
///
/// ```swift
/// let goodMuons = analysis.define("goodMuons") { (event: Event) -> [Muon] in
///     event.muons.filter { $0.pt > 20 && $0.tightId }
/// }
/// let twoMuons = analysis.all.filter("twoMuons") { $0[goodMuons].count >= 2 }
/// ```
public struct Definition<Value>: Sendable {
    /// The name given at definition (for messages).
    public let name: String
    @usableFromInline let id: Int
    @usableFromInline let owner: ObjectIdentifier
    @usableFromInline let compute: @Sendable (Event) -> Value
}

/// The cache of one definition for one block and variation: the last event's value.
///
/// Not generic: the value lives in raw memory allocated for its type by `define` (the only
/// place that knows it), so reading the cache needs neither a class cast nor the metadata of
/// a generic slot class per access — only the definition's own `Value` type.
@usableFromInline final class DefinitionSlot {
    /// The event (position in the block) whose value `storage` holds; -1 for none (then
    /// `storage` is uninitialized). Behind a pointer, like the value: a stored `var` of a class
    /// would cost a dynamic exclusivity check on every access.
    @usableFromInline let index: UnsafeMutablePointer<Int>
    @usableFromInline let storage: UnsafeMutableRawPointer
    private let destroy: (UnsafeMutableRawPointer) -> Void

    /// A slot for values of type `Value`.
    init<Value>(of _: Value.Type) {
        index = .allocate(capacity: 1)
        index.initialize(to: -1)
        storage = UnsafeMutableRawPointer(UnsafeMutablePointer<Value>.allocate(capacity: 1))
        destroy = { $0.assumingMemoryBound(to: Value.self).deinitialize(count: 1) }
    }

    deinit {
        if index.pointee >= 0 { destroy(storage) }
        storage.deallocate()
        index.deallocate()
    }

    /// The value for event `event`, computed on first use in the event.
    @inlinable @inline(__always)
    func value<Value>(event: Int, compute: () -> Value) -> Value {
        let typed = storage.assumingMemoryBound(to: Value.self)
        if index.pointee == event { return typed.pointee }
        let value = compute()
        if index.pointee >= 0 { typed.pointee = value } else { typed.initialize(to: value) }
        index.pointee = event
        return value
    }
}

extension Event {
    /// The value of `definition` for this event: computed on first use in the event, then
    /// served from the block's cache.
    ///
    /// Outside an analysis run (an event from `Events` or a hand-made `ChunkView`) it is
    /// simply computed.
    ///
    /// ```swift
    /// let m = event[goodMuons]
    /// ```
    @inlinable
    public subscript<Value>(_ definition: Definition<Value>) -> Value {
        // An exact type test and an unchecked cast: cheaper than `as?` on every access.
        let source = chunk.source
        if ObjectIdentifier(type(of: source)) == ObjectIdentifier(VariationSource.self) {
            let variationSource = unsafeDowncast(source, to: VariationSource.self)
            if variationSource.owner == definition.owner { return variationSource.value(of: definition, event: self) }
        }
        return definition.compute(self)
    }
}
