@testable import KaonEngine
import Testing

/// The executor merges each finished partial as soon as every earlier work item is done, in
/// item order, instead of keeping all of them to the end.
@Suite struct RunStateTests {
    /// Records the order partials were merged in (merging is not commutative).
    struct Order: Accumulator, Sendable {
        var items: [Int] = []
        mutating func merge(_ other: Order) { items += other.items }
    }

    @Test func partialsAreMergedInOrderAsSoonAsPossible() {
        let state = RunState<Order>(count: 4, merged: Order())
        state.finish(2, with: Order(items: [2]))
        state.finish(1, with: Order(items: [1]))
        #expect(state.waitingPartials == 2 && state.merged.items.isEmpty)
        state.finish(0, with: Order(items: [0]))
        #expect(state.waitingPartials == 0 && state.merged.items == [0, 1, 2])
        state.finish(3, with: nil)  // a skipped item
        #expect(state.merged.items == [0, 1, 2])
    }
}
