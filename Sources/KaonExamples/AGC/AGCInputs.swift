import Foundation
import KaonCorrections
import KaonIO
import KaonTreeEnsembles

/// What the AGC analysis reads besides events: the reference's correctionlib file
/// (`corrections.json`: the b-tag and W+jets scale weight variations), its two jet-parton
/// assignment BDTs (`models/model_even.json`, `model_odd.json`) and Kaon's jet-resolution
/// draw (``AGCInputs/resolutionCorrectionJSON``).
///
/// ```swift
/// let inputs = try AGCInputs(directory: "../shared/data/agc")
/// let analysis = try AGCAnalysis.make(inputs)
/// ```
public struct AGCInputs: Sendable {
    /// `event_systematics`: `btag_var` (1 ± 0.075 pt/50) and `scale_var` (1 ± 0.025) by direction.
    public let eventSystematics: Correction
    /// The standard-normal draw behind the jet-resolution smearing (see ``resolutionCorrectionJSON``).
    public let resolution: Correction
    /// The BDT trained on even-numbered events (applied to odd ones, as the reference does).
    public let modelEven: TreeEnsemble
    /// The BDT trained on odd-numbered events (applied to even ones).
    public let modelOdd: TreeEnsemble

    /// The reference smears each jet's pt by a factor drawn from N(1, 0.05) with numpy's
    /// global generator, unseeded, so no two runs (nor any two chunkings) agree. Kaon draws
    /// the factor 1 + 0.05 N with N from correctionlib's `hashprng` keyed on the jet's stored
    /// pt: the same for every run, thread count and block size, and reproducible by
    /// correctionlib itself (the peer test runs the reference with this draw).
    public static let resolutionCorrectionJSON = """
        {"schema_version": 2, "description": "Kaon AGC: deterministic jet pt resolution draw", "corrections": [
          {"name": "jet_pt_resolution", "version": 1,
           "description": "standard normal draw keyed on the jet's stored pt; the smearing factor is 1 + 0.05 * draw",
           "inputs": [{"name": "pt", "type": "real", "description": "the jet's stored pt (float32 widened)"}],
           "output": {"name": "draw", "type": "real"},
           "data": {"nodetype": "hashprng", "inputs": ["pt"], "distribution": "normal"}}
        ]}

        """

    /// Relative width of the jet-resolution smearing (the reference's 5 %).
    public static let resolutionWidth = 0.05

    /// Loads the inputs from an AGC directory (`corrections.json`, `models/`); errors name the file.
    public init(directory: String) throws {
        let corrections = try CorrectionSet(path: directory + "/corrections.json")
        guard let systematics = corrections["event_systematics"] else {
            throw KaonError(.malformed, "no correction 'event_systematics'", file: directory + "/corrections.json")
        }
        eventSystematics = systematics
        resolution = try CorrectionSet(text: Self.resolutionCorrectionJSON)["jet_pt_resolution"]!
        modelEven = try TreeEnsemble(path: directory + "/models/model_even.json")
        modelOdd = try TreeEnsemble(path: directory + "/models/model_odd.json")
        for (model, name) in [(modelEven, "model_even.json"), (modelOdd, "model_odd.json")]
        where model.featureCount != AGCJetAssignment.featureNames.count {
            throw KaonError(.malformed, "the jet-assignment BDT takes \(model.featureCount) features, the AGC computes \(AGCJetAssignment.featureNames.count)",
                            file: directory + "/models/" + name)
        }
    }

    /// The jet-resolution smearing factor of a jet with stored pt `pt`. (The inputs' types
    /// are fixed here and checked when the files load, so evaluation cannot fail.)
    public func resolutionFactor(pt: Float) -> Double {
        let draw = (try? resolution.evaluate([.real(Double(pt))])) ?? 0
        return 1 + Self.resolutionWidth * draw
    }

    /// The `event_systematics` weight of `systematic` (`btag_var`, `scale_var`) in `direction` (`up`, `down`) for a jet pt.
    public func eventWeight(_ systematic: String, _ direction: String, pt: Float) -> Double {
        (try? eventSystematics.evaluate([.string(systematic), .string(direction), .real(Double(pt))])) ?? 1
    }
}
