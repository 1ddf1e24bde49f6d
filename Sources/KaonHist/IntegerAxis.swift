/// One bin per integer in `lower..<upper`, as boost-histogram's `axis.Integer`.
///
/// Integers are binned as boost-histogram does. boost-histogram refuses real-valued input on
/// this axis; Kaon accepts it and floors it, so `2.7` lands in the bin of `2` (NaN: overflow).
/// In UHI JSON it is written as a regular axis with `writer_info` naming it an Integer
/// axis, the way boost-histogram writes it.
///
/// ```swift
/// let njet = IntegerAxis(lower: 0, upper: 10, metadata: .init(name: "njet"))
/// njet.index(3)    // 3
/// njet.index(12)   // 10 (overflow)
/// ```
public struct IntegerAxis: RealAxis {
    public private(set) var lower: Int
    public private(set) var size: Int
    public let traits: AxisTraits
    public var metadata: AxisMetadata

    /// Creates bins for the integers `lower..<upper`; a growing axis has no flow bins.
    public init(lower: Int, upper: Int, underflow: Bool = true, overflow: Bool = true, growth: Bool = false,
                metadata: AxisMetadata = .init()) {
        precondition(upper > lower, "IntegerAxis needs upper > lower")
        self.lower = lower
        self.size = upper - lower
        // boost-histogram: a growing integer axis never has flow bins.
        self.traits = AxisTraits(underflow: growth ? false : underflow, overflow: growth ? false : overflow, growth: growth)
        self.metadata = metadata
    }

    public var upper: Int { lower + size }

    @inlinable
    public func index(_ x: Double) -> Int {
        let z = (x - Double(lower)).rounded(.down)
        if z < Double(size) { return z >= 0 ? Int(z) : -1 }
        return size
    }

    /// The bin index of an integer value.
    @inlinable
    public func index(integer v: Int) -> Int {
        let z = v &- lower
        return z < 0 ? -1 : Swift.min(z, size)
    }

    public mutating func update(_ x: Double) -> (index: Int, addedBelow: Int, addedAbove: Int) {
        let i = index(x)
        guard traits.growth, x.isFinite else { return (i, 0, 0) }
        if i < 0 {
            let k = Int((Double(lower) - x.rounded(.down)))
            lower -= k; size += k
            return (0, k, 0)
        }
        if i >= size {
            let k = Int(x.rounded(.down)) - (lower + size) + 1
            size += k
            return (size - 1, 0, k)
        }
        return (i, 0, 0)
    }

    public var edges: [Double] { (0...size).map { Double(lower + $0) } }

    /// A copy keeping bins `begin..<end` (integer axes cannot merge bins).
    public func reduced(begin: Int, end: Int) -> IntegerAxis {
        IntegerAxis(lower: lower + begin, upper: lower + end, underflow: traits.underflow,
                    overflow: traits.overflow, growth: traits.growth, metadata: metadata)
    }
}
