import KaonPhysics

/// Q6's definition, written as plainly as possible, for the trijet tests to compare with:
/// lexicographic triples, strict `<`, the first triple on ties (and kept when its distance is
/// NaN). Returns the positions and the sum `(p4[i] + p4[j]) + p4[k]`.
func plainTrijetLoop(_ p4: [PxPyPzEVector], target: Double) -> (Int, Int, Int, PxPyPzEVector) {
    var best: (Int, Int, Int, PxPyPzEVector)?
    var bestDistance = 0.0
    for i in 0..<p4.count {
        for j in (i + 1)..<p4.count {
            for k in (j + 1)..<p4.count {
                let sum = (p4[i] + p4[j]) + p4[k]
                let distance = abs(sum.mass - target)
                if best == nil || distance < bestDistance { best = (i, j, k, sum); bestDistance = distance }
            }
        }
    }
    return best!
}
