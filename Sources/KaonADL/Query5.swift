import KaonNano
import KaonPhysics

/// ADL query 5: MET of the events with an opposite-charge muon pair whose invariant mass is
/// in (60, 120) GeV (a Z candidate). The event is filled once, however many pairs pass.
///
/// ```swift
/// if let met = Query5.value(event) { bins.fill(met) }
/// ```
public enum Query5 {
    /// `MET_pt` if any opposite-charge muon pair (i < j) has 60 < m < 120 GeV, else nil.
    @inlinable
    public static func value(_ event: Event) -> Double? {
        let muons = event.muons
        let n = muons.count
        // Without two opposite charges there is no pair to convert.
        guard n >= 2, muons.contains(where: { $0.charge != muons[0].charge }) else { return nil }
        // Each muon converted to Cartesian once, not once per pair it is in.
        return withUnsafeTemporaryAllocation(of: (p4: PxPyPzEVector, charge: Int32).self, capacity: n) { list in
            for (l, muon) in muons.enumerated() { list.initializeElement(at: l, to: (muon.p4.cartesian, muon.charge)) }
            for i in 0..<n {
                for j in (i + 1)..<n where list[i].charge != list[j].charge {
                    let mass = (list[i].p4 + list[j].p4).mass
                    if mass > 60 && mass < 120 { return Double(event.met.pt) }
                }
            }
            return nil
        }
    }
}
