import KaonIO

extension ROOTFileWriter {
    /// Writes a TNamed (a name and a title, ROOT's smallest labelled object) at `path`
    /// (`dir/name`; directories are created as needed).
    public func writeNamed(title: String, to path: String) throws {
        try writeSmallObject(className: "TNamed", title: title, to: path) { w, name in w.tNamed(name, title) }
    }

    /// Writes a TObjString (text of any length, `TObjString::GetString`) at `path`.
    public func writeString(_ text: String, to path: String) throws {
        // ROOT titles every TObjString key with its class' title.
        try writeSmallObject(className: "TObjString", title: "Collectable string class", to: path) { w, _ in
            let start = w.beginObject(version: 1)
            w.tObject()
            w.tString(text)
            w.endObject(start)
        }
    }

    private func writeSmallObject(className: String, title: String, to path: String,
                                  body: @escaping (inout ByteWriter, String) -> Void) throws {
        try withContext(file: self.path, object: path) {
            let parts = path.split(separator: "/").map(String.init)
            guard let name = parts.last else { throw KaonError(.usage, "empty object path") }
            let directory = try directoryIndex(parts.dropLast().joined(separator: "/"))
            try writeKeyed(className: className, name: name, title: title, directory: directory) { keyLength in
                var writer = ByteWriter(origin: keyLength, capacity: 256)
                body(&writer, name)
                return writer.bytes
            }
        }
    }
}
