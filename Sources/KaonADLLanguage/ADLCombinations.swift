/// The k-combinations of n positions, in lexicographic order (i < j < …), as
/// `ak.combinations` and Kaon's pair and triple loops enumerate them — so that ties in an
/// optimisation resolve to the same choice.
enum ADLCombinations {
    /// Calls `body` with each increasing k-tuple of positions in 0..<n (never if k > n or k < 1).
    static func forEach(_ k: Int, of n: Int, _ body: ([Int]) -> Void) {
        guard k >= 1, k <= n else { return }
        var positions = Array(0..<k)
        while true {
            body(positions)
            // The rightmost position that can still move right.
            var i = k - 1
            while i >= 0 && positions[i] == n - k + i { i -= 1 }
            guard i >= 0 else { return }
            positions[i] += 1
            for j in (i + 1)..<k { positions[j] = positions[j - 1] + 1 }
        }
    }
}
