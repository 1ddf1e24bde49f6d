extension Column {
    /// The entries `range` of this column (relative to its first entry), offsets rebased to 0.
    ///
    /// A reader that can only read whole units (an RNTuple's clusters) reads the units
    /// covering a range and cuts them with this.
    ///
    /// ```swift
    /// let column = Column(values: .strings(["a", "b", "c"]), offsets: [[0, 2, 2, 3]], entryCount: 3)
    /// column.entries(1..<3).offsets   // [[0, 0, 1]]
    /// ```
    public func entries(_ range: Range<Int>) -> Column {
        if case .record(let names, let members) = values, offsets.isEmpty {
            return Column(values: .record(names, members.map { $0.entries(range) }), innerShape: innerShape,
                          entryCount: range.count, branch: branch)
        }
        var lower = range.lowerBound, upper = range.upperBound
        var sliced: [[Int]] = []
        for level in offsets {
            let base = level[lower]
            sliced.append(level[lower...upper].map { $0 - base })
            (lower, upper) = (level[lower], level[upper])
        }
        let group = innerShape.reduce(1, *)
        lower *= group
        upper *= group
        let part: Values
        switch values {
        case .primitive(let type, let bytes): part = .primitive(type, Array(bytes[(lower * type.size)..<(upper * type.size)]))
        case .strings(let strings): part = .strings(Array(strings[lower..<upper]))
        case .pairs(let keys, let items): part = .pairs(keys: keys.entries(lower..<upper), values: items.entries(lower..<upper))
        case .record(let names, let members): part = .record(names, members.map { $0.entries(lower..<upper) })
        }
        return Column(values: part, offsets: sliced, innerShape: innerShape, entryCount: range.count, branch: branch)
    }
}
