/// Bins with arbitrary increasing edges, as boost-histogram's `axis.Variable`.
///
/// A value equal to an edge belongs to the bin above it; below the first edge is
/// underflow, at or above the last edge (and NaN) overflow. Without an overflow bin the
/// last edge is inclusive, like boost-histogram.
///
/// ```swift
/// let axis = VariableAxis(edges: [0, 1, 3, 10])
/// axis.index(1)    // 1
/// axis.index(10)   // 3 (overflow)
/// ```
public struct VariableAxis: RealAxis {
    public private(set) var edges: [Double]
    public let traits: AxisTraits
    public var metadata: AxisMetadata

    /// Creates bins between consecutive `edges`, which must be strictly increasing.
    ///
    /// ```swift
    /// let mass = VariableAxis(edges: [60, 80, 90, 100, 120], metadata: .init(name: "m", label: "m [GeV]"))
    /// ```
    public init(edges: [Double], underflow: Bool = true, overflow: Bool = true, growth: Bool = false,
                metadata: AxisMetadata = .init()) {
        precondition(edges.count >= 2, "VariableAxis needs at least two edges")
        precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "VariableAxis edges must increase strictly")
        self.edges = edges
        self.traits = AxisTraits(underflow: underflow, overflow: overflow, growth: growth)
        self.metadata = metadata
    }

    public var size: Int { edges.count - 1 }

    @inlinable
    public func index(_ x: Double) -> Int {
        // upper_bound: the first edge strictly greater than x; NaN compares false everywhere
        // and so runs to the end, which is the overflow bin.
        edges.withUnsafeBufferPointer { e in
            let n = e.count
            if !traits.overflow && x == e[n - 1] { return n - 2 }
            var lo = 0, count = n
            while count > 0 {
                let half = count >> 1
                if !(x < e[lo + half]) { lo += half + 1; count -= half + 1 } else { count = half }
            }
            return lo - 1
        }
    }

    /// A growing variable axis adds one bin reaching to a finite out-of-range value,
    /// with the width of the current outermost bin at least (boost-histogram's rule).
    public mutating func update(_ x: Double) -> (index: Int, addedBelow: Int, addedAbove: Int) {
        let i = index(x)
        guard traits.growth, x.isFinite else { return (i, 0, 0) }
        if i < 0 {
            let d = edges[1] - edges[0]
            edges.insert(Swift.min(edges[0] - d, x), at: 0)
            return (0, 1, 0)
        }
        if i >= size {
            let d = edges[size] - edges[size - 1]
            edges.append(Swift.max(edges[size] + d, x))
            return (size - 1, 0, 1)  // the value sits in the new last bin even when it is its upper edge
        }
        return (i, 0, 0)
    }

    /// A copy keeping bins `begin..<end` merged by `merge`.
    public func reduced(begin: Int, end: Int, merge: Int) -> VariableAxis {
        VariableAxis(edges: stride(from: begin, through: end, by: merge).map { edges[$0] },
                     underflow: traits.underflow, overflow: traits.overflow, growth: traits.growth, metadata: metadata)
    }
}
