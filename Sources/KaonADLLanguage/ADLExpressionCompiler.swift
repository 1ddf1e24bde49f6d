import Foundation
import KaonAnalysis
import KaonNano
import KaonPhysics

/// Name resolution, type checking and compilation of expressions into functions of an
/// ``ADLScope``: every name is resolved and every type decided once, here, so a selection
/// evaluates closures that neither look names up nor inspect types.
///
/// Objects (`object` blocks and the NanoAOD collections) are ``KaonAnalysis/Definition``s,
/// computed once per event however many cuts and histograms read them; `define`s are
/// expanded where used.
final class ADLExpressionCompiler {
    let source: ADLSource
    let analysis: Analysis
    /// Objects of `object` blocks, by name (case-sensitive, as CutLang's identifiers).
    var objects: [String: (definition: Definition<[ADLParticle]>, collections: Set<Int>)] = [:]
    /// The NanoAOD collections used so far, by position in ``NanoCollection/all``.
    var collectionDefinitions: [Int: Definition<[ADLParticle]>] = [:]
    /// `define`s by name.
    var defines: [String: ADLExpression] = [:]
    /// Tables by name.
    var tables: [String: ADLTable] = [:]
    /// Negative-index bookkeeping: the ordinal of each `X[-n]` node among the nodes of the same
    /// label in its statement (by the node's offset), and each label's group size.
    var labelOrdinals: [Int: Int] = [:]
    var labelSizes: [Int: Int] = [:]

    // The scope being compiled.
    /// Names standing for the candidate of the `object` block being compiled, and its collections.
    var candidateNames: Set<String> = []
    var candidateCollections: Set<Int> = []
    /// Collections a `sort` reordered in the region being compiled (by name).
    var sorted: [String: (ADLFunction<[ADLParticle]>, Set<Int>)] = [:]
    /// The region's latest optimisation: the negative-index assignment it chose.
    var optimisation: Definition<[[Int]]?>?
    /// Labels used while compiling an optimised expression: label → (collection name, list).
    var labelUses: [Int: (name: String, list: ADLFunction<[ADLParticle]>)] = [:]
    /// Every collection name each label was used with while compiling an optimised expression.
    var labelNames: [Int: Set<String>] = [:]
    /// `define`s being expanded (a definition using itself is an error, not a hang).
    var expanding: [String] = []
    /// True while compiling the operand of `constituents`: only then do sums keep their
    /// parts (an allocation per sum the optimisations' inner loops do without).
    var keepingConstituents = false

    init(source: ADLSource, analysis: Analysis) {
        self.source = source
        self.analysis = analysis
    }

    func error(_ message: String, _ e: ADLExpression) -> ADLError { ADLError(message, at: e.location, in: source) }
    func text(_ e: ADLExpression) -> String { source.text(from: e.location.offset, to: e.end) }

    // MARK: Negative indices

    /// Numbers the negative-index objects of a sum: in `goodjet[-1] + goodjet[-1]` (or written
    /// side by side) the k-th `X[-n]` is member k of label n's group — two distinct jets, in
    /// either order. Anywhere else `X[-n]` is the group's first member, so an object may be
    /// named twice (`pT(lep[-2]) * cos(phi(lep[-2]))`). A label's group size is its largest sum.
    func numberLabels(in root: ADLExpression) {
        func label(of e: ADLExpression) -> Int? {
            guard case .index(_, let index) = e.kind, case .number(let v) = index.kind, v < 0, v >= -1_000, v == v.rounded() else { return nil }
            return Int(-v)
        }
        func visit(_ e: ADLExpression) {
            var terms: [ADLExpression] = []
            switch e.kind {
            case .juxtaposition(let parts): terms = parts
            case .binary(.add, _, _): terms = ADLProgramBuilder.addends(e)
            default: break
            }
            if terms.contains(where: { label(of: $0) != nil }) {
                var counts: [Int: Int] = [:]
                for term in terms {
                    if let n = label(of: term) {
                        let ordinal = counts[n, default: 0]
                        counts[n] = ordinal + 1
                        labelOrdinals[term.location.offset] = ordinal
                        labelSizes[n] = max(labelSizes[n, default: 0], ordinal + 1)
                        if case .index(let base, _) = term.kind { visit(base) }
                    } else {
                        visit(term)
                    }
                }
                return
            }
            switch e.kind {
            case .index(let base, let index):
                visit(base)
                if let n = label(of: e) { labelSizes[n] = max(labelSizes[n, default: 0], 1) } else { visit(index) }
            case .slice(let base, let lower, let upper):
                visit(base); lower.map(visit); upper.map(visit)
            case .attribute(let object, _): visit(object)
            case .call(_, let arguments): arguments.forEach(visit)
            case .constituents(let inner): visit(inner)
            case .juxtaposition(let parts): parts.forEach(visit)
            case .unary(_, let inner): visit(inner)
            case .binary(_, let a, let b): visit(a); visit(b)
            case .range(let v, let l, let u, _): visit(v); visit(l); visit(u)
            case .optimize(let v, let t, _): visit(v); visit(t)
            case .ternary(let c, let a, let b): visit(c); visit(a); visit(b)
            case .number, .string, .name, .all: break
            }
        }
        visit(root)
    }

    // MARK: Typed entry points

    func number(_ e: ADLExpression) throws(ADLError) -> ADLFunction<Double> {
        let value = try compile(e)
        guard case .number(let f) = value else { throw error("expected a number here, found \(value.typeName)", e) }
        return f
    }

    /// A condition: a comparison, `ALL`, a range; a list of conditions needs `anyof`/`allof`.
    func condition(_ e: ADLExpression) throws(ADLError) -> ADLFunction<Bool> {
        let value = try compile(e)
        switch value {
        case .boolean(let f): return f
        case .booleans(let f, .any): return { s in f(s).map { $0.contains(true) } }
        case .booleans(let f, .all): return { s in f(s).map { !$0.contains(false) } }
        case .booleans:
            throw error("this condition holds a list of values: reduce it with anyof(…)/allof(…), or a reducer (size, sum, min, max)", e)
        default:
            throw error("expected a condition (a comparison, a range or ALL), found \(value.typeName)", e)
        }
    }

    func particles(_ e: ADLExpression) throws(ADLError) -> (ADLFunction<[ADLParticle]>, Set<Int>) {
        let value = try compile(e)
        switch value {
        case .particles(let f, _, let c): return (f, c)
        case .particle(let f, let c): return ({ s in f(s).map { [$0] } }, c)
        default: throw error("expected objects here, found \(value.typeName)", e)
        }
    }

    // MARK: Compilation

    func compile(_ e: ADLExpression) throws(ADLError) -> ADLValue {
        switch e.kind {
        case .number(let v):
            return .number { _ in v }
        case .string(let s):
            return .string(s)
        case .all:
            return .boolean { _ in true }
        case .name(let name):
            return try resolve(name, e)
        case .index(let base, let index):
            return try compileIndex(base, index, e)
        case .slice(let base, let lower, let upper):
            let (list, collections) = try particles(base)
            let lo = try lower.map { (x) throws(ADLError) in try number(x) }
            let hi = try upper.map { (x) throws(ADLError) in try number(x) }
            return .particles({ s in
                guard let all = list(s) else { return nil }
                var l = 0.0, u = Double(all.count - 1)
                if let lo { guard let v = lo(s) else { return nil }; l = v }
                if let hi { guard let v = hi(s) else { return nil }; u = v }
                guard l.isFinite, u.isFinite else { return nil }
                // Clamped before the conversion: a bound beyond Int's range must not trap.
                let from = Int(Swift.min(Swift.max(0, l), Double(all.count)))
                let to = Int(Swift.max(-1, Swift.min(u, Double(all.count - 1))))
                return from <= to ? Array(all[from...to]) : []
            }, .none, collections: collections)
        case .attribute(let object, let name):
            return try attribute(name, of: object, e)
        case .call(let name, let arguments):
            return try call(name, arguments, e)
        case .constituents(let inner):
            let keeping = keepingConstituents
            keepingConstituents = true
            defer { keepingConstituents = keeping }
            let value = try compile(inner)
            switch value {
            case .particle(let f, let c): return .particles({ s in f(s)?.constituents }, .none, collections: c)
            default: throw error("constituents needs one object, found \(value.typeName)", inner)
            }
        case .juxtaposition(let parts):
            return try sum(parts, e)
        case .unary(.negate, let inner):
            let value = try compile(inner)
            guard let negated = ADLLists.map(value, { -$0 }) else { throw error("cannot negate \(value.typeName)", inner) }
            return negated
        case .unary(.not, let inner):
            let value = try compile(inner)
            switch value {
            case .boolean(let f): return .boolean { s in f(s).map { !$0 } }
            case .booleans(let f, let q): return .booleans({ s in f(s)?.map { !$0 } }, q)
            default: throw error("'not' needs a condition, found \(value.typeName)", inner)
            }
        case .binary(let op, let a, let b):
            return try binary(op, a, b, e)
        case .range(let value, let lower, let upper, let inside):
            let v = try compile(value)
            let lo = try number(lower), hi = try number(upper)
            let test: @Sendable (Double, Double, Double) -> Bool = { (x: Double, l: Double, h: Double) -> Bool in
                inside ? (x >= l && x <= h) : (x <= l || x >= h)
            }
            switch v {
            case .number(let f):
                return .boolean { s in guard let x = f(s), let l = lo(s), let h = hi(s) else { return nil }; return test(x, l, h) }
            case .numbers(let f, let q):
                return .booleans({ s in guard let x = f(s), let l = lo(s), let h = hi(s) else { return nil }; return x.map { test($0, l, h) } }, q)
            default:
                throw error("a range needs a number on its left, found \(v.typeName)", value)
            }
        case .optimize:
            throw error("'~=' and '~!' choose objects for a whole region: write them as a region's `select` on their own", e)
        case .ternary(let c, let a, let b):
            let condition = try self.condition(c)
            let then = try compile(a), otherwise = try compile(b)
            switch (then, otherwise) {
            case (.number(let x), .number(let y)):
                return .number { s in condition(s).flatMap { $0 ? x(s) : y(s) } }
            case (.boolean(let x), .boolean(let y)):
                return .boolean { s in condition(s).flatMap { $0 ? x(s) : y(s) } }
            default:
                throw error("both branches of '?' must be numbers or both conditions (found \(then.typeName) and \(otherwise.typeName))", e)
            }
        }
    }

    /// A name: the candidate, a sorted collection, an object, a define, a NanoAOD
    /// collection, `MET`, or `name_N` for `name[N]`.
    func resolve(_ name: String, _ e: ADLExpression) throws(ADLError) -> ADLValue {
        if candidateNames.contains(name) {
            return .particle({ s in s.candidate }, collections: candidateCollections)
        }
        if let (f, c) = sorted[sortKey(name)] { return .particles(f, .none, collections: c) }
        if let object = objects[name] {
            let definition = object.definition
            return .particles({ s in s.event[definition] }, .none, collections: object.collections)
        }
        if let body = defines[name] {
            guard !expanding.contains(name) else { throw error("definition '\(name)' uses itself (\((expanding + [name]).joined(separator: " → ")))", e) }
            expanding.append(name)
            defer { expanding.removeLast() }
            return try compile(body)
        }
        if name.lowercased() == "met" {
            return .number { s in Double(s.event.met.pt) }
        }
        if let index = NanoCollection.index(named: name) {
            let definition = try collectionDefinition(index)
            return .particles({ s in s.event[definition] }, .none, collections: [index])
        }
        // `goodJets_1` is `goodJets[1]` (CutLang's alternative index syntax).
        if let underscore = name.lastIndex(of: "_"), underscore != name.startIndex,
           let position = Int(name[name.index(after: underscore)...]), position >= 0 {
            let base = String(name[..<underscore])
            let baseNode = ADLExpression(.name(base), at: e.location, end: e.end)
            let indexNode = ADLExpression(.number(Double(position)), at: e.location, end: e.end)
            return try compileIndex(baseNode, indexNode, e)
        }
        let known = (Array(objects.keys) + Array(defines.keys)).sorted()
        throw error("unknown name '\(name)': not an object, a definition or a NanoAOD name (\(NanoCollection.all.map { $0.names.joined(separator: "/") }.joined(separator: ", ")), met)\(known.isEmpty ? "" : "; defined here: " + known.joined(separator: ", "))", e)
    }

    /// The key of a collection in ``sorted``: NanoAOD names are case-insensitive (`jet`, `Jet`
    /// and `JET` are one collection), object names are not.
    func sortKey(_ name: String) -> String {
        if objects[name] == nil, let index = NanoCollection.index(named: name) { return "nano:\(index)" }
        return name
    }

    /// The per-event definition reading NanoAOD collection `index`, booked on first use.
    func collectionDefinition(_ index: Int) throws(ADLError) -> Definition<[ADLParticle]> {
        if let existing = collectionDefinitions[index] { return existing }
        let collection = NanoCollection.all[index]
        let read = collection.read
        let definition: Definition<[ADLParticle]>
        do {
            definition = try analysis.define("nano:\(collection.prefix)") { event in read(event, index) }
        } catch {
            throw ADLError("cannot book collection \(collection.prefix): \(error)", at: ADLLocation(line: 1, column: 1, offset: 0), in: source)
        }
        collectionDefinitions[index] = definition
        return definition
    }

    func compileIndex(_ base: ADLExpression, _ index: ADLExpression, _ e: ADLExpression) throws(ADLError) -> ADLValue {
        let (list, collections) = try particles(base)
        if case .number(let v) = index.kind, v < 0 {
            guard v == v.rounded(), v >= -1_000 else { throw error("a negative index is a whole number from -1 to -1000", index) }
            let label = Int(-v), ordinal = labelOrdinals[e.location.offset] ?? 0
            let name: String
            if case .name(let n) = base.kind { name = n } else { throw error("a negative index needs a collection's name before it", base) }
            labelUses[label] = (name, list)
            labelNames[label, default: []].insert(name)
            let chosen = optimisation
            return .particle({ s in
                // Inside an optimisation the label's list is at hand (read once per event).
                if let lists = s.lists, label - 1 < lists.count, let all = lists[label - 1], let binding = s.binding {
                    guard ordinal < binding[label - 1].count else { return nil }
                    let position = binding[label - 1][ordinal]
                    return position < all.count ? all[position] : nil
                }
                let binding = s.binding ?? chosen.flatMap { s.event[$0] }
                guard let binding, label - 1 < binding.count, ordinal < binding[label - 1].count, let all = list(s) else { return nil }
                let position = binding[label - 1][ordinal]
                return position < all.count ? all[position] : nil
            }, collections: collections)
        }
        let position = try number(index)
        return .particle({ s in
            guard let p = position(s), p >= 0, p < 1e9, let all = list(s) else { return nil }
            let i = Int(p)
            return i < all.count ? all[i] : nil
        }, collections: collections)
    }

    /// Objects added together (side by side or with `+`).
    func sum(_ parts: [ADLExpression], _ e: ADLExpression) throws(ADLError) -> ADLValue {
        var compiled: [ADLFunction<ADLParticle>] = []
        var collections: Set<Int> = []
        for part in parts {
            let value = try compile(part)
            guard case .particle(let f, let c) = value else {
                throw error("only single objects can be added (index a collection: X[0]); found \(value.typeName)", part)
            }
            compiled.append(f)
            collections.formUnion(c)
        }
        let functions = compiled
        if keepingConstituents {
            return .particle({ s in
                var members: [ADLParticle] = []
                members.reserveCapacity(functions.count)
                for f in functions {
                    guard let p = f(s) else { return nil }
                    members.append(p)
                }
                return ADLParticle(sum: members)
            }, collections: collections)
        }
        return .particle({ s in
            var total = PxPyPzEVector.zero, charge = 0.0
            for (i, f) in functions.enumerated() {
                guard let p = f(s) else { return nil }
                total = i == 0 ? p.cartesian : total + p.cartesian
                charge += p.charge
            }
            return ADLParticle(cartesian: total, charge: charge)
        }, collections: collections)
    }

    func binary(_ op: ADLBinaryOperator, _ a: ADLExpression, _ b: ADLExpression, _ e: ADLExpression) throws(ADLError) -> ADLValue {
        let left = try compile(a), right = try compile(b)
        if op == .add, case .particle = left, case .particle = right { return try sum([a, b], e) }
        let result: ADLValue?
        switch op {
        case .add: result = ADLLists.combine(left, right) { $0 + $1 }
        case .subtract: result = ADLLists.combine(left, right) { $0 - $1 }
        case .multiply: result = ADLLists.combine(left, right) { $0 * $1 }
        case .divide: result = ADLLists.combine(left, right) { $0 / $1 }
        case .power: result = ADLLists.combine(left, right) { pow($0, $1) }
        case .less: result = ADLLists.compare(left, right) { $0 < $1 }
        case .lessEqual: result = ADLLists.compare(left, right) { $0 <= $1 }
        case .greater: result = ADLLists.compare(left, right) { $0 > $1 }
        case .greaterEqual: result = ADLLists.compare(left, right) { $0 >= $1 }
        case .equal: result = ADLLists.compare(left, right) { $0 == $1 }
        case .notEqual: result = ADLLists.compare(left, right) { $0 != $1 }
        case .and: result = ADLLists.logic(left, right) { $0 && $1 }
        case .or: result = ADLLists.logic(left, right) { $0 || $1 }
        }
        guard let result else { throw error("'\(op.rawValue)' cannot combine \(left.typeName) and \(right.typeName)", e) }
        return result
    }
}
