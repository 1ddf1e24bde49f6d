import KaonNano

/// What a compiled expression reads: the event, the candidate object of an `object` block's
/// selection, and the indices negative-index objects stand for while an optimisation
/// (`~=`, `~!`) tries them.
public struct ADLScope {
    /// The event.
    public let event: Event
    /// The object an `object` block is deciding on (nil elsewhere).
    public var candidate: ADLParticle?
    /// While an optimisation enumerates: per label slot, the chosen positions (nil otherwise:
    /// the region's last optimisation result is read from the event).
    public var binding: [[Int]]?
    /// While an optimisation enumerates: per label slot, the event's objects the label
    /// chooses among (nil for a label whose list is read from the event as usual).
    public var lists: [[ADLParticle]?]?

    /// A scope for `event`.
    public init(event: Event, candidate: ADLParticle? = nil, binding: [[Int]]? = nil, lists: [[ADLParticle]?]? = nil) {
        self.event = event
        self.candidate = candidate
        self.binding = binding
        self.lists = lists
    }
}

/// A compiled function of the scope; nil means undefined (an index past the end, a minimum
/// of nothing): a cut on it fails, a histogram is not filled.
public typealias ADLFunction<T> = @Sendable (ADLScope) -> T?

/// How a list reaches a comparison: as is (an error where one value is needed), or reduced
/// by `anyof` / `allof`.
enum ADLQuantifier: Sendable {
    case none, any, all

    /// The quantifier of an operation on two operands: the one that has one.
    func combined(with other: ADLQuantifier) -> ADLQuantifier { self == .none ? other : self }
}

/// The type of a compiled expression and its function: what name resolution decides for
/// every node, so that evaluation never inspects types.
enum ADLValue {
    case number(ADLFunction<Double>)
    case numbers(ADLFunction<[Double]>, ADLQuantifier)
    case boolean(ADLFunction<Bool>)
    case booleans(ADLFunction<[Bool]>, ADLQuantifier)
    case particle(ADLFunction<ADLParticle>, collections: Set<Int>)
    case particles(ADLFunction<[ADLParticle]>, ADLQuantifier, collections: Set<Int>)
    case string(String)

    /// The type's name, for messages.
    var typeName: String {
        switch self {
        case .number: "a number"
        case .numbers: "a list of numbers"
        case .boolean: "a condition"
        case .booleans: "a list of conditions"
        case .particle: "an object"
        case .particles: "a collection of objects"
        case .string: "a string"
        }
    }
}
