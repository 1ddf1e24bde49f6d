import KaonColumns
import KaonIO
import KaonEngine
import KaonROOT
import KaonTree
import Testing

@Suite struct ExpressionTests {
    @Test(arguments: [
        ("Muon_pt * 2 +", "ends too early", 13),
        ("sqrt(Muon_pt", "expected ')'", 12),
        ("(Muon_pt + 1", "expected ')' to close the '(' here", 0),
        ("frobnicate(Muon_pt)", "unknown function 'frobnicate'", 0),
        ("atan2(Muon_pt)", "atan2 does not take 1 argument", 0),
        ("Muon_pt $ 3", "unexpected character '$'", 8),
        ("Jet_pt[1.5]", "whole number", 7),
        ("Muon_pt 3", "unexpected '3'", 8),
    ])
    func syntaxErrorsPointAtTheToken(text: String, message: String, position: Int) {
        #expect {
            try Expression(parsing: text)
        } throws: { error in
            guard let error = error as? ExpressionError else { return false }
            return error.message.contains(message) && error.position == position
        }
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try Expression(parsing: "1 + 2 * 3") == .binary("+", .number(1), .binary("*", .number(2), .number(3), position: 6), position: 2))
        #expect(try Expression(parsing: "-2 ** 2") == .unary("-", .binary("**", .number(2), .number(2), position: 3), position: 0))
        #expect(try Expression(parsing: "2 ** 3 ** 2") == .binary("**", .number(2), .binary("**", .number(3), .number(2), position: 7), position: 2))
        #expect(try Expression(parsing: "a > 1 && b < 2 || !c").branches == ["a", "b", "c"])
    }

    /// A three-event block: x = [[1, 2], [], [3]], y = [10, 20, 30].
    func evaluator(_ text: String) -> (Evaluator, Expression?) {
        let columns: [String: Column] = [
            "x": Column(values: .primitive(.float64, bytes([1, 2, 3] as [Double])), offsets: [[0, 2, 2, 3]], innerShape: [], entryCount: 3),
            "y": Column(values: .primitive(.int32, bytes([10, 20, 30] as [Int32])), offsets: [], innerShape: [], entryCount: 3),
        ]
        let evaluator = Evaluator(expressionText: text, count: 3) { name in
            guard let column = columns[name] else { throw KaonError(.notFound, "no branch named \(name)") }
            return column
        }
        return (evaluator, try? Expression(parsing: text))
    }

    func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    @Test func broadcastingReductionsAndIndexing() throws {
        func lists(_ text: String) throws -> [[Double]] {
            let (e, x) = evaluator(text)
            guard case .lists(let l) = try e.evaluate(try #require(x)) else { Issue.record("not lists"); return [] }
            return l.lists
        }
        func events(_ text: String) throws -> ([Double], [Bool]?) {
            let (e, x) = evaluator(text)
            guard case .events(let v, let valid) = try e.evaluate(try #require(x)) else { Issue.record("not events"); return ([], nil) }
            return (v, valid)
        }
        #expect(try lists("x * 2 + y") == [[12, 14], [], [36]])
        #expect(try lists("x > 1.5") == [[0, 1], [], [1]])
        #expect(try events("sum(x)").0 == [3, 0, 3])
        #expect(try events("count(x)").0 == [2, 0, 1])
        let maximum = try events("max(x)")
        #expect(maximum.1 == [true, false, true] && maximum.0[0] == 2 && maximum.0[2] == 3)
        let first = try events("x[1]")
        #expect(first.1 == [true, false, false] && first.0[0] == 2)
        #expect(try events("y / 10 + max(y, 15)").0 == [16, 22, 33])
    }

    @Test func typeErrorsNameTheProblem() {
        let (e, x) = evaluator("x + x[0]")
        #expect(throws: ExpressionError.self) { try e.evaluate(x!) }
        let (e2, x2) = evaluator("nope * 2")
        #expect {
            try e2.evaluate(x2!)
        } throws: { error in
            "\(error)".contains("no branch named nope")
        }
    }
}
