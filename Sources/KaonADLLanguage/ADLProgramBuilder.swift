import KaonAnalysis
import KaonHist
import KaonIO
import KaonNano

/// Lowers an ``ADLFile``'s blocks onto its analysis: objects become definitions, regions
/// chains of selections, histograms booked results (see ``ADLProgram``).
struct ADLProgramBuilder {
    let file: ADLFile
    let compiler: ADLExpressionCompiler
    var regionOrder: [String] = []
    var histogramNames: [String] = []
    var saved: [(name: String, columns: [String], isPrint: Bool)] = []
    var histoLists: [String: [ADLHistogram]] = [:]
    /// Compiled regions: their last selection and their cuts (for a region used mid-way).
    var regions: [String: (final: Selection, cuts: [ADLFunction<Bool>])] = [:]
    /// Names given to selections and results so far (they must be distinct in an analysis).
    var usedNames: Set<String> = []

    init(file: ADLFile, compiler: ADLExpressionCompiler) {
        self.file = file
        self.compiler = compiler
    }

    var analysis: Analysis { compiler.analysis }
    func error(_ message: String, at location: ADLLocation) -> ADLError { ADLError(message, at: location, in: file.source) }

    /// Runs a booking, turning a refusal of the analysis into an error at `location`.
    func book<T>(at location: ADLLocation, _ body: () throws -> T) throws(ADLError) -> T {
        do {
            return try body()
        } catch {
            throw self.error("\(error)", at: location)
        }
    }

    /// `base`, or `base (2)`, `base (3)`… if taken.
    mutating func unique(_ base: String) -> String {
        var name = base, n = 1
        while usedNames.contains(name) {
            n += 1
            name = "\(base) (\(n))"
        }
        usedNames.insert(name)
        return name
    }

    mutating func build() throws(ADLError) {
        // Definitions, tables and histogram lists are known file-wide; objects and regions are
        // compiled in file order (each may use those above it).
        var seen: [String: ADLLocation] = [:]
        func declare(_ name: ADLName, _ what: String) throws(ADLError) {
            if let previous = seen[name.text] {
                throw error("\(what) '\(name.text)' is already defined at line \(previous.line)", at: name.location)
            }
            seen[name.text] = name.location
        }
        for block in file.blocks {
            switch block {
            case .define(let name, let value):
                try declare(name, "definition")
                compiler.defines[name.text] = value
                compiler.numberLabels(in: value)
            case .table(let table):
                try declare(table.name, "table")
                compiler.tables[table.name.text] = table
            case .histoList(let name, let histograms):
                try declare(name, "histoList")
                histoLists[name.text] = histograms
                histograms.flatMap(\.values).forEach(compiler.numberLabels)
            case .object(let object):
                try declare(object.name, "object")
                object.commands.forEach { compiler.numberLabels(in: $0.condition) }
                if case .combinations(let e)? = object.source { compiler.numberLabels(in: e) }
            case .region(let region):
                try declare(region.name, "region")
                for command in region.commands { command.expressions.forEach(compiler.numberLabels) }
            case .info, .countsFormat:
                break
            }
        }
        for block in file.blocks {
            switch block {
            case .object(let object): try compileObject(object)
            case .region(let region): try compileRegion(region)
            default: break
            }
        }
        // A definition no region uses is still checked (`kaon run --check` reports it).
        for case .define(_, let value) in file.blocks { _ = try compiler.compile(value) }
    }

    // MARK: Objects

    mutating func compileObject(_ block: ADLObjectBlock) throws(ADLError) {
        guard let source = block.source else {
            throw error("object '\(block.name.text)' has no source: write `take COLLECTION` or `object \(block.name.text) : COLLECTION`", at: block.name.location)
        }
        let list: ADLFunction<[ADLParticle]>
        var collections: Set<Int> = []
        var candidateNames: Set<String> = [block.name.text]
        switch source {
        case .take(let e):
            (list, collections) = try compiler.particles(e)
            if case .name(let n) = e.kind { candidateNames.insert(n) }
        case .union(let members):
            var lists: [ADLFunction<[ADLParticle]>] = []
            for member in members {
                let (f, c) = try compiler.particles(member)
                lists.append(f)
                collections.formUnion(c)
                if case .name(let n) = member.kind { candidateNames.insert(n) }
            }
            let parts = lists
            // ADL's convention: collections are ordered by decreasing pt (stable on ties).
            list = { s in
                var all: [ADLParticle] = []
                for part in parts { guard let p = part(s) else { return nil }; all.append(contentsOf: p) }
                return all.enumerated().sorted { $0.element.pt > $1.element.pt || ($0.element.pt == $1.element.pt && $0.offset < $1.offset) }.map(\.element)
            }
        case .combinations(let e):
            let members: [ADLExpression]
            switch e.kind {
            case .juxtaposition(let parts): members = parts
            case .binary(.add, _, _): members = Self.addends(e)
            default: members = [e]
            }
            var baseName: String?
            for member in members {
                guard case .index(let base, let index) = member.kind, case .name(let n) = base.kind,
                      case .number(let v) = index.kind, v < 0, baseName == nil || baseName == n else {
                    throw error("comb(…) takes objects of one collection with negative indices side by side, like comb(Muo[-1] Muo[-1])", at: member.location)
                }
                baseName = n
            }
            guard let baseName, members.count >= 2, members.count <= 8 else {
                throw error("comb(…) combines 2 to 8 objects", at: e.location)
            }
            let (f, _) = try compiler.particles(ADLExpression(.name(baseName), at: e.location, end: e.end))
            let k = members.count
            list = { s in
                guard let all = f(s) else { return nil }
                var result: [ADLParticle] = []
                ADLCombinations.forEach(k, of: all.count) { positions in result.append(ADLParticle(sum: positions.map { all[$0] })) }
                return result
            }
        }
        compiler.candidateNames = candidateNames
        compiler.candidateCollections = collections
        defer {
            compiler.candidateNames = []
            compiler.candidateCollections = []
        }
        var cuts: [(ADLFunction<Bool>, Bool)] = []
        for command in block.commands { cuts.append((try compiler.condition(command.condition), command.rejects)) }
        let tests = cuts
        let definition = try book(at: block.name.location) {
            try analysis.define("object:\(block.name.text)") { (event: Event) -> [ADLParticle] in
                guard let all = list(ADLScope(event: event)) else { return [] }
                return all.filter { p in
                    let scope = ADLScope(event: event, candidate: p)
                    for (test, rejects) in tests {
                        let holds = test(scope) == true
                        if holds == rejects { return false }
                    }
                    return true
                }
            }
        }
        compiler.objects[block.name.text] = (definition, collections)
    }

    /// The terms of a chain of `+`.
    static func addends(_ e: ADLExpression) -> [ADLExpression] {
        if case .binary(.add, let a, let b) = e.kind { return addends(a) + addends(b) }
        return [e]
    }

    // MARK: Regions

    mutating func compileRegion(_ block: ADLRegionBlock) throws(ADLError) {
        let region = block.name.text
        regionOrder.append(region)
        compiler.sorted = [:]
        compiler.optimisation = nil
        defer {
            compiler.sorted = [:]
            compiler.optimisation = nil
        }
        var selection = analysis.all
        var cuts: [ADLFunction<Bool>] = []
        var chosenLabels: [Int: String] = [:]
        for command in block.commands {
            switch command {
            case .cut(let cut):
                if case .optimize(let value, let target, let closest) = cut.condition.kind {
                    guard !cut.rejects else { throw error("'reject' cannot optimise: use select", at: cut.condition.location) }
                    let choice = try optimisation(value, target, closest: closest, region: region, chosen: &chosenLabels, at: cut.condition)
                    let name = unique("\(region)/\(compiler.text(cut.condition))")
                    selection = try book(at: cut.condition.location) { try selection.filter(name) { event in event[choice] != nil } }
                    cuts.append { s in s.event[choice] != nil }
                    continue
                }
                let condition = try compiler.condition(cut.condition)
                let rejects = cut.rejects
                let test: ADLFunction<Bool> = { s in
                    let holds = condition(s) == true
                    return rejects ? !holds : holds
                }
                let name = unique("\(region)/\(cut.rejects ? "reject " : "")\(compiler.text(cut.condition))")
                selection = try book(at: cut.condition.location) { try selection.filter(name) { event in test(ADLScope(event: event)) == true } }
                cuts.append(test)
            case .weight(let name, let value):
                let factor = try compiler.number(value)
                let row = unique("\(region)/weight \(name.text)")
                // An undefined weight (a table without a row for the event) weighs the event 0.
                selection = try book(at: name.location) { try selection.weight(row) { event in factor(ADLScope(event: event)) ?? 0 } }
            case .histogram(let histogram):
                try bookHistogram(histogram, region: region, on: selection)
            case .use(let name):
                if let list = histoLists[name.text] {
                    for histogram in list { try bookHistogram(histogram, region: region, on: selection) }
                } else if let previous = regions[name.text] {
                    if cuts.isEmpty && selection.name == analysis.all.name {
                        // A region named first is the starting point: its rows, weights and histograms are shared.
                        selection = previous.final
                        cuts = previous.cuts
                    } else {
                        let all = previous.cuts
                        let test: ADLFunction<Bool> = { s in all.allSatisfy { $0(s) == true } }
                        let row = unique("\(region)/\(name.text)")
                        selection = try book(at: name.location) { try selection.filter(row) { event in test(ADLScope(event: event)) == true } }
                        cuts.append(test)
                    }
                } else {
                    throw error("'\(name.text)' is neither a histoList nor a region defined above", at: name.location)
                }
            case .bin(let label, let bin, let location):
                switch bin {
                case .condition(let e):
                    let condition = try compiler.condition(e)
                    let row = unique("\(region)/bin \(label ?? compiler.text(e))")
                    _ = try book(at: location) { try selection.filter(row) { event in condition(ADLScope(event: event)) == true } }
                case .edges(let e, let edges):
                    let value = try compiler.number(e)
                    let text = compiler.text(e)
                    for (i, lower) in edges.enumerated() {
                        let upper = i + 1 < edges.count ? edges[i + 1] : Double.infinity
                        let row = unique("\(region)/bin \(label.map { $0 + " " } ?? "")\(lower) <= \(text)\(upper.isFinite ? " < \(upper)" : "")")
                        _ = try book(at: location) {
                            try selection.filter(row) { event in value(ADLScope(event: event)).map { $0 >= lower && $0 < upper } ?? false }
                        }
                    }
                }
            case .sort(let key, let ascending):
                try compileSort(key, ascending: ascending)
            case .print(let values, let location):
                try bookSave(name: "print", values: values, region: region, on: selection, at: location, isPrint: true)
            case .save(let name, let format, let values):
                guard format.lowercased() == "csv" else { throw error("save writes csv only, not '\(format)'", at: name.location) }
                try bookSave(name: name.text, values: values, region: region, on: selection, at: name.location, isPrint: false)
            case .counts:
                // External counts document published numbers; nothing is computed from them.
                break
            }
        }
        regions[region] = (selection, cuts)
    }

    /// `sort attribute(collection) ascend|descend`: the collection, reordered, for the region's later commands.
    mutating func compileSort(_ key: ADLExpression, ascending: Bool) throws(ADLError) {
        let target: ADLExpression
        switch key.kind {
        case .call(_, let arguments) where arguments.count == 1: target = arguments[0]
        case .attribute(let object, _): target = object
        default: throw error("sort takes an attribute of a collection, like pt(Jet)", at: key.location)
        }
        guard case .name(let name) = target.kind else { throw error("sort reorders a collection named here, like pt(Jet)", at: target.location) }
        let (list, collections) = try compiler.particles(target)
        compiler.candidateNames = [name]
        compiler.candidateCollections = collections
        let attribute: ADLFunction<Double>
        do {
            defer { compiler.candidateNames = []; compiler.candidateCollections = [] }
            attribute = try compiler.number(key)
        }
        compiler.sorted[compiler.sortKey(name)] = ({ s in
            guard let all = list(s) else { return nil }
            let keys = all.map { attribute(ADLScope(event: s.event, candidate: $0)) ?? .nan }
            let order = all.indices.sorted { a, b in
                if keys[a] == keys[b] { return a < b }
                return ascending ? keys[a] < keys[b] : keys[a] > keys[b]
            }
            return order.map { all[$0] }
        }, collections)
    }

    /// `~=` / `~!`: books the per-event choice of the negative-index objects it mentions.
    mutating func optimisation(_ value: ADLExpression, _ target: ADLExpression, closest: Bool, region: String,
                               chosen: inout [Int: String], at e: ADLExpression) throws(ADLError) -> Definition<[[Int]]?> {
        compiler.labelUses = [:]
        compiler.labelNames = [:]
        let objective = try compiler.number(value)
        let goal = try compiler.number(target)
        let uses = compiler.labelUses
        let free = uses.keys.filter { chosen[$0] == nil }.sorted()
        guard !free.isEmpty else {
            throw error("'\(closest ? "~=" : "~!")' chooses objects written with negative indices (Jet[-1]); none is left to choose here", at: e.location)
        }
        let sizes = free.map { compiler.labelSizes[$0] ?? 1 }
        let lists = free.map { uses[$0]!.list }
        let names = free.map { uses[$0]!.name }
        // A label used with one collection only reads its list from the scope.
        let cacheable = free.map { compiler.labelNames[$0]?.count == 1 }
        let fixed = chosen
        let slots = max(compiler.labelSizes.keys.max() ?? 1, free.max() ?? 1)
        let previous = compiler.optimisation
        let name = unique("\(region)/choice \(compiler.text(e))")
        let definition = try book(at: e.location) {
            try analysis.define(name) { (event: Event) -> [[Int]]? in
                let binding: [[Int]]
                if let previous {
                    guard let earlier = event[previous] else { return nil }
                    binding = earlier + Array(repeating: [], count: max(0, slots - earlier.count))
                } else {
                    binding = Array(repeating: [], count: slots)
                }
                let scope = ADLScope(event: event)
                guard let goalValue = goal(scope) else { return nil }
                var lengths: [Int] = []
                var cached = [[ADLParticle]?](repeating: nil, count: slots)
                for (k, list) in lists.enumerated() {
                    guard let all = list(scope) else { return nil }
                    lengths.append(all.count)
                    if cacheable[k] { cached[free[k] - 1] = all }
                }
                // One scope for the whole enumeration: its binding is updated in place.
                var trial = ADLScope(event: event, binding: binding, lists: cached)
                // Positions already taken, per collection name (labels on one collection are distinct objects).
                var taken: [String: Set<Int>] = [:]
                for (label, collection) in fixed where label - 1 < binding.count { taken[collection, default: []].formUnion(binding[label - 1]) }
                var best: [[Int]]?
                var bestScore = 0.0
                func choose(_ k: Int) {
                    if k == free.count {
                        guard let v = objective(trial) else { return }
                        let score = closest ? abs(v - goalValue) : -abs(v - goalValue)
                        if best == nil || score < bestScore { best = trial.binding; bestScore = score }
                        return
                    }
                    let excluded = taken[names[k]] ?? []
                    let available = excluded.isEmpty ? Array(0..<lengths[k]) : (0..<lengths[k]).filter { !excluded.contains($0) }
                    let slot = free[k] - 1, last = k + 1 == free.count
                    // Written in place: one array per label, no allocation per combination.
                    trial.binding![slot] = Array(repeating: 0, count: sizes[k])
                    ADLCombinations.forEach(sizes[k], of: available.count) { picks in
                        for (j, pick) in picks.enumerated() { trial.binding![slot][j] = available[pick] }
                        // Later labels on the same collection must avoid these positions.
                        if last {
                            choose(k + 1)
                        } else {
                            let positions = trial.binding![slot]
                            taken[names[k], default: []].formUnion(positions)
                            choose(k + 1)
                            taken[names[k]]?.subtract(positions)
                        }
                    }
                    trial.binding![slot] = []
                }
                choose(0)
                return best
            }
        }
        for (label, collection) in zip(free, names) { chosen[label] = collection }
        compiler.optimisation = definition
        return definition
    }

    mutating func bookHistogram(_ histogram: ADLHistogram, region: String, on selection: Selection) throws(ADLError) {
        let name = unique("\(region)/\(histogram.name.text)")
        histogramNames.append(name)
        let axes: [AnyAxis] = histogram.axes.map { axis in
            let metadata = AxisMetadata(name: histogram.name.text, label: histogram.title)
            switch axis {
            case .regular(let bins, let lower, let upper): return RegularAxis(bins: bins, lower: lower, upper: upper, metadata: metadata).erased
            case .variable(let edges): return VariableAxis(edges: edges, metadata: metadata).erased
            }
        }
        let location = histogram.name.location
        if histogram.values.count == 1 {
            let value = try compiler.compile(histogram.values[0])
            switch value {
            case .number(let f):
                _ = try book(at: location) { try bookOne(selection, name, histogram.axes[0], histogram.title) { event in f(ADLScope(event: event)) } }
            case .numbers(let f, _):
                _ = try book(at: location) {
                    try bookMany(selection, name, histogram.axes[0], histogram.title) { event, fill in f(ADLScope(event: event))?.forEach(fill) }
                }
            default:
                throw error("a histogram is filled with a number or a list of numbers, not \(value.typeName)", at: histogram.values[0].location)
            }
        } else {
            let x = try compiler.number(histogram.values[0]), y = try compiler.number(histogram.values[1])
            _ = try book(at: location) {
                try selection.histogram(name, axes: axes) { event in
                    let scope = ADLScope(event: event)
                    guard let u = x(scope), let v = y(scope) else { return nil }
                    return [.double(u), .double(v)]
                }
            }
        }
    }

    /// A 1D histogram with one value per event, on the axis type the binning asks for.
    func bookOne(_ selection: Selection, _ name: String, _ axis: ADLHistogram.Axis, _ title: String,
                 _ value: @escaping @Sendable (Event) -> Double?) throws -> Booked<Histogram<WeightStorage>> {
        let metadata = AxisMetadata(name: name, label: title)
        switch axis {
        case .regular(let bins, let lower, let upper):
            return try selection.histogram(name, RegularAxis(bins: bins, lower: lower, upper: upper, metadata: metadata), value)
        case .variable(let edges):
            return try selection.histogram(name, VariableAxis(edges: edges, metadata: metadata), value)
        }
    }

    /// A 1D histogram with any number of values per event.
    func bookMany(_ selection: Selection, _ name: String, _ axis: ADLHistogram.Axis, _ title: String,
                  _ values: @escaping @Sendable (Event, (Double) -> Void) -> Void) throws -> Booked<Histogram<WeightStorage>> {
        let metadata = AxisMetadata(name: name, label: title)
        switch axis {
        case .regular(let bins, let lower, let upper):
            return try selection.histogram(name, RegularAxis(bins: bins, lower: lower, upper: upper, metadata: metadata), values)
        case .variable(let edges):
            return try selection.histogram(name, VariableAxis(edges: edges, metadata: metadata), values)
        }
    }

    /// `save` / `print`: one row of values per passing event, kept in the results (NaN where undefined).
    mutating func bookSave(name: String, values: [ADLExpression], region: String, on selection: Selection, at location: ADLLocation,
                           isPrint: Bool) throws(ADLError) {
        var columns: [ADLFunction<Double>] = []
        for value in values { columns.append(try compiler.number(value)) }
        let functions = columns
        let result = unique("\(region)/\(name)")
        _ = try book(at: location) {
            try selection.take(result) { event -> [Double] in
                let scope = ADLScope(event: event)
                return functions.map { $0(scope) ?? .nan }
            }
        }
        saved.append((result, values.map(compiler.text), isPrint))
    }
}

extension ADLRegionCommand {
    /// The expressions the command holds (for negative-index numbering).
    var expressions: [ADLExpression] {
        switch self {
        case .cut(let cut): [cut.condition]
        case .weight(_, let value): [value]
        case .histogram(let h): h.values
        case .bin(_, .condition(let e), _): [e]
        case .bin(_, .edges(let e, _), _): [e]
        case .sort(let key, _): [key]
        case .print(let values, _): values
        case .save(_, _, let values): values
        case .use, .counts: []
        }
    }
}
