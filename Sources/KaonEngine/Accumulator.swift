/// A partial result that can be combined with another of the same kind.
///
/// The engine gives every work item a fresh accumulator and merges them in work-item order,
/// so `merge` need not be commutative — only associative — for results to be identical
/// whatever the number of threads.
public protocol Accumulator {
    /// Adds `other`, which covers work items after this one, into this accumulator.
    mutating func merge(_ other: Self)
}

/// Counts of entries, the simplest accumulator.
public struct Count: Accumulator, Sendable, Equatable, Codable {
    public var value: Int

    public init(_ value: Int = 0) { self.value = value }

    public mutating func merge(_ other: Count) { value += other.value }
}
