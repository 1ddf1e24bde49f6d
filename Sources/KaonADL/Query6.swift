import KaonNano
import KaonPhysics

/// ADL query 6: in events with at least three jets, the trijet (i < j < k) whose summed
/// four-momentum has the mass closest to 172.5 GeV (the first such combination on ties);
/// its pt (6a) and the largest b-tag of its three jets (6b).
///
/// The combinatorics (C(n, 3) triples per event, most of the query's time) run in a
/// ``TrijetSearch``, whose buffers are made once and reused for every event:
///
/// ```swift
/// let search = TrijetSearch()
/// try events.forEachEvent { event in
///     if let trijet = Query6.value(event, search: search) {
///         ptBins.fill(trijet.pt)
///         btagBins.fill(trijet.maxBtag)
///     }
/// }
/// ```
public enum Query6 {
    /// The target mass (the top quark's).
    public static let targetMass = ADLQuery6.targetMass

    /// The chosen trijet's pt and largest b-tag, nil with fewer than three jets.
    @inlinable
    public static func value(_ event: Event, search: TrijetSearch) -> (pt: Double, maxBtag: Double)? {
        let jets = event.jets
        guard let (i, j, k) = search.closestPositions(in: jets, toMass: targetMass) else { return nil }
        let a = jets[i], b = jets[j], c = jets[k]
        // The pt of ((p4[i] + p4[j]) + p4[k]) needs only px and py, each pt·cos φ, pt·sin φ as
        // PtEtaPhiMVector.cartesian computes them (so it equals `search.closest(…).sum.pt`).
        let (sa, ca) = sineCosine(Double(a.phi)), (sb, cb) = sineCosine(Double(b.phi)), (sc, cc) = sineCosine(Double(c.phi))
        let (pa, pb, pc) = (Double(a.pt), Double(b.pt), Double(c.pt))
        let sum = PxPyPzEVector(px: (pa * ca + pb * cb) + pc * cc, py: (pa * sa + pb * sb) + pc * sc, pz: 0, e: 0)
        return (sum.pt, Double(Swift.max(a.btag, b.btag, c.btag)))
    }
}
