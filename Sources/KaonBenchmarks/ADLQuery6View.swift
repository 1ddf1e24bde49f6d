import KaonNano
import KaonPhysics

/// ADL benchmark query 6 written with the object view, per event: among the jet triples
/// (i < j < k, lexicographic) the one whose summed four-momentum has the mass closest to
/// 172.5 GeV (first on ties), its pt (6a) and the largest b-tag of its three jets (6b).
///
/// The arithmetic is the columnar ``ADLQuery6``'s, in the same order (each
/// jet converted to Cartesian once, sums left to right), so the two agree bit for bit.
///
/// ```swift
/// try events.forEachEvent { event in
///     if let best = ADLQuery6View.bestTrijet(event.jets) {
///         ptHistogram.fill(best.pt); btagHistogram.fill(Double(best.maxBtag))
///     }
/// }
/// ```
public enum ADLQuery6View {
    /// The chosen trijet's pt and max b-tag, nil with fewer than three jets.
    @inlinable
    public static func bestTrijet(_ jets: ObjectCollection<Jet>) -> (pt: Double, maxBtag: Float)? {
        let n = jets.count
        guard n >= 3 else { return nil }
        // Each jet's Cartesian form once, on the stack: the triple loop only adds.
        return withUnsafeTemporaryAllocation(of: PxPyPzEVector.self, capacity: n) { p4 in
            for i in 0..<n { p4.initializeElement(at: i, to: jets[i].p4.cartesian) }
            var bestDistance = 0.0
            var best = (0, 1, 2)
            var bestSum = PxPyPzEVector.zero
            var first = true
            for i in 0..<(n - 2) {
                for j in (i + 1)..<(n - 1) {
                    let pair = p4[i] + p4[j]
                    for k in (j + 1)..<n {
                        let sum = pair + p4[k]
                        let distance = Swift.abs(sum.mass - ADLQuery6.targetMass)
                        if first || distance < bestDistance {
                            first = false
                            bestDistance = distance
                            bestSum = sum
                            best = (i, j, k)
                        }
                    }
                }
            }
            return (bestSum.pt, Swift.max(jets[best.0].btag, jets[best.1].btag, jets[best.2].btag))
        }
    }
}
