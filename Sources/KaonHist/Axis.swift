/// Descriptive, non-binning information attached to an axis.
///
/// Two axes with different metadata still bin identically; metadata is carried through
/// operations and written to UHI JSON under the axis' `metadata` object.
///
/// ```swift
/// let pt = RegularAxis(bins: 50, lower: 0, upper: 200, metadata: .init(name: "pt", label: "p_T [GeV]"))
/// ```
public struct AxisMetadata: Sendable, Hashable {
    /// A short identifier (used to address the axis by name, like hist's `name`).
    public var name: String
    /// A human-readable label for plots (hist's `label`); empty means "use the name".
    public var label: String

    public init(name: String = "", label: String = "") {
        self.name = name
        self.label = label
    }

    /// The label to show on plots: the label, else the name.
    public var displayLabel: String { label.isEmpty ? name : label }
}

/// Which extra bins and behaviours an axis has, as boost-histogram's `axis.traits`.
public struct AxisTraits: Sendable, Hashable {
    /// A bin below the first one, at index -1.
    public var underflow: Bool
    /// A bin above the last one, at index `size` (for categories: "any other value").
    public var overflow: Bool
    /// Whether filling a value outside the axis extends it instead of using a flow bin.
    public var growth: Bool

    public init(underflow: Bool, overflow: Bool, growth: Bool) {
        self.underflow = underflow
        self.overflow = overflow
        self.growth = growth
    }
}

/// A binning of one coordinate: maps a value to a bin index.
///
/// Indices follow boost-histogram: `0..<size` are the regular bins, `-1` is the underflow
/// bin and `size` the overflow bin. An index for which the axis has no bin (for example
/// `-1` on an axis without underflow) means the value is dropped when filling.
///
/// ```swift
/// let axis = RegularAxis(bins: 4, lower: 0, upper: 1)
/// axis.index(0.3)   // 1
/// axis.index(-2)    // -1 (underflow)
/// axis.index(1.0)   // 4  (the upper edge belongs to the overflow bin)
/// ```
public protocol Axis: Sendable, Equatable {
    /// The type of value this axis bins.
    associatedtype Value
    /// Number of bins, without flow bins.
    var size: Int { get }
    /// Flow bins and growth.
    var traits: AxisTraits { get }
    /// Name and label.
    var metadata: AxisMetadata { get set }
    /// The bin index of `value` in boost-histogram's convention (-1 underflow, `size` overflow).
    func index(_ value: Value) -> Int
    /// Like `index`, but a growing axis first extends itself to cover `value`.
    ///
    /// Returns the index and how many bins were added below and above, so that the
    /// histogram can move its storage along.
    mutating func update(_ value: Value) -> (index: Int, addedBelow: Int, addedAbove: Int)
    /// The `size + 1` bin edges; categorical axes use `0, 1, …, size` as boost-histogram does.
    var edges: [Double] { get }
    /// This axis as a case of ``AnyAxis``.
    var erased: AnyAxis { get }
}

extension Axis {
    /// Number of bins including the flow bins the axis has.
    ///
    /// ```swift
    /// RegularAxis(bins: 10, lower: 0, upper: 1).extent // 12
    /// ```
    @inlinable public var extent: Int { size + (traits.underflow ? 1 : 0) + (traits.overflow ? 1 : 0) }

    /// Offset of index -1 in storage order: 1 when there is an underflow bin.
    @inlinable public var flowShift: Int { traits.underflow ? 1 : 0 }

    /// The bin centres (categories: `0.5, 1.5, …`).
    public var centers: [Double] {
        let e = edges
        return (0..<size).map { (e[$0] + e[$0 + 1]) / 2 }
    }

    /// The bin widths (categories: 1).
    public var widths: [Double] {
        let e = edges
        return (0..<size).map { e[$0 + 1] - e[$0] }
    }
}

/// An axis whose values are real numbers, so a `Double` column can be binned directly.
///
/// The 1–3-dimensional fill loops are generic over this protocol so that each concrete
/// axis type gets its own specialised, inlined loop.
public protocol RealAxis: Axis where Value == Double {}
