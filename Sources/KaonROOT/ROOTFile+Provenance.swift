import KaonIO

extension ROOTFile {
    /// The `Provenance` a Kaon output carries in its `provenance` directory (the
    /// TObjString `provenance/json`), or nil when the file has none (a `provenance` that is
    /// not such a directory is some other file's own object, and not a record).
    ///
    /// ```swift
    /// let record = try ROOTFile(path: "out/results.root").provenance()
    /// print(record?.inputs.map(\.path) ?? [])
    /// ```
    public func provenance() throws -> Provenance? {
        let folder = Provenance.outputName, path = folder + "/json"
        guard let key = root.keys.first(where: { $0.name == folder }), Directory.isDirectory(key),
              try root.subdirectory(key).keys.contains(where: { $0.name == "json" && $0.className == "TObjString" })
        else { return nil }
        let object = try get(path)
        guard let text = object.string("fString") else {
            throw KaonError(.malformed, "\(path) is a \(object.className), not a TObjString", file: name, object: path)
        }
        return try Provenance(json: JSONValue.parse(text), source: name + ":" + path)
    }

    /// This file as a provenance input: its path, its header's UUID and its size, with the
    /// `entries` a run read from it.
    public func provenanceInput(entries: Int) -> Provenance.Input {
        Provenance.Input(path: name, uuid: header.uuid, size: source.size, entries: entries)
    }
}
