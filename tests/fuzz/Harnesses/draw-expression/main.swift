// `kaon draw` expressions: the tokenizer, the parser and the evaluator, over small in-memory
// columns (every name is a branch; names with an underscore are jagged, as NanoAOD's
// `Muon_pt`, others flat), so that evaluation errors (types, shapes, functions) are reached.
//
// Input: up to three lines: the expression, the cut (`--where`) and the weight.
import KaonEngine
import KaonFuzzSupport
import KaonROOT
import KaonTree

let entries = 4

/// A column of `count` float64 values 0.5, 1.5, …
func values(_ count: Int) -> Column.Values {
    .primitive(.float64, (0..<count).flatMap { index in withUnsafeBytes(of: (Double(index) + 0.5).bitPattern.littleEndian, Array.init) })
}

let flat = Column(values: values(entries), entryCount: entries)
let jagged = Column(values: values(5), offsets: [[0, 2, 2, 3, 5]], entryCount: entries)

runFuzzer(makeSeeds: { _ in }) { bytes in
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let plan = try DrawPlan(expression: lines[0], cut: lines.count > 1 ? lines[1] : nil, weight: lines.count > 2 ? lines[2] : nil)
    _ = try plan.entries(count: entries) { name in name.contains("_") ? jagged : flat }
}
