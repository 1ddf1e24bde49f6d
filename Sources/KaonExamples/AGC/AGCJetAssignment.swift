import KaonAnalysis
import KaonTreeEnsembles

/// The AGC's machine-learning step: each 4j2b event's jets are assigned to the tt̄ decay
/// (two W-daughter jets, the b of the hadronic top, the b of the leptonic top) by scoring
/// every assignment of its leading (at most six) jets with a BDT and keeping the best; the
/// 20 features of the best assignment are histogrammed.
///
/// Assignments, features and the choice follow the reference implementation's definitions:
/// the W jets are interchangeable (only `w1 > w2` is kept, in lexicographic order of the jet
/// indices — 12, 60 and 180 assignments for 4, 5 and 6 jets), ΔR is √(Δη² + Δφ²) without
/// wrapping φ, even-numbered events are scored by the model trained on odd ones and vice
/// versa, and the first of equal scores wins.
public enum AGCJetAssignment {
    /// Feature names, in the models' order (the reference's `FEATURE_NAMES`).
    public static let featureNames = [
        "deltar_leptonbtoplep", "deltar_w1w2", "deltar_w1btophad", "deltar_w2btophad",
        "mass_leptonbtoplep", "mass_w1w2", "mass_w1w2btophad", "pt_w1w2btophad",
        "pt_w1", "pt_w2", "pt_btophad", "pt_btoplep",
        "btag_w1", "btag_w2", "btag_btophad", "btag_btoplep",
        "qgl_w1", "qgl_w2", "qgl_btophad", "qgl_btoplep",
    ]
    /// Histogram ranges of the features (25 bins each), as the reference books them.
    public static let featureRanges: [(Double, Double)] = [
        (0, 6), (0, 6), (0, 6), (0, 6), (50, 300), (50, 300), (50, 550), (50, 550),
        (25, 300), (25, 300), (25, 300), (25, 300), (0, 1), (0, 1), (0, 1), (0, 1),
        (-1, 1), (-1, 1), (-1, 1), (-1, 1),
    ]
    /// Jets considered (the leading ones, in stored order).
    public static let maxJets = 6

    /// One assignment: indices of the two W jets, the hadronic-top b and the leptonic-top b.
    public struct Assignment: Sendable, Equatable {
        public var w1: Int, w2: Int, bHadronic: Int, bLeptonic: Int
    }

    /// Every assignment of `jets` jets (4…``maxJets``), in the reference's order.
    public static let assignments: [[Assignment]] = (0...maxJets).map { n in
        guard n >= 4 else { return [] }
        var list: [Assignment] = []
        for w1 in 0..<n {
            for w2 in 0..<w1 {
                for b1 in 0..<n where b1 != w1 && b1 != w2 {
                    for b2 in 0..<n where b2 != w1 && b2 != w2 && b2 != b1 {
                        list.append(Assignment(w1: w1, w2: w2, bHadronic: b1, bLeptonic: b2))
                    }
                }
            }
        }
        return list
    }

    /// A jet's inputs to the features.
    public struct JetInput: Sendable {
        public var p4: PtEtaPhiMVector, btag: Float, qgl: Float
        public init(p4: PtEtaPhiMVector, btag: Float, qgl: Float) { self.p4 = p4; self.btag = btag; self.qgl = qgl }
    }

    /// The 20 features of one assignment.
    public static func features(_ a: Assignment, jets: [JetInput], lepton: PtEtaPhiMVector) -> [Double] {
        func deltaR(_ x: PtEtaPhiMVector, _ y: PtEtaPhiMVector) -> Double {
            let dEta = x.eta - y.eta, dPhi = x.phi - y.phi
            return (dEta * dEta + dPhi * dPhi).squareRoot()
        }
        let w1 = jets[a.w1], w2 = jets[a.w2], bh = jets[a.bHadronic], bl = jets[a.bLeptonic]
        let topHadronic = w1.p4.cartesian + w2.p4.cartesian + bh.p4.cartesian
        return [
            deltaR(lepton, bl.p4), deltaR(w1.p4, w2.p4), deltaR(w1.p4, bh.p4), deltaR(w2.p4, bh.p4),
            (lepton + bl.p4).mass, (w1.p4 + w2.p4).mass, topHadronic.mass, topHadronic.pt,
            w1.p4.pt, w2.p4.pt, bh.p4.pt, bl.p4.pt,
            Double(w1.btag), Double(w2.btag), Double(bh.btag), Double(bl.btag),
            Double(w1.qgl), Double(w2.qgl), Double(bh.qgl), Double(bl.qgl),
        ]
    }

    /// The features of the best-scored assignment of an event's selected jets (at least
    /// four), or nil with fewer than four.
    public static func best(jets allJets: [JetInput], lepton: PtEtaPhiMVector, eventNumber: UInt64,
                            modelEven: TreeEnsemble, modelOdd: TreeEnsemble) throws -> [Double]? {
        let jets = Array(allJets.prefix(maxJets))
        guard jets.count >= 4 else { return nil }
        let candidates = assignments[jets.count]
        let rows = candidates.map { features($0, jets: jets, lepton: lepton) }
        var columns = [[Double]](repeating: [], count: featureNames.count)
        for f in columns.indices { columns[f] = rows.map { $0[f] } }
        let model = eventNumber % 2 == 0 ? modelOdd : modelEven
        let scores = try model.predict(columns: columns)
        var best = 0
        for k in scores.indices where scores[k] > scores[best] { best = k }
        return rows[best]
    }
}
