import KaonIO

extension WorkItem {
    /// The item as JSON, `{"file", "tree", "first", "end"}`: how work items travel to other
    /// processes (`kaon.dask` tasks).
    ///
    /// ```swift
    /// let text = item.json.text   // {"file":"a.root","tree":"Events","first":0,"end":103740}
    /// ```
    public var json: JSONValue {
        .object([("file", .string(file)), ("tree", .string(tree)), ("first", .integer(Int64(firstEntry))), ("end", .integer(Int64(endEntry)))])
    }

    /// A work item read back from ``json``.
    ///
    /// ```swift
    /// let item = try WorkItem(json: JSONValue.parse(text))
    /// ```
    public init(json: JSONValue) throws {
        guard let file = json["file"]?.string, let tree = json["tree"]?.string, let first = json["first"]?.integer,
              let end = json["end"]?.integer, first >= 0, first <= end else {
            throw KaonError(.usage, "a work item must be {\"file\", \"tree\", \"first\", \"end\"} with 0 ≤ first ≤ end, got \(json.text)")
        }
        self.init(file: file, tree: tree, entries: Int(first)..<Int(end))
    }
}
