import KaonIO

/// The four lists that describe a schema (in the header, and again, incrementally, in the
/// footer's schema extension): fields, physical columns, alias columns, extra type info.
struct SchemaDescription {
    var fields: [FieldDescriptor] = []
    var columns: [ColumnDescriptor] = []
    /// Alias columns: (physical column ID, projected field ID).
    var aliases: [(physical: Int, field: Int)] = []

    init() {}

    /// Reads the lists, numbering fields and columns on from the IDs already taken.
    init(from cursor: inout LittleEndianCursor, firstFieldID: Int, firstColumnID: Int) throws {
        var fieldID = firstFieldID
        fields = try cursor.recordList("field") { item in
            defer { fieldID += 1 }
            return try FieldDescriptor(id: fieldID, from: &item)
        }
        var columnID = firstColumnID
        columns = try cursor.recordList("column") { item in
            defer { columnID += 1 }
            return try ColumnDescriptor(id: columnID, from: &item)
        }
        aliases = try cursor.recordList("alias column") { item in
            (physical: Int(try item.u32()), field: Int(try item.u32()))
        }
        // Extra type information (streamer infos for streamer fields) is not needed to read.
        _ = try cursor.recordList("extra type information") { _ in () }
    }
}
