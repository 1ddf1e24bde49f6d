import Foundation
import KaonNano
import KaonPhysics

extension ADLExpressionCompiler {
    /// Attributes every object has, computed from its four-momentum and charge.
    static let kinematicAttributes: [String: @Sendable (ADLParticle) -> Double] = [
        "pt": { $0.pt }, "eta": { $0.eta }, "phi": { $0.phi }, "m": { $0.mass }, "mass": { $0.mass },
        "e": { $0.energy }, "energy": { $0.energy },
        "px": { $0.cartesian.px }, "py": { $0.cartesian.py }, "pz": { $0.cartesian.pz }, "p": { $0.cartesian.p },
        "q": { $0.charge }, "charge": { $0.charge }, "abseta": { abs($0.eta) },
        "rap": { $0.cartesian.rapidity }, "theta": { 2 * atan(exp(-$0.eta)) },
        // NanoAOD's convention for charged leptons: negative charge ↔ positive pdgId.
        "pdgid": { p in p.collection >= 0 ? -p.charge * Double(NanoCollection.all[p.collection].flavour) : 0 },
    ]

    /// `name(object)` / `{object}name`: a kinematic attribute or a field of the NanoAOD view.
    func attribute(_ name: String, of object: ADLExpression, _ e: ADLExpression) throws(ADLError) -> ADLValue {
        let value = try compile(object)
        let read: @Sendable (ADLParticle) -> Double?
        let collections: Set<Int>
        switch value {
        case .particle(_, let c), .particles(_, _, let c): collections = c
        default: throw error("attribute '\(name)' needs an object, found \(value.typeName)", object)
        }
        if let kinematic = Self.kinematicAttributes[name.lowercased()] {
            read = { kinematic($0) }
        } else {
            guard !collections.isEmpty else {
                throw error("'\(name)' is not an attribute of a sum of objects (it has pt, eta, phi, m, E, px, py, pz, q)", e)
            }
            var slots = [Int](repeating: -1, count: NanoCollection.all.count)
            for c in collections.sorted() {
                let collection = NanoCollection.all[c]
                guard let slot = collection.slot(of: name) ?? Self.aliases[name.lowercased()].flatMap(collection.slot(of:)) else {
                    throw error("unknown attribute '\(name)' of \(collection.prefix) (it has the kinematic attributes and \(collection.fields.joined(separator: ", ")))", e)
                }
                slots[c] = slot
            }
            let table = slots
            read = { p in
                guard p.collection >= 0 else { return nil }
                let slot = table[p.collection]
                return slot >= 0 ? p.field(slot) : nil
            }
        }
        switch value {
        case .particle(let f, _): return .number { s in f(s).flatMap(read) }
        case .particles(let f, let q, _):
            return .numbers({ s in
                guard let all = f(s) else { return nil }
                var values: [Double] = []
                values.reserveCapacity(all.count)
                for p in all { guard let v = read(p) else { return nil }; values.append(v) }
                return values
            }, q)
        default: throw error("attribute '\(name)' needs an object", object)
        }
    }

    /// CutLang's names for NanoAOD fields of another name.
    static let aliases: [String: String] = ["istight": "tightId", "ismedium": "mediumId", "isloose": "looseId", "d0": "dxy", "btag": "btagDeepB"]

    /// Functions of numbers: name → operation.
    static let mathFunctions: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "sqrt": { $0.squareRoot() }, "cos": { cos($0) }, "sin": { sin($0) }, "tan": { tan($0) },
        "exp": { exp($0) }, "log": { log($0) }, "sinh": { sinh($0) }, "cosh": { cosh($0) }, "tanh": { tanh($0) },
    ]

    /// CutLang's external functions Kaon does not provide (a clear error, not an unknown name).
    static let externalFunctions: Set<String> = ["fmt2", "fmtr", "fmr", "fmegajets", "fhemisphere", "fmtautau", "faplanarity", "fsphericity", "fttrr", "applyhm", "applyptf", "applyef", "scalept", "scalee"]

    func call(_ name: String, _ arguments: [ADLExpression], _ e: ADLExpression) throws(ADLError) -> ADLValue {
        let lower = name.lowercased()
        func one() throws(ADLError) -> ADLExpression {
            guard arguments.count == 1 else { throw error("\(name) takes one argument, got \(arguments.count)", e) }
            return arguments[0]
        }
        if Self.kinematicAttributes[lower] != nil && arguments.count == 1 { return try attribute(name, of: arguments[0], e) }
        if let f = Self.mathFunctions[lower] {
            let argument = try one()
            let value = try compile(argument)
            guard let mapped = ADLLists.map(value, f) else { throw error("\(name) needs a number, found \(value.typeName)", argument) }
            return mapped
        }
        switch lower {
        case "size", "count", "numof":
            let value = try compile(try one())
            switch value {
            case .particles(let f, _, _): return .number { s in f(s).map { Double($0.count) } }
            case .numbers(let f, _): return .number { s in f(s).map { Double($0.count) } }
            default: throw error("\(name) counts a collection, found \(value.typeName)", arguments[0])
            }
        case "min", "max":
            let isMin = lower == "min"
            if arguments.count == 1 {
                let value = try compile(arguments[0])
                guard case .numbers(let f, _) = value else { throw error("\(name) of one argument reduces a list of numbers, found \(value.typeName)", arguments[0]) }
                return .number { s in f(s).flatMap { isMin ? $0.min() : $0.max() } }
            }
            guard arguments.count >= 2 else { throw error("\(name) needs one list or several numbers", e) }
            var result = try compile(arguments[0])
            for argument in arguments.dropFirst() {
                let next = try compile(argument)
                let pick: @Sendable (Double, Double) -> Double = { (a: Double, b: Double) -> Double in isMin ? Swift.min(a, b) : Swift.max(a, b) }
                guard let combined = ADLLists.combine(result, next, pick) else {
                    throw error("\(name) compares numbers, found \(next.typeName)", argument)
                }
                result = combined
            }
            return result
        case "sum", "add", "ave":
            let value = try compile(try one())
            switch value {
            case .numbers(let f, _) where lower == "ave": return .number { s in f(s).flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) } }
            case .numbers(let f, _): return .number { s in f(s).map { $0.reduce(0, +) } }
            case .particles(let f, _, _) where lower != "ave": return .particle({ s in f(s).map { ADLParticle(sum: $0) } }, collections: [])
            default: throw error("\(name) reduces a list, found \(value.typeName)", arguments[0])
            }
        case "any", "all", "anyof", "allof":
            let quantifier: ADLQuantifier = lower.hasPrefix("any") ? .any : .all
            let value = try compile(try one())
            switch value {
            case .particles(let f, _, let c): return .particles(f, quantifier, collections: c)
            case .particle(let f, let c): return .particles({ s in f(s).map { [$0] } }, quantifier, collections: c)
            case .numbers(let f, _): return .numbers(f, quantifier)
            case .booleans(let f, _):
                return .boolean { s in f(s).map { quantifier == .any ? $0.contains(true) : !$0.contains(false) } }
            case .boolean: return value
            default: throw error("\(name) needs a collection or a list, found \(value.typeName)", arguments[0])
            }
        case "dr", "dphi", "deta":
            guard arguments.count == 2 else { throw error("\(name) takes two objects, got \(arguments.count)", e) }
            let measure: @Sendable (ADLParticle, ADLParticle) -> Double
            switch lower {
            case "dr": measure = { deltaR(eta1: $0.eta, phi1: $0.phi, eta2: $1.eta, phi2: $1.phi) }
            case "dphi": measure = { abs(deltaPhi($0.phi, $1.phi)) }
            default: measure = { abs($0.eta - $1.eta) }
            }
            return try pairwise(measure, arguments[0], arguments[1], name)
        case "fht":
            let (f, _) = try particles(try one())
            return .number { s in f(s).map { $0.reduce(0) { $0 + $1.pt } } }
        default:
            break
        }
        if let table = tables[name] { return try lookup(table, arguments, e) }
        if Self.externalFunctions.contains(lower) {
            throw error("\(name) is one of CutLang's external functions, which Kaon does not provide", e)
        }
        // Any other `name(object)` reads a field of the object's NanoAOD view (`BTag(jets)`).
        if arguments.count == 1 {
            switch try compile(arguments[0]) {
            case .particle, .particles: return try attribute(name, of: arguments[0], e)
            default: break
            }
        }
        throw error("unknown function '\(name)'", e)
    }

    /// A measure of two objects, over lists where either side is one (anyof/allof kept).
    func pairwise(_ measure: @escaping @Sendable (ADLParticle, ADLParticle) -> Double, _ a: ADLExpression, _ b: ADLExpression,
                  _ name: String) throws(ADLError) -> ADLValue {
        let left = try compile(a), right = try compile(b)
        switch (left, right) {
        case (.particle(let x, _), .particle(let y, _)):
            return .number { s in guard let u = x(s), let v = y(s) else { return nil }; return measure(u, v) }
        case (.particles(let x, let q, _), .particle(let y, _)):
            return .numbers({ s in guard let u = x(s), let v = y(s) else { return nil }; return u.map { measure($0, v) } }, q)
        case (.particle(let x, _), .particles(let y, let q, _)):
            return .numbers({ s in guard let u = x(s), let v = y(s) else { return nil }; return v.map { measure(u, $0) } }, q)
        default:
            throw error("\(name) takes two objects, or an object and a collection (found \(left.typeName) and \(right.typeName))", a)
        }
    }

    /// `table(x, y, …)`: the value of the row whose bounds hold every input (undefined outside all rows).
    func lookup(_ table: ADLTable, _ arguments: [ADLExpression], _ e: ADLExpression) throws(ADLError) -> ADLValue {
        guard arguments.count == table.variables else {
            throw error("table '\(table.name.text)' has \(table.variables) variable(s), called with \(arguments.count)", e)
        }
        var compiled: [ADLFunction<Double>] = []
        for argument in arguments { compiled.append(try number(argument)) }
        let inputs = compiled
        let first = table.hasErrors ? 3 : 1
        let rows = table.rows
        return .number { s in
            var x: [Double] = []
            for input in inputs { guard let v = input(s) else { return nil }; x.append(v) }
            for row in rows where x.indices.allSatisfy({ row[first + 2 * $0] <= x[$0] && x[$0] < row[first + 2 * $0 + 1] }) {
                return row[0]
            }
            return nil
        }
    }
}
