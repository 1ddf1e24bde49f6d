import KaonEngine
import KaonIO
import KaonNano
import KaonTree

/// A work item's block as the object view's column source, for one variation of the graph.
///
/// Nominal: the block's columns as read. An object variation: the same, except that its
/// branch's values pass through the variation's transform as the column is handed out, so
/// every selection, definition and result evaluated on this source sees the varied objects.
/// The block reads and caches the raw column once; each variation decodes its own copy.
///
/// The source also holds the definitions' per-event caches, which therefore belong to one
/// block and one variation.
@usableFromInline final class VariationSource: ColumnSource {
    let block: EventBlock
    @usableFromInline let owner: ObjectIdentifier
    private let substitutedBranch: String?
    private let transform: (@Sendable (Float) -> Float)?
    private let slots: ContiguousArray<DefinitionSlot>
    /// The slots again, unretained, for the per-access path (no reference counting).
    @usableFromInline let slotRefs: UnsafeMutablePointer<Unmanaged<DefinitionSlot>>

    init(block: EventBlock, plan: GraphPlan, branch: String? = nil, transform: (@Sendable (Float) -> Float)? = nil) {
        self.block = block
        owner = plan.owner
        substitutedBranch = branch
        self.transform = transform
        slots = ContiguousArray(plan.definitions.map { $0.makeSlot() })
        slotRefs = .allocate(capacity: max(slots.count, 1))
        for (k, slot) in slots.enumerated() { (slotRefs + k).initialize(to: .passUnretained(slot)) }
    }

    @usableFromInline var count: Int { block.count }
    @usableFromInline func hasColumn(_ name: String) -> Bool { block.hasBranch(name) }
    @usableFromInline var sourceDescription: String { block.item.description }

    @usableFromInline func column(_ name: String) throws -> Column {
        let column = try block.column(name)
        guard name == substitutedBranch, let transform else { return column }
        guard case .primitive(.float32, let bytes) = column.values else {
            throw KaonError(.usage, "object variation on \(name) in \(sourceDescription): only float32 branches can be varied")
        }
        var varied = bytes
        varied.withUnsafeMutableBytes { raw in
            let values = raw.bindMemory(to: Float.self)
            for k in values.indices { values[k] = transform(values[k]) }
        }
        var result = column
        result.values = .primitive(.float32, varied)
        return result
    }

    deinit { slotRefs.deallocate() }

    /// The cached value of `definition` for `event`, computing it on first use in the event.
    @inlinable @inline(__always)
    func value<Value>(of definition: Definition<Value>, event: Event) -> Value {
        slotRefs[definition.id]._withUnsafeGuaranteedRef { $0.value(event: event.index) { definition.compute(event) } }
    }
}
