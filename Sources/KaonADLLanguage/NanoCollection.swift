import KaonNano
import KaonPhysics

/// A CMS NanoAOD collection as ADL names it: the names an ADL file may use for it
/// (`Muo`, `MUO`, `Muon`, …), the KaonNano view it is read through, and the fields that view
/// declares (what attributes like `{Muo}tightId` may read).
///
/// ```swift
/// NanoCollection.named("Ele")?.prefix   // "Electron"
/// ```
public struct NanoCollection: Sendable {
    /// The NanoAOD branch prefix (`Muon`).
    public let prefix: String
    /// The ADL spellings, lowercased (CutLang matches most of them case-insensitively).
    public let names: [String]
    /// The typed fields of the KaonNano view, by slot (an attribute reads slot `i` through the
    /// view's own field resolution, alternate branch names included).
    public let fields: [String]
    /// True for one object per event (MET).
    public let isSingleton: Bool
    /// |pdgId| of the particle the collection holds (11, 13, 15, 22), 0 for jets and MET.
    public let flavour: Int
    /// Reads the event's objects (`index` is this collection's position in ``all``).
    let read: @Sendable (Event, _ index: Int) -> [ADLParticle]

    /// The collections, in a fixed order (``ADLParticle/collection`` indexes it).
    public static let all: [NanoCollection] = [
        collection(Muon.self, ["muo", "muon"], flavour: 13) { $0.muons },
        collection(Electron.self, ["ele", "electron"], flavour: 11) { $0.electrons },
        collection(Tau.self, ["tau"], flavour: 15) { $0.taus },
        collection(Photon.self, ["pho", "photon"], flavour: 22) { $0.photons },
        collection(Jet.self, ["jet"], flavour: 0) { $0.jets },
        collection(FatJet.self, ["fjet", "fatjet"], flavour: 0) { $0.fatJets },
        collection(GenParticle.self, ["gen", "genpart"], flavour: 0) { $0.genParticles },
        collection(GenJet.self, ["genjet"], flavour: 0) { $0.genJets },
        NanoCollection(prefix: "MET", names: ["metlv"], fields: MET.Field.allCases.map(\.name), isSingleton: true, flavour: 0) { event, index in
            let met = event.met
            return [ADLParticle(p4: PtEtaPhiMVector(pt: Double(met.pt), eta: 0, phi: Double(met.phi), mass: 0), charge: 0,
                                collection: index, position: 0, handle: met.handle)]
        },
    ]

    /// The collection an ADL name refers to, or nil.
    public static func named(_ name: String) -> NanoCollection? { index(named: name).map { all[$0] } }

    /// The position in ``all`` of the collection an ADL name refers to, or nil.
    public static func index(named name: String) -> Int? {
        let lower = name.lowercased()
        return all.firstIndex { $0.names.contains(lower) }
    }

    /// The slot of field `name` (case-insensitive), or nil.
    public func slot(of name: String) -> Int? {
        let lower = name.lowercased()
        return fields.firstIndex { $0.lowercased() == lower }
    }

    /// A collection read through view `O`; the charge is read only when the view has one.
    static func collection<O: PtEtaPhiMObject>(_: O.Type, _ names: [String], flavour: Int,
                                               objects: @escaping @Sendable (Event) -> ObjectCollection<O>) -> NanoCollection {
        let fields = O.Field.allCases.map(\.name)
        let chargeSlot = fields.firstIndex(of: "charge")
        return NanoCollection(prefix: O.defaultPrefix, names: names, fields: fields, isSingleton: false, flavour: flavour) { event, index in
            var particles: [ADLParticle] = []
            let collection = objects(event)
            particles.reserveCapacity(collection.count)
            for (position, object) in collection.enumerated() {
                let charge = chargeSlot.map { Double(object.handle.field($0, as: Int32.self)) } ?? 0
                particles.append(ADLParticle(p4: object.p4, charge: charge, collection: index, position: position, handle: object.handle))
            }
            return particles
        }
    }
}
