/// A deserialised ROOT object: its class and its members by name.
///
/// Kaon reads objects generically from the class descriptions (streamers) stored in each
/// file, so it follows any class version ROOT has written. Members of base classes are
/// merged into the object; `bases` records which classes it derives from.
public final class ROOTObject: @unchecked Sendable {
    // Mutable only while the reader fills it in; treated as immutable afterwards.
    public let className: String
    public internal(set) var version: Int
    public internal(set) var members: [String: ROOTValue] = [:]
    /// Member names in stream order.
    public internal(set) var memberOrder: [String] = []
    /// The base classes, nearest first.
    public internal(set) var bases: [String] = []

    public init(className: String, version: Int = 0) {
        self.className = className
        self.version = version
    }

    func set(_ name: String, _ value: ROOTValue) {
        if members.updateValue(value, forKey: name) == nil { memberOrder.append(name) }
    }

    /// Whether this object is of class `name` or derives from it.
    public func isA(_ name: String) -> Bool { className == name || bases.contains(name) }

    public subscript(_ name: String) -> ROOTValue? { members[name] }

    /// A member as an integer, or nil.
    public func int(_ name: String) -> Int? { members[name]?.intValue }
    /// A member as a floating-point number, or nil.
    public func double(_ name: String) -> Double? { members[name]?.doubleValue }
    /// A member as a string, or nil.
    public func string(_ name: String) -> String? { members[name]?.stringValue }
    /// A member object, or nil.
    public func object(_ name: String) -> ROOTObject? { members[name]?.objectValue }
    /// A member collection's elements (TList, TObjArray, …), or an empty array.
    public func list(_ name: String) -> [ROOTValue] { members[name]?.listValue ?? [] }
}

/// The value of one member of a `ROOTObject`.
public enum ROOTValue: Sendable {
    case integer(Int64)
    case unsigned(UInt64)
    case real(Double)
    case bool(Bool)
    case string(String)
    case object(ROOTObject)
    case null
    /// Collections and arrays of objects or strings.
    case list([ROOTValue])
    /// Arrays of integers (any width).
    case integers([Int64])
    /// Arrays of floating-point numbers.
    case reals([Double])

    public var intValue: Int? {
        switch self {
        case .integer(let v): Int(v)
        case .unsigned(let v): Int(exactly: v)
        case .bool(let v): v ? 1 : 0
        case .real(let v): Int(exactly: v)
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .unsigned(let v): Double(v)
        case .real(let v): v
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        if case .object(let o) = self { return o.string("fString") }
        return nil
    }

    public var objectValue: ROOTObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var listValue: [ROOTValue]? {
        switch self {
        case .list(let l): l
        case .object(let o): o.members["items"]?.listValue
        default: nil
        }
    }

    public var integersValue: [Int64]? {
        switch self {
        case .integers(let v): v
        case .reals(let v): v.map { Int64($0) }
        case .list(let l): l.compactMap { $0.intValue.map(Int64.init) }
        default: nil
        }
    }

    public var realsValue: [Double]? {
        switch self {
        case .reals(let v): v
        case .integers(let v): v.map(Double.init)
        case .list(let l): l.compactMap(\.doubleValue)
        default: nil
        }
    }
}
