import KaonIO

/// Deserialises ROOT objects from a buffer, driven by the file's class descriptions.
///
/// A handful of classes with hand-written streamers in ROOT (TObject, TNamed, collections,
/// TArray*, the streamer classes themselves, TBasket) are read by dedicated code in
/// `ObjectReader-custom.swift`; every other class is read member by member from its
/// `StreamerInfo` (`ObjectReader-members.swift`). Objects are registered by position so that
/// later references (`fLeaves` → leaves read inside `fBranches`) resolve to the same object.
public struct ObjectReader {
    public let streamers: StreamerRegistry
    public var cursor: ByteCursor
    var objectsByTag: [Int: ROOTObject] = [:]
    var classesByTag: [Int: String] = [:]
    var depth = 0

    static let byteCountMask: UInt32 = 0x4000_0000
    static let classMask: UInt32 = 0x8000_0000
    static let newClassTag: UInt32 = 0xFFFF_FFFF
    static let mapOffset = 2
    static let maximumDepth = 100

    public init(streamers: StreamerRegistry, cursor: ByteCursor) {
        self.streamers = streamers
        self.cursor = cursor
    }

    /// A version header: the class version and, when a byte count was present, where the
    /// object ends.
    public struct Header {
        public var version: Int
        public var end: Int?
    }

    /// Reads `[bytecount|0x40000000] version`; without the mask bit, only a version.
    public mutating func readHeader() throws -> Header {
        let start = cursor.position
        let first = try cursor.readU32()
        if first & Self.byteCountMask != 0 {
            let count = Int(first & ~Self.byteCountMask)
            guard count >= 2, count <= cursor.bytes.count - start - 4 else {
                throw KaonError(.malformed, "object byte count \(count) at offset \(start) runs past the buffer (\(cursor.bytes.count) bytes)")
            }
            let version = Int(try cursor.readI16())
            return Header(version: version, end: start + 4 + count)
        }
        cursor.position = start
        return Header(version: Int(try cursor.readI16()), end: nil)
    }

    /// Moves to the end an object's header declared, so that unread trailing members of a
    /// newer class version are skipped.
    mutating func finish(_ header: Header) throws {
        if let end = header.end { try cursor.seek(to: end) }
    }

    /// Reads an object of a known class (its header first), as a member or a key's payload.
    public mutating func readObject(className: String) throws -> ROOTObject {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maximumDepth else {
            throw KaonError(.malformed, "objects nested more than \(Self.maximumDepth) deep")
        }
        if let object = try readCustom(className: className) { return object }
        let header = try readHeader()
        if header.version <= 0 { _ = try cursor.readU32() }  // class checksum
        let object = ROOTObject(className: className, version: header.version)
        guard let info = streamers.info(for: className, version: header.version) else {
            guard header.end != nil else {
                throw KaonError(.unsupported, "no class description for \(className) in this file, cannot read it")
            }
            try finish(header)
            object.set("unreadable", .string("no class description for \(className)"))
            return object
        }
        try readMembers(of: info, into: object)
        try finish(header)
        return object
    }

    /// Reads a polymorphic pointer (`TObject*`, collection items): null, a reference to an
    /// object read earlier, or a class tag (new or seen) followed by the object.
    public mutating func readObjectAny() throws -> ROOTValue {
        let start = cursor.position
        let startReference = cursor.referencePosition
        let first = try cursor.readU32()
        var tag = first
        var tagReference = startReference
        var end: Int?
        if first & Self.byteCountMask != 0 && first != Self.newClassTag {
            let count = Int(first & ~Self.byteCountMask)
            guard count >= 4, count <= cursor.bytes.count - start - 4 else {
                throw KaonError(.malformed, "object byte count \(count) at offset \(start) runs past the buffer")
            }
            end = start + 4 + count
            tagReference = cursor.referencePosition
            tag = try cursor.readU32()
        }
        if tag & Self.classMask == 0 {
            // A null pointer or a reference to an object already read.
            if let end { try cursor.seek(to: end) }
            if tag == 0 { return .null }
            if let object = objectsByTag[Int(tag)] { return .object(object) }
            return .null
        }
        let className: String
        if tag == Self.newClassTag {
            className = try cursor.readCString()
            classesByTag[tagReference + Self.mapOffset] = className
        } else {
            let classTag = Int(tag & ~Self.classMask)
            guard let known = classesByTag[classTag] else {
                throw KaonError(.malformed, "reference to an unknown class tag \(classTag) at offset \(start)")
            }
            className = known
        }
        let object = try readObject(className: className)
        objectsByTag[startReference + Self.mapOffset] = object
        if let end { try cursor.seek(to: end) }
        return .object(object)
    }
}
