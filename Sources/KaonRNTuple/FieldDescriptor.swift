import KaonIO

/// One field of an RNTuple's schema: a node of the tree of C++ types the entries have.
public struct FieldDescriptor: Sendable, Equatable {
    /// What a field is in the schema tree (the spec's structural role).
    public enum Role: UInt16, Sendable {
        case leaf = 0, collection = 1, record = 2, variant = 3, streamer = 4
    }

    /// The field's ID: its position in the serialised field lists (header, then extension).
    public var id: Int
    public var fieldVersion: UInt32
    public var typeVersion: UInt32
    /// The parent's ID; a top-level field is its own parent.
    public var parentID: Int
    public var role: Role
    public var name: String
    /// The normalised C++ type (`std::vector<float>`, `std::int32_t`, a class name).
    public var typeName: String
    public var typeAlias: String
    public var fieldDescription: String
    /// For a repetitive field (`std::array<T, N>`, `std::bitset<N>`): N.
    public var repetition: Int?
    /// For a projected field: the field it presents under another name or type.
    public var sourceFieldID: Int?
    /// The physical columns attached to the field (alias columns resolved), in ID order.
    public var columnIDs: [Int] = []
    /// The IDs of the subfields, in ID order.
    public var childIDs: [Int] = []

    /// Whether the field is a top-level field (its own parent).
    public var isTopLevel: Bool { parentID == id }

    init(id: Int, from cursor: inout LittleEndianCursor) throws {
        self.id = id
        fieldVersion = try cursor.u32()
        typeVersion = try cursor.u32()
        parentID = Int(try cursor.u32())
        let rawRole = try cursor.u16()
        guard let role = Role(rawValue: rawRole) else {
            throw KaonError(.unsupported, "field \(id) has unknown structural role \(rawRole)")
        }
        self.role = role
        let flags = try cursor.u16()
        name = try cursor.string()
        typeName = try cursor.string()
        typeAlias = try cursor.string()
        fieldDescription = try cursor.string()
        if flags & 0x01 != 0 {
            let count = try cursor.u64()
            guard count < 1 << 40 else { throw KaonError(.malformed, "field \(name) repeats \(count) times") }
            repetition = Int(count)
        }
        if flags & 0x02 != 0 { sourceFieldID = Int(try cursor.u32()) }
        if flags & 0x04 != 0 { _ = try cursor.u32() }  // the TClass checksum only serves I/O rules
    }
}
