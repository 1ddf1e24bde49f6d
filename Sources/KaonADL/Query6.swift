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
    public static let targetMass = 172.5

    /// The chosen trijet's pt and largest b-tag, nil with fewer than three jets.
    @inlinable
    public static func value(_ event: Event, search: TrijetSearch) -> (pt: Double, maxBtag: Double)? {
        let jets = event.jets
        guard let choice = search.closestPositions(in: jets, toMass: targetMass) else { return nil }
        return (exactPt(jets, choice), maxBtag(jets, choice))
    }

    /// Fills the trijet's pt into `ptBins` and its largest b-tag into `btagBins` (nothing with
    /// fewer than three jets): the same counts as filling ``value(_:search:)``, but the pt's bin
    /// comes from the screening's fast pt whenever its error bound lies inside one bin, so the
    /// exact conversion (a `sincos` per jet) runs only for the rare pt within 1e-12 of an edge.
    ///
    /// ```swift
    /// Query6.fill(&histograms.q6pt, &histograms.q6btag, from: event, search: scratch.trijets)
    /// ```
    @inlinable
    public static func fill(_ ptBins: inout RegularBins, _ btagBins: inout RegularBins, from event: Event, search: TrijetSearch) {
        let jets = event.jets
        guard let choice = search.closestPositions(in: jets, toMass: targetMass) else { return }
        if let pt = choice.screenedPt {
            ptBins.fill(pt, within: choice.screenedPtBound) { exactPt(jets, choice) }
        } else {
            ptBins.fill(exactPt(jets, choice))
        }
        btagBins.fill(maxBtag(jets, choice))
    }

    /// The pt of ((p4[i] + p4[j]) + p4[k]): it needs only px and py, each pt·cos φ, pt·sin φ as
    /// PtEtaPhiMVector.cartesian computes them (so it equals `search.closest(…).sum.pt`).
    @inlinable
    static func exactPt(_ jets: ObjectCollection<Jet>, _ choice: TrijetSearch.Choice) -> Double {
        let a = jets[choice.i], b = jets[choice.j], c = jets[choice.k]
        let (sa, ca) = sineCosine(Double(a.phi)), (sb, cb) = sineCosine(Double(b.phi)), (sc, cc) = sineCosine(Double(c.phi))
        let (pa, pb, pc) = (Double(a.pt), Double(b.pt), Double(c.pt))
        return PxPyPzEVector(px: (pa * ca + pb * cb) + pc * cc, py: (pa * sa + pb * sb) + pc * sc, pz: 0, e: 0).pt
    }

    @inlinable
    static func maxBtag(_ jets: ObjectCollection<Jet>, _ choice: TrijetSearch.Choice) -> Double {
        Double(Swift.max(jets[choice.i].btag, jets[choice.j].btag, jets[choice.k].btag))
    }
}
