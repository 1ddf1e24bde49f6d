/// The hand-written recursive-descent parser of CutLang's ADL dialect: tokens to an
/// ``ADLFile`` with locations on every node.
///
/// The grammar, in the order precedence climbs (CutLang's): `?:` (right), `or`, `and`,
/// `not`, comparisons and `[]`/`][` ranges and `~=`/`~!` (non-associative), `+ -`, `* /`,
/// unary `-`, `^` (right), then postfix `[i]`, `[i:j]`, `_i`, `constituents`, and primaries
/// (numbers, strings, names, calls, `{object}attribute`, parentheses). Objects written side
/// by side (`Muo[0] Muo[1]`) form a ``ADLExpressionKind/juxtaposition(_:)`` — except in
/// `print`/`save`/`bin` lists, where side by side means a list.
///
/// A command ends at the end of its line, except inside parentheses. Every failure is an
/// ``ADLError`` naming the line and column of the offending token; nesting deeper than
/// ``maximumDepth`` is an error too, so no input can exhaust the stack.
///
/// ```swift
/// let file = try ADLParser.parse(ADLSource(name: "ex.adl", text: "region r\n  select MET > 100\n"))
/// ```
public struct ADLParser {
    /// The deepest expression nesting accepted.
    public static let maximumDepth = 200

    let source: ADLSource
    let tokens: [ADLToken]
    var position = 0
    var depth = 0
    /// Parenthesis nesting: inside parentheses newlines are blanks.
    var parentheses = 0

    /// Parses a whole file.
    public static func parse(_ source: ADLSource) throws(ADLError) -> ADLFile {
        var parser = ADLParser(source: source, tokens: try ADLLexer.tokens(of: source))
        return try parser.file()
    }

    /// Parses one expression (the whole text), e.g. for tests and `kaon run --check` messages.
    public static func parseExpression(_ source: ADLSource) throws(ADLError) -> ADLExpression {
        var parser = ADLParser(source: source, tokens: try ADLLexer.tokens(of: source))
        parser.skipNewlines()
        let expression = try parser.expression(juxtapose: true)
        parser.skipNewlines()
        guard parser.current.kind == .end else { throw parser.error("unexpected '\(parser.current.text)' after the expression") }
        return expression
    }

    init(source: ADLSource, tokens: [ADLToken]) {
        self.source = source
        self.tokens = tokens
    }

    // MARK: Tokens

    /// The current token (the final `.end` once past the end: never out of range).
    var current: ADLToken { tokens[min(position, tokens.count - 1)] }
    func peek(_ ahead: Int) -> ADLToken { tokens[max(0, min(position + ahead, tokens.count - 1))] }
    mutating func advance() -> ADLToken {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }
    /// The scalar offset just past the previous token.
    var previousEnd: Int { position > 0 ? tokens[min(position - 1, tokens.count - 1)].end : 0 }

    mutating func skipNewlines() { while current.kind == .newline { _ = advance() } }
    /// Inside parentheses a newline is a blank.
    mutating func skipNewlinesInParentheses() { if parentheses > 0 { skipNewlines() } }

    func error(_ message: String, at token: ADLToken? = nil) -> ADLError {
        ADLError(message, at: (token ?? current).location, in: source)
    }
    func describe(_ token: ADLToken) -> String {
        switch token.kind {
        case .end: "the end of the file"
        case .newline: "the end of the line"
        case .string: "\"\(token.text)\""
        default: "'\(token.text)'"
        }
    }

    mutating func expectSymbol(_ symbol: String, _ context: String) throws(ADLError) {
        skipNewlinesInParentheses()
        guard current.isSymbol(symbol) else { throw error("expected '\(symbol)' \(context), found \(describe(current))") }
        _ = advance()
    }
    mutating func expectName(_ what: String) throws(ADLError) -> ADLName {
        guard current.kind == .identifier else { throw error("expected \(what), found \(describe(current))") }
        let token = advance()
        return ADLName(text: token.text, location: token.location)
    }
    mutating func expectEndOfLine(_ context: String) throws(ADLError) {
        guard current.kind == .newline || current.kind == .end else {
            throw error("unexpected \(describe(current)) after \(context) (one command per line)")
        }
        skipNewlines()
    }
    /// The rest of the line as raw text (info values, counts).
    mutating func restOfLine() -> String {
        let start = current.location.offset
        var end = start
        while current.kind != .newline && current.kind != .end { end = advance().end }
        return source.text(from: start, to: end)
    }

    // MARK: Blocks

    static let blockWords: Set<String> = ["info", "object", "obj", "define", "def", "region", "algo", "algorithm", "histolist", "table", "countsformat"]

    mutating func file() throws(ADLError) -> ADLFile {
        var blocks: [ADLBlock] = []
        skipNewlines()
        while current.kind != .end {
            guard current.kind == .identifier, Self.blockWords.contains(current.text.lowercased()) else {
                throw error("expected a block (info, object, define, region, histoList, table, countsformat), found \(describe(current))")
            }
            let keyword = advance().text.lowercased()
            switch keyword {
            case "info": blocks.append(try info())
            case "object", "obj": blocks.append(.object(try object()))
            case "define", "def": blocks.append(try define())
            case "region", "algo", "algorithm": blocks.append(.region(try region()))
            case "histolist": blocks.append(try histoList())
            case "table": blocks.append(.table(try table()))
            default: blocks.append(try countsFormat())
            }
        }
        return ADLFile(source: source, blocks: blocks)
    }

    /// True when the current token starts a new block (ends the current block's body).
    var atBlockStart: Bool {
        current.kind == .end || (current.kind == .identifier && Self.blockWords.contains(current.text.lowercased()))
    }

    mutating func info() throws(ADLError) -> ADLBlock {
        let name = try expectName("the analysis name after 'info'")
        try expectEndOfLine("the info block's name")
        var entries: [(key: String, value: String)] = []
        while !atBlockStart {
            let key = try expectName("an info key (title, experiment, id, …)")
            entries.append((key.text, restOfLine().trimmingQuotes()))
            skipNewlines()
        }
        return .info(name: name, entries: entries)
    }

    mutating func object() throws(ADLError) -> ADLObjectBlock {
        let name = try expectName("the object's name after 'object'")
        var source: ADLObjectBlock.Source?
        if current.isSymbol(":") {
            _ = advance()
            source = try objectSource()
        }
        try expectEndOfLine("the object's header")
        var cuts: [ADLCut] = []
        while !atBlockStart {
            let keyword = current
            guard keyword.kind == .identifier else { throw error("expected take, select or reject in object '\(name.text)', found \(describe(keyword))") }
            switch keyword.text.lowercased() {
            case "take", "using":
                _ = advance()
                guard source == nil else { throw error("object '\(name.text)' already has its source", at: keyword) }
                source = try objectSource()
                try expectEndOfLine("the object's source")
            case "select", "cut", "cmd", "reject":
                _ = advance()
                cuts.append(ADLCut(condition: try expression(juxtapose: true), rejects: keyword.isWord("reject")))
                try expectEndOfLine("the condition")
            default:
                throw error("expected take, select or reject in object '\(name.text)', found \(describe(keyword))")
            }
        }
        return ADLObjectBlock(name: name, source: source, commands: cuts)
    }

    mutating func objectSource() throws(ADLError) -> ADLObjectBlock.Source {
        if (current.isWord("union") || current.isWord("comb")) && peek(1).isSymbol("(") {
            let isUnion = current.isWord("union")
            _ = advance()
            let arguments = try callArguments()
            if isUnion {
                guard arguments.count >= 2 else { throw error("Union needs at least two collections", at: peek(-1)) }
                return .union(arguments)
            }
            guard arguments.count == 1, let only = arguments.first else { throw error("comb takes one argument: objects written side by side") }
            return .combinations(only)
        }
        return .take(try expression(juxtapose: false))
    }

    mutating func define() throws(ADLError) -> ADLBlock {
        let name = try expectName("the name after 'define'")
        guard current.isSymbol("=") || current.isSymbol(":") else {
            throw error("expected '=' or ':' after 'define \(name.text)', found \(describe(current))")
        }
        _ = advance()
        let value = try expression(juxtapose: true)
        try expectEndOfLine("the definition")
        return .define(name: name, value: value)
    }

    mutating func region() throws(ADLError) -> ADLRegionBlock {
        let name = try expectName("the region's name after 'region'")
        try expectEndOfLine("the region's name")
        var commands: [ADLRegionCommand] = []
        while !atBlockStart {
            commands.append(try regionCommand())
        }
        return ADLRegionBlock(name: name, commands: commands)
    }

    mutating func regionCommand() throws(ADLError) -> ADLRegionCommand {
        let keyword = current
        guard keyword.kind == .identifier else { throw error("expected a region command (select, reject, weight, histo, bin, sort, print, save, counts or a name), found \(describe(keyword))") }
        let command: ADLRegionCommand
        switch keyword.text.lowercased() {
        case "select", "cut", "cmd", "reject":
            _ = advance()
            command = .cut(ADLCut(condition: try expression(juxtapose: true), rejects: keyword.isWord("reject")))
        case "weight":
            _ = advance()
            let name = try expectName("the weight's name after 'weight'")
            command = .weight(name: name, value: try expression(juxtapose: true))
        case "histo":
            _ = advance()
            command = .histogram(try histogram())
        case "bin", "bins":
            _ = advance()
            var label: String?
            if current.kind == .string { label = advance().text }
            let first = try expression(juxtapose: false)
            var edges: [Double] = []
            while current.kind == .number || (current.isSymbol("-") && peek(1).kind == .number) {
                edges.append(try number("a bin edge"))
            }
            if edges.isEmpty {
                command = .bin(label: label, .condition(first), location: keyword.location)
            } else {
                guard edges.count >= 1, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw error("bin edges must increase", at: keyword)
                }
                command = .bin(label: label, .edges(first, edges), location: keyword.location)
            }
        case "sort":
            _ = advance()
            let key = try expression(juxtapose: false)
            guard current.isWord("ascend") || current.isWord("descend") else {
                throw error("expected 'ascend' or 'descend' after the sort key, found \(describe(current))")
            }
            command = .sort(key: key, ascending: advance().isWord("ascend"))
        case "print":
            _ = advance()
            command = .print(try expressionList("print"), location: keyword.location)
        case "save":
            _ = advance()
            let name = try expectName("the output's name after 'save'")
            let format = try expectName("the format (csv) after the name")
            command = .save(name: name, format: format.text, values: try expressionList("save"))
        case "counts":
            _ = advance()
            let format = try expectName("the counts format's name after 'counts'")
            command = .counts(format: format, text: restOfLine())
        default:
            if Self.blockWords.contains(keyword.text.lowercased()) || peek(1).kind != .newline && peek(1).kind != .end {
                throw error("expected a region command (select, reject, weight, histo, bin, sort, print, save, counts or a region/histoList name), found \(describe(keyword))")
            }
            command = .use(try expectName("a name"))
        }
        try expectEndOfLine("the command")
        return command
    }

    /// Expressions side by side up to the end of the line (print, save).
    mutating func expressionList(_ what: String) throws(ADLError) -> [ADLExpression] {
        var values: [ADLExpression] = []
        while current.kind != .newline && current.kind != .end {
            values.append(try expression(juxtapose: false))
            if current.isSymbol(",") { _ = advance() }
        }
        guard !values.isEmpty else { throw error("'\(what)' needs at least one value") }
        return values
    }

    mutating func histoList() throws(ADLError) -> ADLBlock {
        let name = try expectName("the list's name after 'histoList'")
        try expectEndOfLine("the list's name")
        var histograms: [ADLHistogram] = []
        while !atBlockStart {
            guard current.isWord("histo") else { throw error("expected 'histo' in histoList '\(name.text)', found \(describe(current))") }
            _ = advance()
            histograms.append(try histogram())
            try expectEndOfLine("the histogram")
        }
        return .histoList(name: name, histograms: histograms)
    }

    /// `NAME, "TITLE", n, lo, hi, [n, lo, hi,] value[, value]` or `NAME, "TITLE", e0 e1 …, value`.
    mutating func histogram() throws(ADLError) -> ADLHistogram {
        let name = try expectName("the histogram's name after 'histo'")
        try expectSymbol(",", "after the histogram's name")
        guard current.kind == .string else { throw error("expected the histogram's title as a \"string\", found \(describe(current))") }
        let title = advance().text
        // The remaining comma-separated items: numbers (binning) then expressions (values).
        var items: [[ADLExpression]] = []
        while current.isSymbol(",") {
            _ = advance()
            var item: [ADLExpression] = [try expression(juxtapose: true)]
            while current.kind == .number || (current.isSymbol("-") && peek(1).kind == .number) {
                item.append(try expression(juxtapose: false))
            }
            items.append(item)
        }
        let at = name.location
        func constant(_ e: ADLExpression) -> Double? {
            switch e.kind {
            case .number(let v): v
            case .unary(.negate, let inner): if case .number(let v) = inner.kind { -v } else { nil }
            default: nil
            }
        }
        func regular(_ i: Int) throws(ADLError) -> ADLHistogram.Axis {
            guard let n = constant(items[i][0]), let lo = constant(items[i + 1][0]), let hi = constant(items[i + 2][0]),
                  n >= 1, n <= 10_000_000, n == n.rounded(), lo < hi, lo.isFinite, hi.isFinite else {
                throw ADLError("histogram '\(name.text)': a binning is a bin count ≥ 1, then lower < upper", at: items[i][0].location, in: source)
            }
            return .regular(bins: Int(n), lower: lo, upper: hi)
        }
        switch items.count {
        case 4 where items[0].count == 1:
            return ADLHistogram(name: name, title: title, axes: [try regular(0)], values: [items[3][0]])
        case 2 where items[0].count >= 2:
            let edges = items[0].compactMap(constant)
            guard edges.count == items[0].count, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw ADLError("histogram '\(name.text)': variable bin edges must be increasing numbers", at: items[0][0].location, in: source)
            }
            return ADLHistogram(name: name, title: title, axes: [.variable(edges)], values: [items[1][0]])
        case 8:
            return ADLHistogram(name: name, title: title, axes: [try regular(0), try regular(3)], values: [items[6][0], items[7][0]])
        default:
            throw ADLError("histogram '\(name.text)': expected NAME, \"TITLE\", n, lower, upper, value (1D), with a second n, lower, upper and value (2D), or variable edges side by side then the value", at: at, in: source)
        }
    }

    mutating func table() throws(ADLError) -> ADLTable {
        let name = try expectName("the table's name after 'table'")
        try expectEndOfLine("the table's name")
        var type = "", variables = 1, hasErrors = false
        var rows: [[Double]] = []
        while !atBlockStart {
            if current.isWord("tabletype") {
                _ = advance()
                type = try expectName("the table type").text
            } else if current.isWord("nvars") {
                _ = advance()
                let n = try number("the number of variables")
                guard n >= 1, n <= 16, n == n.rounded() else { throw error("nvars must be a whole number from 1 to 16", at: peek(-1)) }
                variables = Int(n)
            } else if current.isWord("errors") {
                _ = advance()
                guard current.isWord("true") || current.isWord("false") || current.isWord("on") || current.isWord("off") else {
                    throw error("expected true or false after 'errors', found \(describe(current))")
                }
                hasErrors = current.isWord("true") || current.isWord("on")
                _ = advance()
            } else {
                var row: [Double] = []
                while current.kind != .newline && current.kind != .end { row.append(try number("a table value")) }
                rows.append(row)
            }
            try expectEndOfLine("the table line")
        }
        // The rows' layout decides the number of variables: CutLang's own tutorial (ex10's
        // btagMedium) says `nvars 1` over rows with two (lower, upper) pairs and is used with two.
        let leading = 1 + (hasErrors ? 2 : 0)
        if let width = rows.first?.count {
            guard width > leading, (width - leading) % 2 == 0 else {
                throw ADLError("table '\(name.text)': a row is the value\(hasErrors ? ", err-, err+" : ""), then a lower and an upper bound per variable; the first row has \(width) numbers", at: name.location, in: source)
            }
            for (i, row) in rows.enumerated() where row.count != width {
                throw ADLError("table '\(name.text)' row \(i + 1) has \(row.count) numbers, the first row \(width)", at: name.location, in: source)
            }
            variables = (width - leading) / 2
        }
        return ADLTable(name: name, type: type, variables: variables, hasErrors: hasErrors, rows: rows)
    }

    mutating func countsFormat() throws(ADLError) -> ADLBlock {
        let name = try expectName("the format's name after 'countsformat'")
        try expectEndOfLine("the format's name")
        var processes: [[String]] = []
        while !atBlockStart {
            guard current.isWord("process") else { throw error("expected 'process' in countsformat '\(name.text)', found \(describe(current))") }
            _ = advance()
            processes.append(restOfLine().split(separator: ",").map { String($0).trimmingQuotes() })
            skipNewlines()
        }
        return .countsFormat(name: name, processes: processes)
    }

    /// A number literal, with an optional leading minus.
    mutating func number(_ what: String) throws(ADLError) -> Double {
        var sign = 1.0
        if current.isSymbol("-") { _ = advance(); sign = -1 }
        guard current.kind == .number, let value = Double(current.text) else { throw error("expected \(what), found \(describe(current))") }
        _ = advance()
        return sign * value
    }

    // MARK: Expressions

    /// An expression; `juxtapose` lets objects written side by side form a sum.
    mutating func expression(juxtapose: Bool) throws(ADLError) -> ADLExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("expression nested deeper than \(Self.maximumDepth) levels") }
        return try ternary(juxtapose)
    }

    mutating func ternary(_ j: Bool) throws(ADLError) -> ADLExpression {
        let condition = try or(j)
        skipNewlinesInParentheses()
        guard current.isSymbol("?") else { return condition }
        _ = advance()
        let then = try expression(juxtapose: j)
        try expectSymbol(":", "between the branches of '?'")
        let otherwise = try expression(juxtapose: j)
        return ADLExpression(.ternary(condition, then, otherwise), at: condition.location, end: otherwise.end)
    }

    mutating func or(_ j: Bool) throws(ADLError) -> ADLExpression {
        var left = try and(j)
        while true {
            skipNewlinesInParentheses()
            guard current.isWord("or") || current.isSymbol("||") else { return left }
            _ = advance()
            let right = try and(j)
            left = ADLExpression(.binary(.or, left, right), at: left.location, end: right.end)
        }
    }

    mutating func and(_ j: Bool) throws(ADLError) -> ADLExpression {
        var left = try not(j)
        while true {
            skipNewlinesInParentheses()
            guard current.isWord("and") || current.isSymbol("&&") else { return left }
            _ = advance()
            let right = try not(j)
            left = ADLExpression(.binary(.and, left, right), at: left.location, end: right.end)
        }
    }

    mutating func not(_ j: Bool) throws(ADLError) -> ADLExpression {
        skipNewlinesInParentheses()
        guard current.isWord("not") || current.isSymbol("!") else { return try comparison(j) }
        let start = advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("expression nested deeper than \(Self.maximumDepth) levels") }
        let operand = try not(j)
        return ADLExpression(.unary(.not, operand), at: start.location, end: operand.end)
    }

    static let comparisons: [String: ADLBinaryOperator] = [
        "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual, "==": .equal, "!=": .notEqual,
        "LT": .less, "LE": .lessEqual, "GT": .greater, "GE": .greaterEqual, "EQ": .equal, "NE": .notEqual,
    ]

    mutating func comparison(_ j: Bool) throws(ADLError) -> ADLExpression {
        let left = try additive(j)
        skipNewlinesInParentheses()
        let token = current
        if (token.kind == .symbol || token.kind == .identifier), let op = Self.comparisons[token.text] {
            _ = advance()
            let right = try additive(j)
            return ADLExpression(.binary(op, left, right), at: left.location, end: right.end)
        }
        if token.isSymbol("[]") || token.isSymbol("][") {
            _ = advance()
            let lower = try additive(false)
            let upper = try additive(false)
            return ADLExpression(.range(value: left, lower: lower, upper: upper, inside: token.isSymbol("[]")), at: left.location, end: upper.end)
        }
        if token.isSymbol("~=") || token.isSymbol("~!") {
            _ = advance()
            let target = try additive(j)
            return ADLExpression(.optimize(value: left, target: target, closest: token.isSymbol("~=")), at: left.location, end: target.end)
        }
        return left
    }

    mutating func additive(_ j: Bool) throws(ADLError) -> ADLExpression {
        var left = try multiplicative(j)
        while true {
            skipNewlinesInParentheses()
            guard current.isSymbol("+") || current.isSymbol("-") else { return left }
            let op: ADLBinaryOperator = advance().isSymbol("+") ? .add : .subtract
            let right = try multiplicative(j)
            left = ADLExpression(.binary(op, left, right), at: left.location, end: right.end)
        }
    }

    mutating func multiplicative(_ j: Bool) throws(ADLError) -> ADLExpression {
        var left = try unary(j)
        while true {
            skipNewlinesInParentheses()
            guard current.isSymbol("*") || current.isSymbol("/") else { return left }
            let op: ADLBinaryOperator = advance().isSymbol("*") ? .multiply : .divide
            let right = try unary(j)
            left = ADLExpression(.binary(op, left, right), at: left.location, end: right.end)
        }
    }

    mutating func unary(_ j: Bool) throws(ADLError) -> ADLExpression {
        skipNewlinesInParentheses()
        guard current.isSymbol("-") || current.isSymbol("+") else { return try power(j) }
        let start = advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("expression nested deeper than \(Self.maximumDepth) levels") }
        let operand = try unary(j)
        if start.isSymbol("+") { return operand }
        // A negative literal stays a literal (negative indices, bin edges).
        if case .number(let v) = operand.kind { return ADLExpression(.number(-v), at: start.location, end: operand.end) }
        return ADLExpression(.unary(.negate, operand), at: start.location, end: operand.end)
    }

    mutating func power(_ j: Bool) throws(ADLError) -> ADLExpression {
        let base = try juxtaposition(j)
        skipNewlinesInParentheses()
        guard current.isSymbol("^") else { return base }
        _ = advance()
        let exponent = try unary(j)
        return ADLExpression(.binary(.power, base, exponent), at: base.location, end: exponent.end)
    }

    /// True if `e` can be one of objects written side by side.
    static func isObjectLike(_ e: ADLExpression) -> Bool {
        switch e.kind {
        case .name, .index, .slice, .constituents: true
        default: false
        }
    }

    /// True if the current token starts an object reference (a name not called as a function).
    var startsObjectReference: Bool {
        guard current.kind == .identifier, !peek(1).isSymbol("(") else { return false }
        let word = current.text.lowercased()
        return !["and", "or", "not", "ascend", "descend", "lt", "le", "gt", "ge", "eq", "ne"].contains(word)
            && !Self.blockWords.contains(word) && word != "constituents" && word != "daughters"
    }

    mutating func juxtaposition(_ j: Bool) throws(ADLError) -> ADLExpression {
        let first = try postfix()
        guard j, Self.isObjectLike(first), startsObjectReference else { return first }
        var parts = [first]
        while startsObjectReference {
            let next = try postfix()
            guard Self.isObjectLike(next) else { throw ADLError("only objects can be written side by side (their sum)", at: next.location, in: source) }
            parts.append(next)
        }
        return ADLExpression(.juxtaposition(parts), at: first.location, end: parts.last?.end ?? first.end)
    }

    mutating func postfix() throws(ADLError) -> ADLExpression {
        var e = try primary()
        while true {
            if current.isSymbol("[") {
                _ = advance()
                parentheses += 1
                var lower: ADLExpression?
                if !current.isSymbol(":") { lower = try expression(juxtapose: false) }
                if current.isSymbol(":") {
                    _ = advance()
                    var upper: ADLExpression?
                    if !current.isSymbol("]") { upper = try expression(juxtapose: false) }
                    parentheses -= 1
                    try expectSymbol("]", "to close the slice")
                    e = ADLExpression(.slice(base: e, lower: lower, upper: upper), at: e.location, end: previousEnd)
                } else {
                    parentheses -= 1
                    try expectSymbol("]", "to close the index")
                    guard let lower else { throw error("empty index") }
                    e = ADLExpression(.index(base: e, index: lower), at: e.location, end: previousEnd)
                }
            } else if current.isWord("constituents") || current.isWord("daughters") {
                _ = advance()
                e = ADLExpression(.constituents(e), at: e.location, end: previousEnd)
            } else {
                return e
            }
        }
    }

    mutating func primary() throws(ADLError) -> ADLExpression {
        skipNewlinesInParentheses()
        let token = current
        switch token.kind {
        case .number:
            _ = advance()
            guard let value = Double(token.text), value.isFinite else { throw error("'\(token.text)' is not a finite number", at: token) }
            return ADLExpression(.number(value), at: token.location, end: token.end)
        case .string:
            _ = advance()
            return ADLExpression(.string(token.text), at: token.location, end: token.end)
        case .identifier:
            _ = advance()
            if current.isSymbol("(") {
                let arguments = try callArguments()
                return ADLExpression(.call(name: token.text, arguments: arguments), at: token.location, end: previousEnd)
            }
            if token.isWord("all") { return ADLExpression(.all, at: token.location, end: token.end) }
            return ADLExpression(.name(token.text), at: token.location, end: token.end)
        case .symbol where token.text == "(":
            _ = advance()
            parentheses += 1
            let inner = try expression(juxtapose: true)
            parentheses -= 1
            try expectSymbol(")", "to close '('")
            return ADLExpression(inner.kind, at: token.location, end: previousEnd)
        case .symbol where token.text == "{":
            _ = advance()
            parentheses += 1
            let object = try expression(juxtapose: true)
            parentheses -= 1
            try expectSymbol("}", "to close '{'")
            guard current.kind == .identifier else { throw error("expected an attribute name after '{…}', found \(describe(current))") }
            let attribute = advance()
            return ADLExpression(.attribute(object: object, name: attribute.text), at: token.location, end: attribute.end)
        default:
            throw error("expected a value, found \(describe(token))", at: token)
        }
    }

    /// `( argument, … )`, the current token being `(`.
    mutating func callArguments() throws(ADLError) -> [ADLExpression] {
        try expectSymbol("(", "")
        parentheses += 1
        defer { parentheses -= 1 }
        var arguments: [ADLExpression] = []
        skipNewlines()
        if current.isSymbol(")") {
            _ = advance()
            return arguments
        }
        while true {
            arguments.append(try expression(juxtapose: true))
            skipNewlines()
            if current.isSymbol(",") {
                _ = advance()
                continue
            }
            guard current.isSymbol(")") else { throw error("expected ',' or ')' in the argument list, found \(describe(current))") }
            _ = advance()
            return arguments
        }
    }
}

extension String {
    /// Without surrounding blanks and one pair of surrounding double quotes.
    func trimmingQuotes() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        if s.count >= 2, s.first == "\"", s.last == "\"" { s = s.dropFirst().dropLast() }
        return String(s)
    }
}
