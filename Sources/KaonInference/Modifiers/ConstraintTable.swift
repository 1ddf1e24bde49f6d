/// The constrained parameters in flat form, so the likelihood loops over plain arrays.
struct ConstraintTable: Sendable {
    var gaussianIndex: [Int] = []
    var gaussianSigma: [Double] = []
    var poissonIndex: [Int] = []
    var poissonFactor: [Double] = []

    init(_ sets: [ParameterSet]) {
        for set in sets {
            switch set.constraint {
            case .none: break
            case .gaussian(let sigmas):
                gaussianIndex += (0..<set.count).map { set.offset + $0 }
                gaussianSigma += sigmas
            case .poisson(let factors):
                poissonIndex += (0..<set.count).map { set.offset + $0 }
                poissonFactor += factors
            }
        }
    }
}
