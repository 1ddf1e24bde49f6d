import KaonADL
import KaonColumns
import KaonPhysics

/// ADL benchmark query 6 written with columnar kernels, to time them against awkward
/// (`kaon-bench columns`) and to check the object view's ``ADLQuery6View`` against;
/// ``KaonADL/Query6`` is the form `kaon adl` runs. In events with at least three jets, the
/// trijet (i < j < k, lexicographic) whose invariant mass is closest to 172.5 GeV — first one
/// on ties — its pt (6a) and the largest b-tag among its jets (6b).
///
/// ```swift
/// let jets = PtEtaPhiMColumns(pt: pt, eta: eta, phi: phi, mass: mass)
/// let result = ADLQuery6.bestTrijet(jets: jets, btag: btag)
/// result.pt[0]        // nil for events with fewer than three jets
/// ```
public enum ADLQuery6 {
    /// The target mass (the top quark's) the trijet mass is matched to.
    ///
    /// ```swift
    /// abs(trijetMass - ADLQuery6.targetMass)
    /// ```
    public static let targetMass = Query6.targetMass

    /// Per event: the chosen trijet's pt and max b-tag, `nil` for events with < 3 jets.
    ///
    /// ```swift
    /// let (pt, maxBtag) = ADLQuery6.bestTrijet(jets: jets, btag: jetBtag)
    /// ```
    @inlinable
    public static func bestTrijet<Scalar: ColumnFloatingPoint, B: Comparable>(
        jets: PtEtaPhiMColumns<Scalar>, btag: JaggedArray<B>
    ) -> (pt: [Double?], maxBtag: [B?]) {
        let trijets = jets.pt.argcombinations(3)              // lexicographic, as awkward
        let p4 = jets.cartesian()                             // sin/cos/sinh once per jet
        // argmin of |m - 172.5| over each event's trijets, first on ties, nil without any
        // (the fused form of `abs(p4.mass(over: trijets) - 172.5).argmin()`).
        let best = p4.argmin(over: trijets) { Swift.abs($0.mass - targetMass) }
        let pt = p4.sum(over: trijets, choosing: best).map { $0?.pt }
        let chosen = trijets.select(best)                     // local jet index per slot
        var maxBtag = [B?](repeating: nil, count: jets.count)
        for slot in chosen {
            let tags = btag.take(slot)
            for l in 0..<jets.count {
                guard let t = tags[l] else { continue }
                if let m = maxBtag[l] { maxBtag[l] = Swift.max(m, t) } else { maxBtag[l] = t }
            }
        }
        return (pt, maxBtag)
    }
}
