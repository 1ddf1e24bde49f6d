import Foundation
import KaonIO

/// Interprets a ``CorrectionProgram`` for one event at a time over per-input scratch slots.
///
/// `reals[i]` holds input i as a real (ints converted, for binning), `ints[i]` an int input's
/// value or a string input's code (-1 for a string no category names). A transform overwrites
/// its input's slots for the duration of its content and restores them, so one pair of
/// scratch arrays serves the whole walk and a column loop allocates nothing per event.
struct CorrectionEvaluator {
    let program: CorrectionProgram
    let correction: String
    let inputs: [CorrectionVariable]
    var reals: [Double]
    var ints: [Int64]
    /// The raw strings of string inputs, for naming a missing category key in an error.
    var strings: [String]
    var hashWords: [UInt64]

    init(program: CorrectionProgram, correction: String, inputs: [CorrectionVariable]) {
        self.program = program
        self.correction = correction
        self.inputs = inputs
        reals = Array(repeating: 0, count: inputs.count)
        ints = Array(repeating: 0, count: inputs.count)
        strings = Array(repeating: "", count: inputs.count)
        hashWords = Array(repeating: 0, count: program.hashInputs.count)
    }

    func failure(_ what: String) -> KaonError {
        KaonError(.usage, what, object: "correction '\(correction)'")
    }

    mutating func evaluate() throws(KaonError) -> Double {
        try value(of: program.root)
    }

    mutating func value(of node: Int) throws(KaonError) -> Double {
        switch program.nodes[node] {
        case .constant(let value):
            return value
        case .binning(let axisIndex, let flow, let content, let fallback):
            let bin = try bin(of: program.axes[axisIndex], flow: flow)
            return try value(of: bin < 0 ? fallback : program.children[content + bin])
        case .multibinning(let firstAxis, let axisCount, let flow, let content, let fallback):
            var flat = 0
            for a in firstAxis..<(firstAxis + axisCount) {
                let axis = program.axes[a]
                let bin = try bin(of: axis, flow: flow)
                if bin < 0 { return try value(of: fallback) }
                flat += bin * axis.stride
            }
            return try value(of: program.children[content + flat])
        case .category(let input, let table, let fallback):
            let child = program.categories[table].node(for: ints[input])
            if child >= 0 { return try value(of: child) }
            guard fallback >= 0 else {
                let key = inputs[input].type == .string ? "\"\(strings[input])\"" : String(ints[input])
                throw failure("input '\(inputs[input].name)' = \(key) is not a key of its category and there is no default")
            }
            return try value(of: fallback)
        case .formula(let root, let firstParameter):
            return formula(root, firstParameter)
        case .transform(let input, let rule, let content):
            let newValue = try value(of: rule)
            let (savedReal, savedInt) = (reals[input], ints[input])
            if inputs[input].type == .int {
                // C++'s (int64_t) std::round(v) for a v beyond Int64 (or NaN) is x86-64's
                // "integer indefinite" Int64.min, which is what correctionlib's wheels compute.
                ints[input] = Int64(exactly: newValue.rounded(.toNearestOrAwayFromZero)) ?? .min
                reals[input] = Double(ints[input])
            } else {
                reals[input] = newValue
            }
            defer { (reals[input], ints[input]) = (savedReal, savedInt) }
            return try value(of: content)
        case .hashprng(let firstInput, let inputCount, let distribution):
            for k in 0..<inputCount {
                let input = program.hashInputs[firstInput + k]
                hashWords[k] = inputs[input].type == .int ? UInt64(bitPattern: ints[input]) : reals[input].bitPattern
            }
            let seed = hashWords.withUnsafeBufferPointer { HashPRNG.seed(UnsafeBufferPointer(rebasing: $0[0..<inputCount])) }
            return HashPRNG.draw(seed: seed, distribution)
        }
    }

    /// The bin of the axis' input, or -1 for the fallback content (flow `.value`).
    func bin(of axis: CorrectionProgram.Axis, flow: CorrectionProgram.Flow) throws(KaonError) -> Int {
        var x = reals[axis.input]
        if axis.uniform {
            if !(x >= axis.low && x < axis.high) {
                switch flow {
                case .value: return -1
                case .clamp: return x < axis.low ? 0 : axis.bins - 1
                case .error: throw outOfRange(axis, x)
                case .wrap: break
                }
            }
            var normalised = (x - axis.low) / (axis.high - axis.low)
            if flow == .wrap { normalised -= normalised.rounded(.down) }
            // C++'s conversion of a non-finite or out-of-range double to size_t is undefined;
            // only NaN reaches here (with flow wrap), which the last bin takes.
            let scaled = Double(axis.bins) * normalised
            guard scaled.isFinite else { return axis.bins - 1 }
            return min(Int(scaled), axis.bins - 1)
        }
        let first = axis.firstEdge, end = axis.firstEdge + axis.bins + 1
        if flow == .wrap {
            let normalised = (x - axis.low) / (axis.high - axis.low)
            x = axis.low + (normalised - normalised.rounded(.down)) * (axis.high - axis.low)
        }
        // upper_bound: the first edge greater than x (NaN compares greater than none: overflow).
        var lo = first, hi = end
        while lo < hi {
            let mid = (lo + hi) >> 1
            if x < program.edges[mid] { hi = mid } else { lo = mid + 1 }
        }
        if lo == first || lo == end {
            switch flow {
            case .value: return -1
            case .clamp: return lo == first ? 0 : axis.bins - 1
            case .error, .wrap: throw outOfRange(axis, x)
            }
        }
        return lo - first - 1
    }

    func outOfRange(_ axis: CorrectionProgram.Axis, _ x: Double) -> KaonError {
        let side = x < axis.low ? "below" : "above"
        return failure("input '\(inputs[axis.input].name)' = \(x) is \(side) the bin edges [\(axis.low), \(axis.high)) and flow is \"error\"")
    }

    func formula(_ node: Int, _ firstParameter: Int) -> Double {
        switch program.formulaNodes[node] {
        case .literal(let value): return value
        case .variable(let input): return reals[input]
        case .parameter(let index): return program.parameters[firstParameter + index]
        case .unary(let function, let argument): return function.apply(formula(argument, firstParameter))
        case .binary(let function, let left, let right):
            return function.apply(formula(left, firstParameter), formula(right, firstParameter))
        }
    }
}
