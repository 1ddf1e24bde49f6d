import KaonIO

/// One physical column of an RNTuple: where a field's elements of one kind are stored.
public struct ColumnDescriptor: Sendable, Equatable {
    /// The column's ID: its position in the serialised column lists (header, then extension).
    public var id: Int
    /// The element type; nil for a type newer than spec 1.0 (its field cannot be read).
    public var type: ColumnType?
    public var rawType: UInt16
    /// Bits per element on disk.
    public var bitsOnStorage: Int
    public var fieldID: Int
    /// Which of the field's alternative column representations this column belongs to.
    public var representationIndex: Int
    /// For a deferred column (added while writing): the first element it stores; elements
    /// before it read as zero.
    public var firstElementIndex: Int
    /// Whether the column is deferred and suppressed before `firstElementIndex`.
    public var isSuppressedBeforeFirstElement: Bool
    /// For a column with a value range (Real32Quant): the inclusive range.
    public var valueRange: ClosedRange<Double>?

    /// The type as the spec names it, with the bit width for variable-width types
    /// (`SplitReal32`, `Real32Quant(12)`), or its code for a type newer than spec 1.0.
    public var typeDescription: String {
        guard let type else { return "0x" + String(rawType, radix: 16) }
        return type.fixedBits == nil ? "\(type.specName)(\(bitsOnStorage))" : type.specName
    }

    init(id: Int, from cursor: inout LittleEndianCursor) throws {
        self.id = id
        rawType = try cursor.u16()
        bitsOnStorage = Int(try cursor.u16())
        fieldID = Int(try cursor.u32())
        let flags = try cursor.u16()
        representationIndex = Int(try cursor.u16())
        firstElementIndex = 0
        isSuppressedBeforeFirstElement = false
        if flags & 0x01 != 0 {
            let first = try cursor.i64()
            isSuppressedBeforeFirstElement = first < 0
            firstElementIndex = first == Int64.min ? 0 : Int(first.magnitude)
        }
        if flags & 0x02 != 0 {
            let low = try cursor.f64()
            let high = try cursor.f64()
            guard low <= high else { throw KaonError(.malformed, "column \(id) has value range \(low)…\(high)") }
            valueRange = low...high
        }
        type = ColumnType(rawValue: rawType)
        if let type, !type.allowedBits.contains(bitsOnStorage) {
            throw KaonError(.malformed, "column \(id) of type \(type.specName) declares \(bitsOnStorage) bits per element")
        }
        if type == .real32Quant, valueRange == nil {
            throw KaonError(.malformed, "Real32Quant column \(id) has no value range")
        }
    }
}
