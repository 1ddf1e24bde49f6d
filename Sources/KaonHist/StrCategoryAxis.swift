/// String categories in insertion order, as boost-histogram's `axis.StrCategory`.
///
/// Same rules as ``IntCategoryAxis``: unknown values go to the overflow bin, or become a
/// new category on a growing axis (which has no overflow bin by default).
///
/// ```swift
/// var sample = StrCategoryAxis(categories: [], growth: true, metadata: .init(name: "dataset"))
/// _ = sample.update("ttbar")   // (index: 0, addedBelow: 0, addedAbove: 1)
/// sample.index("ttbar")        // 0
/// ```
public struct StrCategoryAxis: Axis {
    public private(set) var categories: [String]
    @usableFromInline internal var lookup: [String: Int]
    public let traits: AxisTraits
    public var metadata: AxisMetadata

    /// Creates an axis with the given (unique) categories; `overflow` defaults to `!growth`.
    public init(categories: [String], growth: Bool = false, overflow: Bool? = nil, metadata: AxisMetadata = .init()) {
        self.categories = categories
        self.lookup = Dictionary(categories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        precondition(lookup.count == categories.count, "StrCategoryAxis categories must be unique")
        self.traits = AxisTraits(underflow: false, overflow: overflow ?? !growth, growth: growth)
        self.metadata = metadata
    }

    public var size: Int { categories.count }

    @inlinable
    public func index(_ value: String) -> Int { lookup[value] ?? categories.count }

    public mutating func update(_ value: String) -> (index: Int, addedBelow: Int, addedAbove: Int) {
        if let i = lookup[value] { return (i, 0, 0) }
        guard traits.growth else { return (size, 0, 0) }
        lookup[value] = categories.count
        categories.append(value)
        return (categories.count - 1, 0, 1)
    }

    public var edges: [Double] { (0...size).map(Double.init) }

    public static func == (a: Self, b: Self) -> Bool {
        a.categories == b.categories && a.traits == b.traits && a.metadata == b.metadata
    }

    /// A copy keeping the categories at `bins`.
    public func subset(_ bins: [Int]) -> StrCategoryAxis {
        StrCategoryAxis(categories: bins.map { categories[$0] }, growth: traits.growth, overflow: traits.overflow, metadata: metadata)
    }
}
