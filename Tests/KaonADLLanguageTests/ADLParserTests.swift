import Foundation
import KaonADLLanguage
import KaonTestSupport
import Testing

/// CutLang's 15 tutorial files (LGPL, read-only in the shared data).
let tutorialFolder = sharedData + "/adl-lang/cutlang/tutorials"

func tutorialNames() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: tutorialFolder)) ?? []).filter { $0.hasSuffix(".adl") }.sorted()
}

func tutorialSource(_ name: String) throws -> ADLSource {
    ADLSource(name: name, text: try String(contentsOfFile: tutorialFolder + "/" + name, encoding: .utf8))
}

@Suite("ADL lexer and parser")
struct ADLParserTests {
    @Test("all 15 CutLang tutorials parse")
    func tutorialsParse() throws {
        let names = tutorialNames()
        #expect(names.count == 15)
        for name in names {
            let file = try ADLParser.parse(try tutorialSource(name))
            #expect(!file.blocks.isEmpty, "\(name)")
        }
    }

    @Test("the tutorials' constructs become the expected syntax")
    func structure() throws {
        let file = try ADLParser.parse(try tutorialSource("ex03_objreco.adl"))
        guard case .define(let name, let value) = file.blocks[1] else { Issue.record("expected a define"); return }
        #expect(name.text == "Zeecand")
        guard case .juxtaposition(let parts) = value.kind else { Issue.record("Ele[0] Ele[1] is a juxtaposition"); return }
        #expect(parts.count == 2)
        guard case .region(let region) = file.blocks[2] else { Issue.record("expected a region"); return }
        #expect(region.name.text == "Zmmsel")
        guard case .cut(let last) = region.commands.last, case .range(_, _, _, let inside) = last.condition.kind else {
            Issue.record("the last command is a [] range"); return
        }
        #expect(inside)
        #expect(last.condition.location.line == 25)

        let histograms = try ADLParser.parse(try tutorialSource("ex02_histograms.adl"))
        for case .region(let r) in histograms.blocks where r.name.text == "baseline" {
            let booked = r.commands.compactMap { c -> ADLHistogram? in if case .histogram(let h) = c { h } else { nil } }
            #expect(booked.map(\.axes.count) == [1, 2, 1])
            if case .variable(let edges) = booked[2].axes[0] { #expect(edges == [0, 10, 20, 50, 100, 500]) } else { Issue.record("variable bins") }
        }
    }

    @Test("an error names file, line and column, and shows the line with a caret")
    func located() throws {
        let source = ADLSource(name: "bad.adl", text: "region r\n  select ALL\n  select pT(Jet[0) > 30\n")
        #expect(throws: ADLError.self) { try ADLParser.parse(source) }
        do {
            _ = try ADLParser.parse(source)
        } catch {
            #expect(error.location.line == 3)
            #expect(error.location.column == 18)
            #expect(error.description.hasPrefix("bad.adl:3:18: error: expected ']' to close the index, found ')'"))
            #expect(error.description.hasSuffix("\n    select pT(Jet[0) > 30\n                   ^"))
        }
        let string = ADLSource(name: "s.adl", text: "info a\n  title \"unterminated\n")
        do {
            _ = try ADLParser.parse(string)
            Issue.record("an unterminated string parsed")
        } catch {
            #expect(error.location.line == 2 && error.location.column == 9)
        }
    }

    @Test("precedence: arithmetic, comparisons, and/or, ternary, ranges")
    func precedence() throws {
        let e = try ADLParser.parseExpression(ADLSource(name: "e", text: "a + b * c ^ 2 > 3 and not x [] 1 2 or y ][ -1 1"))
        guard case .binary(.or, let left, let right) = e.kind, case .binary(.and, let comparison, let negation) = left.kind,
              case .binary(.greater, let sum, _) = comparison.kind, case .binary(.add, _, let product) = sum.kind,
              case .binary(.multiply, _, let power) = product.kind, case .binary(.power, _, _) = power.kind,
              case .unary(.not, let range) = negation.kind, case .range(_, _, _, true) = range.kind,
              case .range(_, let lower, _, false) = right.kind, case .number(-1) = lower.kind else {
            Issue.record("unexpected tree for the precedence test"); return
        }
    }

    /// Every mutated tutorial (``tutorialMutations()``) parses or throws an ``ADLError`` whose
    /// location lies inside the text — never traps (a trap would end the test process).
    @Test("mutated and truncated tutorials never trap: they parse or throw a located error")
    func mutations() throws {
        var parsed = 0, failed = 0
        for (name, variant) in try tutorialMutations() {
            do {
                _ = try ADLParser.parse(variant)
                parsed += 1
            } catch {
                failed += 1
                #expect(error.location.line >= 1 && error.location.column >= 1)
                #expect(error.location.offset <= variant.scalars.count)
                #expect(error.description.contains("\(name):\(error.location.line):\(error.location.column): error: "))
            }
        }
        #expect(parsed > 0 && failed > 0)
    }
}

/// Deterministic mutations of every tutorial: truncations at 40 points, 120 single-character
/// replacements, insertions and deletions each, and one nesting 5000 parentheses deep.
func tutorialMutations() throws -> [(name: String, source: ADLSource)] {
    var random = SplitMix64(state: 0xAD1)
    let alphabet = Array("()[]{},:?+-*/^=<>!~_#\"\n abcAZ019.".unicodeScalars)
    var all: [(name: String, source: ADLSource)] = []
    for name in tutorialNames() {
        let text = Array(try String(contentsOfFile: tutorialFolder + "/" + name, encoding: .utf8).unicodeScalars)
        var variants: [[Unicode.Scalar]] = []
        for cut in stride(from: 0, to: text.count, by: max(1, text.count / 40)) { variants.append(Array(text[..<cut])) }
        for _ in 0..<120 {
            var mutated = text
            let position = Int(random.next() % UInt64(mutated.count))
            let character = alphabet[Int(random.next() % UInt64(alphabet.count))]
            switch random.next() % 3 {
            case 0: mutated[position] = character
            case 1: mutated.insert(character, at: position)
            default: mutated.remove(at: position)
            }
            variants.append(mutated)
        }
        // Deep nesting is refused with an error, not a stack overflow.
        variants.append(Array("region r\n select ".unicodeScalars) + Array(repeating: "(", count: 5000) + ["1"])
        for variant in variants {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: variant)
            all.append((name, ADLSource(name: name, text: String(view))))
        }
    }
    return all
}
