import KaonNano
import KaonPhysics

/// One object as an ADL analysis sees it: a four-momentum with a charge, and — for an
/// object read from the file — where it is in its NanoAOD collection, so that attributes
/// can read its other fields (`btag`, `tightId`, …).
///
/// Objects from the file keep their stored (pt, η, φ, m) exactly (as the file's float32),
/// so cuts on them see the values a Swift analysis sees; sums (`Muo[0] Muo[1]`) add
/// Cartesian components as KaonPhysics does.
///
/// The type is kept small and holds at most one reference (the constituents of a sum that
/// keeps them): compiled expressions pass it by value through closures, and in an
/// optimisation's inner loop its copies are most of the work.
public struct ADLParticle {
    /// Cartesian components (computed once for a file object).
    public let cartesian: PxPyPzEVector
    /// The stored pt, η, φ and m of a file object (unused for sums).
    let storedPt, storedEta, storedPhi, storedMass: Float
    /// Electric charge (0 where the collection has none).
    let storedCharge: Float
    /// The ``NanoCollection`` it was read from (an index into ``NanoCollection/all``); -1 for sums.
    let collectionIndex: Int16
    /// Its position in the event's collection; its global position in the store; its event.
    let position: Int32, storeIndex: Int32, event: Int32
    /// The store of the chunk being evaluated, which owns the object's fields. Not retained:
    /// the chunk holds it for as long as the event is evaluated, the only time it is read.
    unowned(unsafe) let store: CollectionStore?
    /// The objects summed into this one, when the expression reads them (`constituents`).
    public let constituents: [ADLParticle]

    /// A file object: `handle` says where it is.
    init(p4: PtEtaPhiMVector, charge: Double, collection: Int, position: Int, handle: ObjectHandle) {
        cartesian = p4.cartesian
        storedPt = Float(p4.pt)
        storedEta = Float(p4.eta)
        storedPhi = Float(p4.phi)
        storedMass = Float(p4.mass)
        storedCharge = Float(charge)
        collectionIndex = Int16(collection)
        self.position = Int32(truncatingIfNeeded: position)
        storeIndex = Int32(truncatingIfNeeded: handle.index)
        event = Int32(truncatingIfNeeded: handle.event)
        store = handle.store
        constituents = []
    }

    /// A sum whose parts are not kept (its ``constituents`` are empty).
    init(cartesian: PxPyPzEVector, charge: Double) {
        self.cartesian = cartesian
        storedPt = 0; storedEta = 0; storedPhi = 0; storedMass = 0
        storedCharge = Float(charge)
        collectionIndex = -1
        position = -1; storeIndex = -1; event = -1
        store = nil
        constituents = []
    }

    /// The four-momentum sum of `parts` (in order, as `a.p4 + b.p4 + …`), keeping them.
    init(sum parts: [ADLParticle]) {
        var total = PxPyPzEVector.zero
        var charge: Float = 0
        var flat: [ADLParticle] = []
        for (i, part) in parts.enumerated() {
            total = i == 0 ? part.cartesian : total + part.cartesian
            charge += part.storedCharge
            if part.constituents.isEmpty { flat.append(part) } else { flat.append(contentsOf: part.constituents) }
        }
        cartesian = total
        storedPt = 0; storedEta = 0; storedPhi = 0; storedMass = 0
        storedCharge = charge
        collectionIndex = -1
        position = -1; storeIndex = -1; event = -1
        store = nil
        constituents = flat
    }

    /// True for a sum of objects.
    public var isSum: Bool { collectionIndex < 0 }
    /// The ``NanoCollection`` it was read from (an index into ``NanoCollection/all``); -1 for sums.
    public var collection: Int { Int(collectionIndex) }
    /// Transverse momentum.
    public var pt: Double { isSum ? cartesian.pt : Double(storedPt) }
    /// Pseudorapidity.
    public var eta: Double { isSum ? cartesian.eta : Double(storedEta) }
    /// Azimuth.
    public var phi: Double { isSum ? cartesian.phi : Double(storedPhi) }
    /// Mass (as stored for a file object, so possibly negative as NanoAOD electrons' are).
    public var mass: Double { isSum ? cartesian.mass : Double(storedMass) }
    /// Energy.
    public var energy: Double { isSum ? cartesian.e : PtEtaPhiMVector(pt: storedPt, eta: storedEta, phi: storedPhi, mass: storedMass).energy }
    /// Electric charge.
    public var charge: Double { Double(storedCharge) }

    /// Field `slot` of the object's NanoAOD view, read as a Double; nil for sums.
    func field(_ slot: Int) -> Double? {
        guard let store else { return nil }
        return ObjectHandle(store: store, index: Int(storeIndex), event: Int(event)).field(slot, as: Double.self)
    }
}
