/// The element-wise lifting rules of ADL values: an operation on a number and a list
/// applies to every element; on two lists, pairwise (undefined unless the lengths agree).
enum ADLLists {
    /// `op` over two numeric values of any shape (number or list).
    static func combine(_ a: ADLValue, _ b: ADLValue, _ op: @escaping @Sendable (Double, Double) -> Double) -> ADLValue? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number { s in guard let u = x(s), let v = y(s) else { return nil }; return op(u, v) }
        case (.numbers(let x, let q), .number(let y)):
            return .numbers({ s in guard let u = x(s), let v = y(s) else { return nil }; return u.map { op($0, v) } }, q)
        case (.number(let x), .numbers(let y, let q)):
            return .numbers({ s in guard let u = x(s), let v = y(s) else { return nil }; return v.map { op(u, $0) } }, q)
        case (.numbers(let x, let q), .numbers(let y, let r)):
            return .numbers({ s in
                guard let u = x(s), let v = y(s), u.count == v.count else { return nil }
                return zip(u, v).map { op($0, $1) }
            }, q.combined(with: r))
        default:
            return nil
        }
    }

    /// A comparison `op` over two numeric values of any shape.
    static func compare(_ a: ADLValue, _ b: ADLValue, _ op: @escaping @Sendable (Double, Double) -> Bool) -> ADLValue? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .boolean { s in guard let u = x(s), let v = y(s) else { return nil }; return op(u, v) }
        case (.numbers(let x, let q), .number(let y)):
            return .booleans({ s in guard let u = x(s), let v = y(s) else { return nil }; return u.map { op($0, v) } }, q)
        case (.number(let x), .numbers(let y, let q)):
            return .booleans({ s in guard let u = x(s), let v = y(s) else { return nil }; return v.map { op(u, $0) } }, q)
        case (.numbers(let x, let q), .numbers(let y, let r)):
            return .booleans({ s in
                guard let u = x(s), let v = y(s), u.count == v.count else { return nil }
                return zip(u, v).map { op($0, $1) }
            }, q.combined(with: r))
        default:
            return nil
        }
    }

    /// `op` over one numeric value of any shape.
    static func map(_ a: ADLValue, _ op: @escaping @Sendable (Double) -> Double) -> ADLValue? {
        switch a {
        case .number(let x): return .number { s in x(s).map(op) }
        case .numbers(let x, let q): return .numbers({ s in x(s)?.map(op) }, q)
        default: return nil
        }
    }

    /// `op` over two conditions of any shape (and, or).
    static func logic(_ a: ADLValue, _ b: ADLValue, _ op: @escaping @Sendable (Bool, Bool) -> Bool) -> ADLValue? {
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)):
            return .boolean { s in guard let u = x(s), let v = y(s) else { return nil }; return op(u, v) }
        case (.booleans(let x, let q), .boolean(let y)):
            return .booleans({ s in guard let u = x(s), let v = y(s) else { return nil }; return u.map { op($0, v) } }, q)
        case (.boolean(let x), .booleans(let y, let q)):
            return .booleans({ s in guard let u = x(s), let v = y(s) else { return nil }; return v.map { op(u, $0) } }, q)
        case (.booleans(let x, let q), .booleans(let y, let r)):
            return .booleans({ s in
                guard let u = x(s), let v = y(s), u.count == v.count else { return nil }
                return zip(u, v).map { op($0, $1) }
            }, q.combined(with: r))
        default:
            return nil
        }
    }
}
