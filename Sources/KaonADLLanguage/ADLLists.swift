/// The element-wise lifting rules of ADL values: an operation on a number and a list
/// applies to every element; on two lists, pairwise (undefined unless the lengths agree).
enum ADLLists {
    /// `op` over two numeric values of any shape (number or list).
    static func combine(_ a: ADLValue, _ b: ADLValue, _ op: @escaping @Sendable (Double, Double) -> Double) -> ADLValue? {
        guard let x = Shaped(numeric: a), let y = Shaped(numeric: b) else { return nil }
        switch lift(x, y, op) {
        case .one(let f): return .number(f)
        case .many(let f, let q): return .numbers(f, q)
        }
    }

    /// A comparison `op` over two numeric values of any shape.
    static func compare(_ a: ADLValue, _ b: ADLValue, _ op: @escaping @Sendable (Double, Double) -> Bool) -> ADLValue? {
        guard let x = Shaped(numeric: a), let y = Shaped(numeric: b) else { return nil }
        return condition(lift(x, y, op))
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
        guard let x = Shaped(logical: a), let y = Shaped(logical: b) else { return nil }
        return condition(lift(x, y, op))
    }

    /// A shaped condition as an ADL value.
    private static func condition(_ shaped: Shaped<Bool>) -> ADLValue {
        switch shaped {
        case .one(let f): .boolean(f)
        case .many(let f, let q): .booleans(f, q)
        }
    }

    /// A value with elements of type `T`: one per event, or a list per event.
    private enum Shaped<T> {
        case one(ADLFunction<T>)
        case many(ADLFunction<[T]>, ADLQuantifier)

        init?(numeric value: ADLValue) where T == Double {
            switch value {
            case .number(let f): self = .one(f)
            case .numbers(let f, let q): self = .many(f, q)
            default: return nil
            }
        }

        init?(logical value: ADLValue) where T == Bool {
            switch value {
            case .boolean(let f): self = .one(f)
            case .booleans(let f, let q): self = .many(f, q)
            default: return nil
            }
        }
    }

    /// `op` lifted to shaped values: against a single value it applies to every element of a
    /// list; between two lists it applies pairwise (undefined unless their lengths agree).
    private static func lift<T, R>(_ a: Shaped<T>, _ b: Shaped<T>, _ op: @escaping @Sendable (T, T) -> R) -> Shaped<R> {
        switch (a, b) {
        case (.one(let x), .one(let y)):
            return .one { s in guard let u = x(s), let v = y(s) else { return nil }; return op(u, v) }
        case (.many(let x, let q), .one(let y)):
            return .many({ s in guard let u = x(s), let v = y(s) else { return nil }; return u.map { op($0, v) } }, q)
        case (.one(let x), .many(let y, let q)):
            return .many({ s in guard let u = x(s), let v = y(s) else { return nil }; return v.map { op(u, $0) } }, q)
        case (.many(let x, let q), .many(let y, let r)):
            return .many({ s in
                guard let u = x(s), let v = y(s), u.count == v.count else { return nil }
                return zip(u, v).map { op($0, $1) }
            }, q.combined(with: r))
        }
    }
}
