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
    let id: Int
    let owner: ObjectIdentifier
    let compute: @Sendable (Event) -> Value
}

/// The cache of one definition for one block and variation: the last event's value.
class AnyDefinitionSlot {
    /// The event (position in the block) whose value `value` holds; -1 for none.
    final var index = -1
}

final class DefinitionSlot<Value>: AnyDefinitionSlot {
    var value: Value?
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
    public subscript<Value>(_ definition: Definition<Value>) -> Value {
        if let source = chunk.source as? VariationSource, source.owner == definition.owner {
            return source.value(of: definition, event: self)
        }
        return definition.compute(self)
    }
}
