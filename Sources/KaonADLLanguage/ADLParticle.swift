import KaonNano
import KaonPhysics

/// One object as an ADL analysis sees it: a four-momentum with a charge, and — for an
/// object read from the file — the NanoAOD object it came from, whose other fields
/// (`btag`, `tightId`, …) attributes read.
///
/// Objects from the file keep their stored (pt, η, φ, m) exactly, so cuts on them see the
/// values a Swift analysis sees; sums (`Muo[0] Muo[1]`) add Cartesian components as
/// KaonPhysics does and keep their constituents.
public struct ADLParticle {
    /// Stored (pt, η, φ, m) for file objects; nil for sums, whose kinematics come from
    /// ``cartesian`` (as `(a.p4 + b.p4).mass` does in Swift).
    public let stored: PtEtaPhiMVector?
    /// Cartesian components.
    public let cartesian: PxPyPzEVector
    /// Electric charge (0 where the collection has none).
    public let charge: Double
    /// The ``NanoCollection`` it was read from (an index into ``NanoCollection/all``); -1 for sums.
    public let collection: Int
    /// Its position in the event's collection (what negative indices and cross-references use).
    public let index: Int
    /// The object in the chunk, for fields beyond the four-momentum (nil for sums and MET).
    public let origin: ObjectHandle?
    /// The objects summed into this one (empty for file objects).
    public let constituents: [ADLParticle]

    /// A file object.
    init(p4: PtEtaPhiMVector, charge: Double, collection: Int, index: Int, origin: ObjectHandle?) {
        stored = p4
        cartesian = p4.cartesian
        self.charge = charge
        self.collection = collection
        self.index = index
        self.origin = origin
        constituents = []
    }

    /// A sum whose parts are not kept (its ``constituents`` are empty).
    init(cartesian: PxPyPzEVector, charge: Double) {
        stored = nil
        self.cartesian = cartesian
        self.charge = charge
        collection = -1
        index = -1
        origin = nil
        constituents = []
    }

    /// The four-momentum sum of `parts` (in order, as `a.p4 + b.p4 + …`), keeping them.
    init(sum parts: [ADLParticle]) {
        var total = PxPyPzEVector.zero
        var charge = 0.0
        var flat: [ADLParticle] = []
        for (i, part) in parts.enumerated() {
            total = i == 0 ? part.cartesian : total + part.cartesian
            charge += part.charge
            if part.constituents.isEmpty { flat.append(part) } else { flat.append(contentsOf: part.constituents) }
        }
        cartesian = total
        stored = nil
        self.charge = charge
        collection = -1
        index = -1
        origin = nil
        constituents = flat
    }

    /// Transverse momentum.
    public var pt: Double { stored?.pt ?? cartesian.pt }
    /// Pseudorapidity.
    public var eta: Double { stored?.eta ?? cartesian.eta }
    /// Azimuth.
    public var phi: Double { stored?.phi ?? cartesian.phi }
    /// Mass.
    public var mass: Double { stored?.mass ?? cartesian.mass }
    /// Energy.
    public var energy: Double { stored?.energy ?? cartesian.e }
}
