import KaonIO

extension ROOTFile {
    /// The ``Provenance`` a Kaon output carries in its `provenance` directory (the
    /// TObjString `provenance/json`), or nil when the file has none.
    ///
    /// ```swift
    /// let record = try ROOTFile(path: "out/results.root").provenance()
    /// print(record?.inputs.map(\.path) ?? [])
    /// ```
    public func provenance() throws -> Provenance? {
        guard root.keys.contains(where: { $0.name == "provenance" }) else { return nil }
        let object = try get("provenance/json")
        guard let text = object.string("fString") else {
            throw KaonError(.malformed, "provenance/json is a \(object.className), not a TObjString", file: name, object: "provenance/json")
        }
        return try Provenance(json: JSONValue.parse(text), source: name + ":provenance/json")
    }

    /// This file as a provenance input: its path, its header's UUID and its size, with the
    /// `entries` a run read from it.
    public func provenanceInput(entries: Int) -> Provenance.Input {
        Provenance.Input(path: name, uuid: header.uuid, size: source.size, entries: entries)
    }
}
