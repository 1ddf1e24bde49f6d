import CKaonPhysics
import KaonNano
import KaonPhysics

/// ADL query 5: MET of the events with an opposite-charge muon pair whose invariant mass is
/// in (60, 120) GeV (a Z candidate). The event is filled once, however many pairs pass.
///
/// ```swift
/// let leptons = LeptonBuffer()   // reused for every event
/// if let met = Query5.value(event, leptons: leptons) { bins.fill(met) }
/// ```
public enum Query5 {
    /// The mass window (exclusive), GeV.
    ///
    /// ```swift
    /// Query5.massWindow.low   // 60.0
    /// ```
    public static let massWindow = (low: 60.0, high: 120.0)

    /// `MET_pt` if any opposite-charge muon pair (i < j) has 60 < m < 120 GeV, else nil: the
    /// definition, each muon converted with libm for each of its pairs.
    @inlinable
    public static func value(_ event: Event) -> Double? {
        for (a, b) in event.muons.pairs() where a.charge != b.charge {
            let mass = (a.p4 + b.p4).mass
            if mass > massWindow.low && mass < massWindow.high { return Double(event.met.pt) }
        }
        return nil
    }

    /// The same as ``value(_:)``, bit for bit, from the muons converted without libm, a tile of
    /// them at a time, each muon once (`kaon_opposite_pair_in_mass_window`); only an event
    /// with a pair whose m² is within 2⁻³² S² of 60² or 120² (S the pair's energy: about
    /// 10⁻⁸ GeV in mass for central muons), or with a muon the fast conversion refuses, is
    /// computed with libm.
    ///
    /// ```swift
    /// if let met = Query5.value(event, leptons: buffer) { bins.fill(met) }
    /// ```
    @inlinable
    public static func value(_ event: Event, leptons buffer: LeptonBuffer) -> Double? {
        let muons = event.muons
        guard muons.count >= 2 else { return nil }
        if let fast = buffer.fast(muons, isMuon: true) {
            switch kaon_opposite_pair_in_mass_window(fast.px, fast.py, fast.pz, fast.e, fast.charge, fast.count,
                                                     massWindow.low, massWindow.high) {
            case 1: return Double(event.met.pt)
            case 0: return nil
            default: break
            }
        }
        return value(event)
    }
}
