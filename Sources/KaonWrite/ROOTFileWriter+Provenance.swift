import KaonIO

extension ROOTFileWriter {
    /// Writes `provenance` as the directory `provenance`: the whole record as JSON in the
    /// TObjString `json` (what `kaon provenance` reads back), and each field as a TNamed
    /// (name: the field, title: its value; `input_N` the N-th input's path) for a look with
    /// ROOT's browser or `uproot` without parsing JSON.
    ///
    /// ```swift
    /// try file.write(provenance)   // uproot: f["provenance/json"], f["provenance/host"].member("fTitle")
    /// ```
    public func write(_ provenance: Provenance) throws {
        let folder = Provenance.outputName
        try mkdir(folder, title: "How this file was made (kaon provenance)")
        try writeString(provenance.json.text, to: folder + "/json")
        guard case .object(let members) = provenance.json else { return }
        for (name, value) in members {
            switch value {
            case .string(let text): try writeNamed(title: text, to: folder + "/" + name)
            case .integer(let number): try writeNamed(title: String(number), to: folder + "/" + name)
            default: continue
            }
        }
        try writeNamed(title: provenance.commandLine.joined(separator: " "), to: folder + "/command_line")
        for (k, input) in provenance.inputs.enumerated() { try writeNamed(title: input.path, to: folder + "/input_\(k)") }
    }
}
