import KaonTree

extension Column {
    /// Bit-exact equality: the values' bytes (or strings), offsets, shapes, entry counts.
    func isBitIdentical(to other: Column) -> Bool {
        guard entryCount == other.entryCount, offsets == other.offsets, innerShape == other.innerShape else { return false }
        switch (values, other.values) {
        case (.primitive(let typeA, let bytesA), .primitive(let typeB, let bytesB)):
            return typeA == typeB && bytesA == bytesB
        case (.strings(let a), .strings(let b)):
            return a == b
        case (.record(let namesA, let columnsA), .record(let namesB, let columnsB)):
            return namesA == namesB && columnsA.count == columnsB.count
                && zip(columnsA, columnsB).allSatisfy { $0.isBitIdentical(to: $1) }
        case (.pairs(let keysA, let valuesA), .pairs(let keysB, let valuesB)):
            return keysA.isBitIdentical(to: keysB) && valuesA.isBitIdentical(to: valuesB)
        default:
            return false
        }
    }
}
