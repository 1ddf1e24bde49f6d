/// Two bins, `false` (0) and `true` (1), with no flow bins: boost-histogram's `axis.Boolean`.
///
/// ```swift
/// let passed = BooleanAxis(metadata: .init(name: "trigger"))
/// passed.index(true)   // 1
/// ```
public struct BooleanAxis: Axis {
    public var metadata: AxisMetadata

    public init(metadata: AxisMetadata = .init()) { self.metadata = metadata }

    public var size: Int { 2 }
    public var traits: AxisTraits { AxisTraits(underflow: false, overflow: false, growth: false) }

    @inlinable
    public func index(_ value: Bool) -> Int { value ? 1 : 0 }

    public func update(_ value: Bool) -> (index: Int, addedBelow: Int, addedAbove: Int) { (index(value), 0, 0) }

    public var edges: [Double] { [0, 1, 2] }
}
