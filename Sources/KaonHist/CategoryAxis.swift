/// Categories in insertion order, as boost-histogram's `axis.IntCategory` and
/// `axis.StrCategory` (``IntCategoryAxis``, ``StrCategoryAxis``).
///
/// A value that is not a category goes to the overflow ("other") bin when the axis has
/// one; a growing axis instead appends it as a new category. Like boost-histogram, a
/// growing axis has no overflow bin by default and a fixed one has.
///
/// ```swift
/// var pdg = IntCategoryAxis(categories: [11, 13])
/// pdg.index(13)   // 1
/// pdg.index(22)   // 2 (overflow)
///
/// var sample = StrCategoryAxis(categories: [], growth: true, metadata: .init(name: "dataset"))
/// _ = sample.update("ttbar")   // (index: 0, addedBelow: 0, addedAbove: 1)
/// sample.index("ttbar")        // 0
/// ```
public struct CategoryAxis<Category: CategoryValue>: Axis {
    public private(set) var categories: [Category]
    /// Category → bin, so that lookup does not scan the list.
    @usableFromInline internal var lookup: [Category: Int]
    public let traits: AxisTraits
    public var metadata: AxisMetadata

    /// Creates an axis with the given categories (unique).
    ///
    /// - Parameters:
    ///   - categories: the bins' values, in bin order.
    ///   - growth: add a bin for each new value filled.
    ///   - overflow: an extra bin for values not listed; defaults to `!growth`, as in
    ///     boost-histogram.
    ///   - metadata: the axis's name and label.
    public init(categories: [Category], growth: Bool = false, overflow: Bool? = nil, metadata: AxisMetadata = .init()) {
        self.categories = categories
        self.lookup = Dictionary(categories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        precondition(lookup.count == categories.count, "\(Category.axisTypeName) categories must be unique")
        self.traits = AxisTraits(underflow: false, overflow: overflow ?? !growth, growth: growth)
        self.metadata = metadata
    }

    public var size: Int { categories.count }

    @inlinable
    public func index(_ value: Category) -> Int { lookup[value] ?? categories.count }

    public mutating func update(_ value: Category) -> (index: Int, addedBelow: Int, addedAbove: Int) {
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
    public func subset(_ bins: [Int]) -> Self {
        Self(categories: bins.map { categories[$0] }, growth: traits.growth, overflow: traits.overflow, metadata: metadata)
    }

    public var erased: AnyAxis { Category.erase(self) }
}

/// Integer categories in insertion order, as boost-histogram's `axis.IntCategory`.
public typealias IntCategoryAxis = CategoryAxis<Int>

/// String categories in insertion order, as boost-histogram's `axis.StrCategory`.
public typealias StrCategoryAxis = CategoryAxis<String>

/// A type whose values can be the categories of a ``CategoryAxis``: `Int` and `String`,
/// the two kinds UHI and boost-histogram have.
public protocol CategoryValue: Hashable, Sendable {
    /// The axis as a case of ``AnyAxis`` (`.intCategory`, `.strCategory`).
    static func erase(_ axis: CategoryAxis<Self>) -> AnyAxis
    /// The axis type's name in messages (`IntCategoryAxis`).
    static var axisTypeName: String { get }
}

extension Int: CategoryValue {
    public static func erase(_ axis: IntCategoryAxis) -> AnyAxis { .intCategory(axis) }
    public static var axisTypeName: String { "IntCategoryAxis" }
}

extension String: CategoryValue {
    public static func erase(_ axis: StrCategoryAxis) -> AnyAxis { .strCategory(axis) }
    public static var axisTypeName: String { "StrCategoryAxis" }
}
