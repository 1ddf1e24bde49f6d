/// A generator particle (`GenPart_*`), with its mother and children.
///
/// ```swift
/// for particle in event.genParticles where abs(particle.pdgId) == 6 {
///     let decays = particle.children.map(\.pdgId)
///     let mother = particle.mother?.pdgId
/// }
/// ```
public struct GenParticle: PtEtaPhiMObject {
    /// Branch prefix.
    public static let defaultPrefix = "GenPart"
    /// Fixed slot in the chunk (no lookup per event).
    @inlinable public static var builtinSlot: Int { 6 }
    /// The typed fields, declared once: a case's name is its branch suffix (`GenPart_<name>`),
    /// its raw value the slot its property reads.
    public enum Field: Int, PtEtaPhiMFields {
        case pt, eta, phi, mass, pdgId, status, statusFlags, genPartIdxMother
    }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }

    /// PDG id. (`GenPart_pdgId`)
    @inlinable public var pdgId: Int32 { field(.pdgId, as: Int32.self) }
    /// Generator status code. (`GenPart_status`)
    @inlinable public var status: Int32 { field(.status, as: Int32.self) }
    /// Status flag bits (0 isPrompt, 1 isDecayedLeptonHadron, …, 13 isLastCopy). (`GenPart_statusFlags`)
    @inlinable public var statusFlags: Int32 { field(.statusFlags, as: Int32.self) }
    /// Index of the mother in `GenPart`, -1 if none. (`GenPart_genPartIdxMother`)
    @inlinable public var motherIndex: Int32 { field(.genPartIdxMother, as: Int32.self) }
}

extension GenParticle {
    /// The mother (`GenPart_genPartIdxMother`), nil for the initial particles.
    ///
    /// ```swift
    /// var p = particle
    /// while let m = p.mother { p = m }   // walk up to the beam
    /// ```
    @inlinable public var mother: GenParticle? { reference(.genPartIdxMother, inStore: handle.storeRef) }

    /// The particles whose mother is this one, in order (a scan of the event's particles;
    /// allocates nothing).
    ///
    /// ```swift
    /// for child in top.children where abs(child.pdgId) == 24 { … }
    /// ```
    @inlinable public var children: Children { Children(parent: self) }

    /// Whether status flag `bit` is set (13 = isLastCopy, 0 = isPrompt, …).
    ///
    /// ```swift
    /// if particle.hasFlag(13) { … }
    /// ```
    @inlinable public func hasFlag(_ bit: Int) -> Bool { statusFlags & (1 << Int32(bit)) != 0 }

    /// The daughters of a generator particle.
    public struct Children: Sequence, IteratorProtocol {
        @usableFromInline let siblings: ObjectCollection<GenParticle>
        @usableFromInline let parent: Int32
        @usableFromInline var position = 0

        @inlinable init(parent: GenParticle) {
            let h = parent.handle
            siblings = ObjectCollection(chunk: h.chunk, store: h.storeRef, event: h.event)
            self.parent = Int32(parent.localIndex)
        }

        /// The next daughter.
        @inlinable
        public mutating func next() -> GenParticle? {
            while position < siblings.count {
                let candidate = siblings[position]
                position += 1
                if candidate.motherIndex == parent { return candidate }
            }
            return nil
        }
    }
}
